/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_H
#define UFFDBENCH_RESULTS_H


#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define RESULTS_SCHEMA 1

struct results {
	char dir[PATH_MAX];
	int fd;			/* results.jsonl, appended a line per cell */
	unsigned cells;
};

/*
 * Create the results directory: out, or results/<date>-<host>-<release>[-label].
 * append: out may already hold results (the processes of --repeat share one).
 * 0, or -1 with err (not writable, already holds results).
 */
int results_create(struct results *r, const char *out, const char *label, bool append,
		   char *err, size_t errlen);
/* obj (consumed) as one line of fd, one write(), flushed to disk: 0 or -errno. */
int results_append_line(int fd, json_t *obj);
void results_close(struct results *r);

#endif
