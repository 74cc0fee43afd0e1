/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_ATTR_ATTR_H
#define UFFDBENCH_ATTR_ATTR_H

/*
 * Attribution: the counts of the qemu plugin (bench/attr/plugin/uffdattr.c)
 * charged to functions.  A boot directory (scripts/kernel-ab --attribute)
 * holds attr.txt (the plugin's output), kallsyms (the guest's text symbols)
 * and results.jsonl; each plugin cell is matched to the single-thread
 * results line it measured, and its passes' totals are checked against the
 * clock: under icount each round's wall_ns is its instruction count.
 * bench/docs/attribution.md describes it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A symbol table: kallsyms or `nm` lines ("ADDR TYPE NAME [module]"). */
struct attr_sym {
	uint64_t addr;
	char *name;
	bool thunk;		/* __x86_indirect_*thunk*: an indirect branch */
	bool ret_thunk;		/* __x86_return_thunk, srso_return_thunk, ...: a return */
};

struct attr_syms {
	struct attr_sym *s;	/* sorted by address */
	size_t n, cap;
};

int attr_syms_load(struct attr_syms *t, const char *path, char *err, size_t errlen);
void attr_syms_free(struct attr_syms *t);
/* The symbol holding addr, or NULL (below every symbol). */
const struct attr_sym *attr_syms_find(const struct attr_syms *t, uint64_t addr);

/* One function's counts in a cell (summed over its passes, and boots). */
struct attr_fn {
	char *name;
	double insns;		/* instructions executed in it */
	double ind;		/* indirect calls and jumps it made (native or through a thunk) */
	double entries;		/* thunks only: executions of its first instruction */
	bool thunk;
};

/* A cell: one results line's passes, or several boots' pooled. */
struct attr_cell {
	char memtype[48], ioctl[32];
	unsigned batch;
	unsigned passes, boots;
	uint64_t clock;			/* the rounds' wall_ns: instructions under icount */
	uint64_t insns;			/* the plugin's, over the same passes */
	unsigned kept;			/* passes charged: each boot's with the fewest interrupts */
	uint64_t kept_insns;		/* their instructions (= the functions' sum) */
	uint64_t pages, ioctls;		/* over the kept passes */
	unsigned bad_passes;		/* passes whose count differs from their clock */
	unsigned scaled_passes;		/* equal only through the guest's TSC rate (tsc_khz) */
	unsigned tsc_khz;		/* the last boot's, when its clock ran at a rate */
	double rate_ppm;		/* that rate: clock/count - 1, in ppm */
	struct attr_fn *fn;		/* sorted by name */
	size_t nfn, capfn;
};

struct attr_set {			/* one kernel: its cells, boots pooled */
	struct attr_cell *c;
	size_t n, cap;
	unsigned boots;
	unsigned tsc_khz;		/* while loading a boot */
};

/*
 * Read one boot directory (attr.txt, kallsyms, results.jsonl; syms: extra
 * symbol files, e.g. `nm` of the guest binary) and add its cells to set.
 * 0, or -1 with err.  Mismatches of count and clock are kept in the cells
 * (bad_passes) and, with log, named there.
 */
int attr_load_boot(struct attr_set *set, const char *dir, char *const *syms, size_t nsyms,
		   FILE *log, char *err, size_t errlen);
/* The same from open streams (tests): plugin output, symbols, results.jsonl. */
int attr_load_streams(struct attr_set *set, FILE *plugin, const struct attr_syms *syms,
		      FILE *results, FILE *log, char *err, size_t errlen);
/*
 * The guest's TSC rate in kHz from its dmesg lines (tsc.txt: "Refined TSC
 * clocksource calibration: 999.999 MHz", else "Detected ... MHz"); 1000000
 * (one tick per instruction under icount) when it does not say.  The clock
 * is ns = ticks * 10^6 / tsc_khz: a boot calibrated at 999.999 MHz runs
 * 1 ppm ahead of the instruction count.
 */
unsigned attr_tsc_khz(FILE *dmesg);
/* Does a pass's count match its clock: 2 exactly, 1 at rate ns/insn (±1.5 ns), 0 no. */
int attr_pass_check(uint64_t insns, uint64_t clock, double rate);
/* The function name among the cell's (sorted by name): true and its index, else where it goes. */
bool attr_fn_search(const struct attr_cell *c, const char *name, size_t *pos);
void attr_set_free(struct attr_set *set);

/* Sum of every function's indirect calls/jumps (their insns sum to kept_insns). */
double attr_cell_ind(const struct attr_cell *c);

/*
 * Per page from the batch fit: for memtype/ioctl, each function's
 * instructions per ioctl against the batch, least squares; with one batch
 * the per-page value at that batch.  NULL-safe lookups by name.
 */
struct attr_fit {
	double insn_page, insn_ioctl, ind_page, ind_ioctl;
	unsigned batches;
};

int attr_fit_total(const struct attr_set *set, const char *memtype, const char *ioctl,
		   struct attr_fit *fit);
int attr_fit_fn(const struct attr_set *set, const char *memtype, const char *ioctl,
		const char *fn, struct attr_fit *fit);

struct cc_model;

struct attr_report_opts {
	unsigned top;		/* functions per cell (0: all) */
	double min;		/* hide functions under this many insns/page on both sides */
	const struct cc_model *cost;	/* predict ns on this machine (calibrate) */
	const char *wall_a, *wall_b;	/* a wall-clock A/B to set beside the prediction */
};

/* One kernel: per cell, per function instructions and indirect calls per page. */
void attr_print(FILE *f, const struct attr_set *set, const struct attr_report_opts *o);
/* A against B: per cell and function A, B, Δ; then the answer lines. */
void attr_print_compare(FILE *f, const struct attr_set *a, const struct attr_set *b,
			const struct attr_report_opts *o);
/*
 * Under an answer line, with o->cost: the predicted Δ ns per page and per
 * ioctl on this machine, as % of A's predicted time; with o->wall_a and
 * o->wall_b the measured Δ beside it.
 */
void attr_predict_line(FILE *f, const struct attr_set *a, const struct attr_set *b,
		       const char *memtype, const char *ioctl, const struct attr_report_opts *o);
/* The answer line of one memtype/ioctl into buf. */
void attr_answer(char *buf, size_t len, const struct attr_set *a, const struct attr_set *b,
		 const char *memtype, const char *ioctl, unsigned nfuncs);
/* Per-function Δ insns/page and /ioctl of memtype/ioctl: "name" page ioctl lines (plots). */
void attr_delta_table(FILE *f, const struct attr_set *a, const struct attr_set *b,
		      const char *memtype, const char *ioctl, unsigned nfuncs);

/*
 * The bar chart of attr_delta_table() for memtype/ioctl: DIR/attr-M-I.dat,
 * .gp and .png (gnuplot run in DIR); the figure's path into out.  0 or -errno.
 */
int attr_plot(const char *dir, const char *gnuplot, const struct attr_set *a,
	      const struct attr_set *b, const char *mt, const char *io, unsigned nfuncs,
	      char *out, size_t outlen);

#endif
