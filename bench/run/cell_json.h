/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CELL_JSON_H
#define UFFDBENCH_CELL_JSON_H

#include "results/results.h"
#include "run/harness.h"
#include "run/spec.h"

#include <jansson.h>
#include <stdint.h>

/* One cell's line: 0 or -errno. */
int results_write_cell(struct results *r, const struct cell *c, const struct cell_result *res,
		       unsigned repeat);
json_t *cell_to_json(const struct cell *c, const struct cell_result *res, unsigned repeat);
/* ns per page of round i: the threads' summed loop time over their summed pages. */
double round_ns_per_page(const struct cell_result *res, unsigned i);
double round_ns_per_ioctl(const struct cell_result *res, unsigned i);
uint64_t round_wall_ns(const struct cell_result *res, unsigned i);

#endif
