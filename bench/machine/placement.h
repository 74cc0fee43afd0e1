/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_PLACEMENT_H
#define UFFDBENCH_PLACEMENT_H

/*
 * NUMA placement as a dimension of `run`: where the threads run (CPU node),
 * where the destination memory goes (mem node, MPOL_BIND or
 * MPOL_INTERLEAVE) and where the COPY source buffer goes (src node).
 *
 *   machine/placement.c        options, and the plan: a pure function of (topo,
 *                      options), testable on synthetic topologies
 *   machine/placement_mem.c    mbind(2) of a region, move_pages(2) sampling
 */
#include "machine/topo.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLACE_MAX_NODES 64	/* nodes in one list, and placement cells */
#define PLACE_ANY (-1)		/* no binding */
#define PLACE_LOCAL (-2)	/* the cell's CPU node */
#define PLACE_INTERLEAVE (-3)	/* mem: MPOL_INTERLEAVE over every memory node */

enum place_mpol { PLACE_MPOL_DEFAULT, PLACE_MPOL_BIND, PLACE_MPOL_INTERLEAVE };

/* What the command line asked for; all empty: placement "none". */
struct place_opts {
	const char *shorthand;			/* --placement, or NULL */
	int cpu[PLACE_MAX_NODES], nr_cpu;	/* --cpu-node: nodes, or PLACE_ANY */
	int mem[PLACE_MAX_NODES], nr_mem;	/* --mem-node: nodes, PLACE_LOCAL/ANY */
	int src;				/* --src-node: node, PLACE_LOCAL/ANY */
	bool src_set;
};

/* One value of the placement dimension. */
struct place_cell {
	char name[24];		/* the key's part: "0>1", "0>i", "a>0", "0>1+s0" */
	int cpu_node;		/* PLACE_ANY or a node with CPUs */
	int mem_node;		/* PLACE_ANY, PLACE_INTERLEAVE or a node with memory */
	int src_node;		/* PLACE_ANY or a node with memory */
	enum place_mpol mpol;
	uint64_t mem_mask[PLACE_MAX_NODES / 64 + 1];	/* the nodes pages may be on */
	char skip[160];		/* why every cell of it is skipped, or "" */
};

/* What the worker saw after each timed round (outside the timed region). */
struct place_verify {
	uint64_t pages_sampled, pages_on_node;
	uint64_t zero_pages;	/* the shared zero page (-EFAULT): nowhere to place */
	int last_node;		/* node of the last sampled page off the intended ones */
	uint64_t thread_rounds, rounds_on_node;
};

void place_opts_init(struct place_opts *o);
bool place_opts_given(const struct place_opts *o);
/* --cpu-node / --mem-node / --src-node / --placement; 0, or -1 with err. */
int place_opts_set(struct place_opts *o, const char *opt, const char *val,
		   char *err, size_t errlen);

/*
 * The placement cells for o on t: at most max into out.  Cells that cannot
 * exist here (remote on one node) come back with skip set, never dropped.
 * Returns the count, or -1 with a one-line err for bad input (a node that
 * does not exist, has no memory or no allowed CPUs; conflicting options).
 */
int place_plan(struct topo *t, const struct place_opts *o, struct place_cell *out,
	       int max, char *err, size_t errlen);

const char *place_mpol_name(enum place_mpol m);
/* The fractions of a verification; -1 when nothing was asked or sampled. */
double place_mem_fraction(const struct place_verify *v);
double place_cpu_fraction(const struct place_verify *v);
/* Both fractions that apply are >= 0.95. */
bool place_verified_ok(const struct place_verify *v);
/* "placement missed: 0.62 on node 1", or "" when it did not miss. */
void place_miss_note(const struct place_cell *p, const struct place_verify *v,
		     char *buf, size_t len);
void place_verify_merge(struct place_verify *sum, const struct place_verify *v);

/* machine/placement_mem.c: the calling process's memory. 0 or -errno. */
int place_bind_range(const struct place_cell *p, void *addr, size_t len);
int place_bind_src(const struct place_cell *p, void *addr, size_t len);
/* move_pages() status of up to 64 pages of [addr, addr + len), into v. */
void place_sample(const struct place_cell *p, const char *addr, size_t len,
		  size_t page_size, struct place_verify *v);

#endif
