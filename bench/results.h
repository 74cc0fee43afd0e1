/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_H
#define UFFDBENCH_RESULTS_H

#include "harness.h"
#include "spec.h"

#include <jansson.h>
#include <limits.h>

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
/* One cell's line: 0 or -errno. */
int results_write_cell(struct results *r, const struct cell *c, const struct cell_result *res,
		       unsigned repeat);
void results_close(struct results *r);
json_t *cell_to_json(const struct cell *c, const struct cell_result *res, unsigned repeat);
/* ns per page of round i: the threads' summed loop time over their summed pages. */
double round_ns_per_page(const struct cell_result *res, unsigned i);
double round_ns_per_ioctl(const struct cell_result *res, unsigned i);
uint64_t round_wall_ns(const struct cell_result *res, unsigned i);

#endif
