/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_READ_H
#define UFFDBENCH_RESULTS_READ_H

/*
 * Reading a results directory back: results.jsonl (required), env.json and
 * caps.json (optional).  Every reader of results (compare, plots) goes
 * through here, so a file is validated once, the same way: schema 1 only,
 * every line valid JSON, errors as "FILE:LINE: message".
 */
#include "machine/clock.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RR_SCHEMA 1
/* The largest results.jsonl (256 MiB) and env.json or caps.json (16 MiB) read. */
#define RR_MAX_RESULTS (256 << 20)
#define RR_MAX_SIDE_FILE (16 << 20)

/* One line of results.jsonl: one cell, one repeat. */
struct rr_cell {
	unsigned line;			/* in results.jsonl, from 1 */
	char *memtype, *mapping, *mode, *ioctl, *placement;
	unsigned batch, threads, repeat;
	char *status;			/* "ok", "failed", "skipped" */
	char *reason;			/* NULL when absent */
	double inject_ns;
	char *knob;			/* run --knob: the value ("knob"."value"), or NULL */
	enum bench_clock clock;		/* "clock"; absent (older files): wall */
	unsigned long long size;	/* bytes per thread; 0 when not recorded */
	unsigned long page_size;	/* bytes; 0 when not recorded */
	size_t nr_rounds;
	double *ns_per_page;		/* nr_rounds each, from "rounds" */
	double *ns_per_ioctl;
	long long *irqs;		/* interrupts in each round's pass, -1 when not recorded */
	json_t *perf;			/* "perf" (run --perf), NULL when absent */
	json_t *obj;			/* the whole line, as read and checked */
};

struct rr_dir {
	char *path;
	struct rr_cell *cells;		/* in file order */
	size_t nr_cells, cap_cells;
	size_t nr_other;		/* lines of another "kind" (fault, capacity) */
	json_t *others;			/* those lines, as read; NULL when none */
	enum bench_clock clock;		/* every line's and env.json's: one per directory */
	json_t *env;			/* env.json, NULL when absent */
	json_t *caps;			/* caps.json, NULL when absent */
};

/*
 * Load dir into d.  0, or -1 with a one-line message in err ("FILE:LINE: ..."
 * for a bad line); d is then empty and needs no rr_free().
 */
int rr_load(const char *dir, struct rr_dir *d, char *err, size_t errlen);
void rr_free(struct rr_dir *d);

static inline bool rr_cell_ok(const struct rr_cell *c)
{
	return c->status[0] == 'o' && c->status[1] == 'k' && !c->status[2];
}

/*
 * Order of cells by everything but the repeat: memtype, mapping, ioctl,
 * threads, placement, the injected delay, then batch ascending.  Equal
 * means "the same cell".
 */
int rr_key_cmp(const struct rr_cell *a, const struct rr_cell *b);

/* A string in env.json by dotted path ("kernel.release"), or NULL. */
const char *rr_env_string(const struct rr_dir *d, const char *path);

#endif
