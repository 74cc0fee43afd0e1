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
	bool dry_run;			/* --dry-run: list the cells, measure none */
	struct place_opts place;	/* --placement, --cpu-node, --mem-node, --src-node */
	const char *out, *label;
};

/*
 * One process's pass over the matrix (bench/run/run.c): its exit status
 * (common.h), 2 with one line said when the input is bad or nothing can run.
 */
int run_matrix(struct run_args *a, int argc, char **argv);
/*
 * The --repeat parent, before it makes the directory: plan the matrix as
 * each child will; caps filled for caps.json; -1 with err (exit 2) when the
 * input is bad or nothing in it can run here (bench/run/run.c).
 */
int run_check_plan(const struct run_args *a, struct caps *caps, char *err, size_t errlen);
/* --repeat N: N fresh processes into one results directory (bench/run/repeat.c). */
int run_repeats(struct run_args *a, int argc, char **argv);

/* Placement as a matrix dimension (bench/run/place.c). */
int run_place_plan(struct topo *t, const struct run_args *a, struct place_cell *places,
		   char *err, size_t errlen);
unsigned run_place_capacity(struct topo *t, enum pin_policy pol,
			    const struct place_cell *places, int n);
int run_place_expand(struct cell **cells, int n, const struct place_cell *places, int np);
int run_place_cpu_node(const struct cell *c);

/* Planning (bench/run/plan.c): why a cell cannot run here, or NULL (dry:
 * change nothing, e.g. do not raise nr_hugepages); its memory; the a-priori
 * estimate of its time; run --dry-run's listing. */
const char *run_skip_reason(const struct caps *caps, const struct cell *c, bool dry,
			    char *buf, size_t len);
unsigned long run_cell_mib(const struct cell *c);
double run_cell_estimate_s(const struct cell *c, const struct run_spec *s);
double run_estimate_s(const struct cell *cells, int n, const struct run_spec *s);
int run_dry(const struct run_args *a, const struct caps *caps, const struct cell *cells, int n);

/* The table `run` prints (bench/run/table.c). */
void table_header(FILE *f, bool placed);
void table_row(FILE *f, const struct cell *c, const struct cell_result *res, const char *unsaved);

#endif
