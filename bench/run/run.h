/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RUN_H
#define UFFDBENCH_RUN_H

#include "machine/caps.h"
#include "run/harness.h"
#include "machine/placement.h"
#include "run/spec.h"
#include "machine/topo.h"

#include <stdio.h>

struct run_args {
	struct run_spec spec;
	enum pin_policy policy;
	unsigned repeat, repeat_index;
	bool is_repeat_child, quiet;
	bool perf;			/* --perf: counters per cell */
	struct place_opts place;	/* --placement, --cpu-node, --mem-node, --src-node */
	const char *out, *label;
};

/* One process's pass over the matrix (bench/run/run.c). */
int run_matrix(struct run_args *a, int argc, char **argv);
/*
 * The --repeat parent, before it makes the directory: plan the matrix as
 * each child will and exit 2 when nothing in it can run here; caps filled
 * for caps.json (bench/run/run.c).
 */
void run_check_plan(const struct run_args *a, struct caps *caps);
/* --repeat N: N fresh processes into one results directory (bench/run/repeat.c). */
int run_repeats(struct run_args *a, int argc, char **argv);

/* Placement as a matrix dimension (bench/run/place.c). */
int run_place_plan(struct topo *t, const struct run_args *a, struct place_cell *places,
		   char *err, size_t errlen);
unsigned run_place_capacity(struct topo *t, enum pin_policy pol,
			    const struct place_cell *places, int n);
int run_place_expand(struct cell **cells, int n, const struct place_cell *places, int np);
int run_place_cpu_node(const struct cell *c);

/* The table `run` prints (bench/run/table.c). */
void table_header(FILE *f, bool placed);
void table_row(FILE *f, const struct cell *c, const struct cell_result *res, const char *unsaved);

#endif
