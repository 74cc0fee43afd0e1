/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RUN_H
#define UFFDBENCH_RUN_H

#include "harness.h"
#include "spec.h"
#include "topo.h"

#include <stdio.h>

struct run_args {
	struct run_spec spec;
	enum pin_policy policy;
	unsigned repeat, repeat_index;
	bool is_repeat_child, quiet;
	bool perf;			/* --perf: counters per cell */
	const char *out, *label;
};

/* One process's pass over the matrix (bench/run.c). */
int run_matrix(struct run_args *a, int argc, char **argv);
/* --repeat N: N fresh processes into one results directory (bench/run_repeat.c). */
int run_repeats(struct run_args *a, int argc, char **argv);

/* The table `run` prints (bench/run_table.c). */
void table_header(FILE *f);
void table_row(FILE *f, const struct cell *c, const struct cell_result *res);

#endif
