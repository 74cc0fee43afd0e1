/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_SPEC_H
#define UFFDBENCH_SPEC_H

/*
 * What `run` was asked to measure: the dimensions of the matrix and how to
 * measure each cell.  Command-line options and suite files set the same keys
 * through spec_set(), so a suite file is just options written down.
 */
#include "core/list.h"
#include "memtypes/memtype.h"
#include "ioctls/ioctl.h"
#include "verify/verify.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct place_cell;

#define THREADS_ALL 0		/* "--threads all": every allowed CPU */

struct run_spec {
	uint64_t memtypes;			/* bit i: memtypes[i] */
	unsigned ioctls;			/* bit UOP_* */
	unsigned batches[SPEC_MAX_LIST], nr_batches;
	unsigned threads[SPEC_MAX_LIST], nr_threads;	/* THREADS_ALL allowed */
	size_t size;				/* bytes per thread, 0 = auto */
	unsigned rounds, warmup;
	enum verify_mode verify;
	double injects[SPEC_MAX_LIST];		/* --inject-ns: ns per page */
	unsigned nr_injects;
	char knob_path[256];			/* --knob PATH=V1,...: "" when none */
	char knob_vals[SPEC_MAX_LIST][64];
	unsigned nr_knob_vals;
	bool oversubscribe;
	struct { char key[16], val[64]; } place[4];	/* a suite's placement settings */
	unsigned nr_place;
	char suite[64];
	char description[160];			/* the suite's, for list */
};

struct cell {
	const struct memtype_ops *mt;
	enum uffd_op op;
	unsigned batch;		/* pages per ioctl */
	unsigned threads;
	size_t size;		/* bytes per thread, resolved */
	double inject_ns;	/* busy-wait per page in the timed loop */
	const char *knob;	/* --knob: the value written before the cell, or NULL */
	const char *knob_path;
	const struct place_cell *place;	/* NUMA placement, NULL: "none" */
	char unfit[128];	/* why this cell cannot fit (batch beyond the range): skipped */
};

void spec_defaults(struct run_spec *s);
/* Set one key ("memtype", "batch", ...) from text; 0, or -1 with err filled. */
int spec_set(struct run_spec *s, const char *key, const char *val, char *err, size_t errlen);
/* Load workloads/suites/NAME.suite (see suite_dir()); 0 or -1 with err. */
int spec_load_suite(struct run_spec *s, const char *name, char *err, size_t errlen);
/* Where suite files live: $UFFDBENCH_SUITES, else beside the binary. */
const char *suite_dir(void);
/* --suite-dir: read suites from dir (ahead of $UFFDBENCH_SUITES). */
void suite_dir_set(const char *dir);
/* Names of the suites found, NULL-terminated static array; for list. */
int suite_describe(const char *name, char *desc, size_t len);

/* The per-thread range a cell uses: explicit size, or max(64 MiB, one batch). */
size_t cell_size(const struct run_spec *s, const struct memtype_ops *mt, unsigned batch);
/*
 * Every cell of the matrix, memtype-major.  all_cpus resolves THREADS_ALL.
 * A cell that cannot fit (a batch larger than its range) is kept with the
 * reason in its unfit: the run skips it.  Returns the count (cells in *out,
 * caller frees), or -1 with err -- also when no cell fits (err: the first
 * cell's reason).
 */
int spec_expand(const struct run_spec *s, unsigned all_cpus, struct cell **out,
		char *err, size_t errlen);
void cell_key(const struct cell *c, char *buf, size_t len);

#endif
