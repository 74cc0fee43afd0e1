/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_EXPORT_H
#define UFFDBENCH_RESULTS_EXPORT_H

/*
 * Results directories as one flat table (CSV or TSV) for a spreadsheet or
 * pandas: a row per cell line of results.jsonl, or per timed round.  Numbers
 * are written so that reading them back gives the very doubles of the JSON.
 */
#include <stdbool.h>
#include <stdio.h>

enum export_format { EXPORT_CSV, EXPORT_TSV };

struct export_opts {
	enum export_format format;
	bool rounds;		/* a row per round instead of per cell */
	bool header;		/* the column names first */
};

/* The header (when asked), then every directory's rows; 0, or -1 with err. */
int export_dirs(FILE *f, char *const *dirs, int n, const struct export_opts *o,
		char *err, size_t errlen);

#endif
