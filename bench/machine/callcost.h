/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CALLCOST_H
#define UFFDBENCH_CALLCOST_H

/*
 * What a call costs on this CPU, measured in user space with the instruction
 * sequences the kernel's own thunks use (bench/docs/attribution.md, "What it
 * costs here"), and the cost model that turns an attribution's Δ
 * instructions and Δ indirect calls per page into a predicted Δ ns per page:
 *
 *   Δns = Δinsn × ns/insn + Δindirect × (thunk ns − direct call ns)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* The call sequences measured; each one call and its return. */
enum cc_seq {
	CC_DIRECT,		/* call target; target: ret */
	CC_INDIRECT,		/* call *%rax (eIBRS, or no mitigation) */
	CC_RETPOLINE,		/* call __x86_indirect_thunk_rax: call; pause; lfence; mov; ret */
	CC_LFENCE,		/* lfence; call *%rax (spectre_v2 "LFENCE") */
	CC_DIRECT_RT,		/* call target; target: jmp return thunk (ret in its own line) */
	CC_ITS,			/* call its thunk (jmp *%rax in a line's upper half); return thunk */
	NR_CC_SEQ
};

extern const char *const cc_seq_name[NR_CC_SEQ];
extern const char *const cc_seq_what[NR_CC_SEQ];

/* The host kernel's mitigation: which sequence an indirect call is, and a direct one. */
struct cc_host {
	enum cc_seq indirect, direct;
	char spectre_v2[200], its[120], retbleed[120];
	char why[300];			/* the line of sysfs text that chose it */
};

/*
 * The sequences from the texts of spectre_v2, indirect_target_selection and
 * retbleed (NULL or "" when a file is missing).  Pure: tested on strings.
 */
void cc_host_from_text(struct cc_host *h, const char *spectre_v2, const char *its,
		       const char *retbleed);
/* The same from /sys/devices/system/cpu/vulnerabilities/. */
void cc_host_read(struct cc_host *h);

struct cc_stat {
	double median, p10, p90, min, max;	/* ns per call, the empty loop taken off */
	unsigned n;
};

struct cc_opts {
	int cpu;			/* pin to it; -1: the last CPU this process may use */
	unsigned reps;			/* timed repetitions of each sequence (after warm-up) */
	unsigned warmup;
	unsigned long iters;		/* loop iterations per repetition (CC_UNROLL calls each) */
};

#define CC_UNROLL 8

struct cc_result {
	int cpu;
	double tsc_ghz;			/* TSC ticks per ns over the run; 0 where there is none */
	double empty_ns;		/* the empty loop, ns per iteration (median) */
	struct cc_stat seq[NR_CC_SEQ];
	double load[3];			/* /proc/loadavg before the run */
};

/* Whether this build can measure (x86-64). */
bool cc_supported(void);
/* Measure every sequence.  0, or -errno (pinning failed: -EINVAL for a bad CPU). */
int cc_measure(const struct cc_opts *o, struct cc_result *r);

/* ns per instruction of a cell: native wall ns/page over its icount instructions/page. */
struct cc_cell_rate {
	char key[96];			/* memtype/ioctl/bBATCH */
	double native_ns, icount_insn, ns_per_insn;
};

/*
 * Pair the single-thread cells of a native results directory with an icount
 * one (kernel-ab's OUT/X): per cell the native median ns/page over all lines
 * and the icount floor (lowest round).  *cells is malloc'd.  0, or -1 with err.
 */
int cc_cell_rates(const char *native_dir, const char *icount_dir, struct cc_cell_rate **cells,
		  size_t *n, char *err, size_t errlen);
/* The median of the cells' ns/insn (NAN with none). */
double cc_rates_median(const struct cc_cell_rate *cells, size_t n);
/*
 * ns per instruction of the per-page path: per memtype/ioctl with two batch
 * sizes or more, the slope of native ns/ioctl over the batch divided by that
 * of icount instructions/ioctl (the per-ioctl overhead taken out), the median
 * over them; else the median of the cells' own ratios.  filter: "continue",
 * "anon/copy", ... comma-separated (NULL or "all": every cell).  how gets
 * what was done.  NAN when no cell is chosen.
 */
double cc_page_rate(const struct cc_cell_rate *cells, size_t n, const char *filter,
		    char *how, size_t howlen);

/*
 * ns/page of memtype/ioctl in a (wall-clock) results directory: the slope of
 * a least-squares fit of ns/ioctl against the batch size over its
 * single-thread cells, or with one batch its ns/page.  NAN with err when it
 * has no such cell.
 */
double cc_dir_ns_page(const char *dir, const char *memtype, const char *ioctl, char *err,
		      size_t errlen);

/* The model, as calibrate writes it to JSON and attribute reads it back. */
struct cc_model {
	double ns_per_insn;
	double thunk_ns, direct_ns;	/* the host's indirect sequence and its direct call */
	char indirect[24], direct[24];	/* their names */
	bool insn_measured;		/* ns/insn from cells; else assumed */
	char insn_source[600];
};

/* Predicted Δns per page (or ioctl). */
static inline double cc_predict(const struct cc_model *m, double d_insn, double d_ind)
{
	return d_insn * m->ns_per_insn + d_ind * (m->thunk_ns - m->direct_ns);
}

/* The model in one line into buf. */
void cc_model_line(const struct cc_model *m, char *buf, size_t len);
/* calibrate's JSON ("model" object) into m.  0, or -1 with err. */
int cc_model_from_json(const json_t *root, struct cc_model *m, char *err, size_t errlen);
int cc_model_load(const char *path, struct cc_model *m, char *err, size_t errlen);

#endif
