/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_H
#define UFFDBENCH_RESULTS_H


#include "core/file.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define RESULTS_SCHEMA 1

/* A --label is part of a directory name: date, host and release come first. */
#define RESULTS_LABEL_MAX 100

struct results {
	char dir[PATH_MAX];
	int fd;			/* results.jsonl, appended a line per cell */
	unsigned cells;
	struct made_dirs made;	/* the directories this run created: dir, parents */
	bool own_file;		/* and results.jsonl (not a --repeat child's append) */
};

/*
 * Create the results directory: out, or results/<date>[.N]-<host>-<release>[-label]
 * (.N when another run took that second's name).
 * append: out may already hold results (the processes of --repeat share one).
 * 0, or -1 with err (a bad label, not writable, already holds results).
 */
int results_create(struct results *r, const char *out, const char *label, bool append,
		   char *err, size_t errlen);
/* A --label names a directory: no '/' and no '..'.  0, or -1 with err. */
int results_check_label(const char *label, char *err, size_t errlen);
/*
 * obj (consumed) as one line of fd, one write(), flushed to disk: 0, or
 * -errno with the file cut back to its size before (no torn line).
 */
int results_append_line(int fd, json_t *obj);
void results_close(struct results *r);
/* Undo results_create() when nothing was measured: results.jsonl, and dir if made. */
void results_discard(struct results *r);

#endif
