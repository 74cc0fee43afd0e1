/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMPARE_H
#define UFFDBENCH_COMPARE_H

/*
 * compare: one BASE results directory against one NEW one.  cmp_run() does
 * the statistics into a struct cmp_result; cmp_print() writes any number of
 * results in one format.  See cli/cmd_compare.c for what the numbers mean.
 *
 *   compare/match.c    matching cells, the per-cell verdict (cmp_run)
 *   compare/verdict.c  a cell's repeats into the decision rule (decide.c)
 *   compare/answer.c   the answer first: per memory type and ioctl, per page and ioctl
 *   compare/by.c       --by inject: the delays of one directory against each other
 *   compare/cells.c    a directory's cells grouped by key, the values compared
 *   compare/summary.c  geometric means, counts, warnings
 *   compare/stats.c    median, bootstrap, Mann-Whitney U, BH, MDE, t-interval
 *   compare/fit.c      ns/ioctl = alpha + beta * batch, and its change
 *   compare/env.c      env.json differences
 *   compare/caps.c     caps.json (functional) differences
 *   compare/print.c    cmp_print: the dispatch to one format
 *   compare/fmt.c      what every output format shares
 *   compare/out.c      text;  compare/md.c  markdown, csv;  compare/json.c  json
 *   compare/perf.c     counters per page of run --perf, in the text output
 *   compare/util.c     warnings, names, freeing a result
 */
#include "compare/decide.h"
#include "core/alloc.h"
#include "core/common.h"
#include "results/read.h"

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cmp_format { CMP_TEXT, CMP_MARKDOWN, CMP_CSV, CMP_JSON };

struct cmp_opts {
	double alpha;		/* significance level (0.05) */
	double threshold;	/* smallest |ratio - 1| given a verdict (0.01) */
	bool threshold_set;	/* --threshold given: relative even under icount */
	double abs_threshold;	/* > 0: smallest |delta| per page, in the clock's unit */
	enum bench_clock clock;	/* of both sides (compare refuses a mix) */
	unsigned resamples;	/* bootstrap resamples (2000) */
	unsigned long seed;	/* bootstrap seed (1) */
	double target_mde;	/* relative; 0: no sample-size advice */
	bool fdr;		/* judge on Benjamini-Hochberg q, not p */
	bool floor;		/* --stat min: one repeat's value is its fastest round */
	bool stat_set;		/* --stat given (else min under icount, median else) */
	bool paired;		/* --paired: repeat k of BASE against repeat k of NEW */
	bool allow_mismatch;	/* --allow-mismatch: compare cells of different --size */
	enum cmp_format format;
};

#define CMP_OPTS_DEFAULT { .alpha = 0.05, .threshold = 0.01, .resamples = 2000, .seed = 1, .fdr = true }

enum cmp_verdict {
	CMP_SAME, CMP_FASTER, CMP_SLOWER,
	CMP_UNDECIDED,		/* the data cannot tell: non-zero exit */
	CMP_INSUFFICIENT,	/* a side with < 2 values: "same (insufficient data)" */
	CMP_NOT_COMPARED,	/* skipped/failed on a side, or a functional change */
};

/* What matches cells across directories: everything but the repeat. */
struct cmp_key {
	const char *memtype, *mapping, *mode, *ioctl, *placement;
	unsigned batch, threads;
	double inject_ns;		/* run --inject-ns: 0 normally */
	const char *knob;		/* run --knob: NULL normally */
};

/* One cell of one directory: its repeats (lines of results.jsonl). */
struct cmp_group {
	const struct rr_cell **reps;
	size_t nr_reps, nr_ok;
	const struct rr_cell *bad;	/* first repeat not "ok", or NULL */
};

/* One side of a compared cell: the values compared (ns/page). */
struct cmp_side {
	const struct cmp_group *g;
	double *v;
	size_t n;
	double median;
};

struct cmp_cell {
	struct cmp_key key;
	bool control;			/* should not move with the series */
	enum cmp_verdict verdict;
	char rule[640];			/* why this verdict (or why not compared) */
	char note[200];			/* anything else left out, or "" */
	bool repeats;			/* unit is per-repeat medians, else rounds */
	bool paired;			/* unit is per-repeat ratios (--paired) */
	struct cmp_side base, new;
	double ratio;			/* new / base: of the decision's estimate */
	bool has_ci, has_p, has_mde;
	double ci_lo, ci_hi;		/* 95%, of the level that decided (or the widest) */
	double p;			/* two-sided, at that level */
	struct cmp_decision dec;	/* the decision rule's answer (decide.h) */
	bool by_floors;			/* decided by the floor rule (icount), no p */
	double delta, delta_lo, delta_hi;	/* new - base per page, clock's unit */
	bool p_exact;
	double q;			/* p adjusted over the comparison's cells (BH) */
	double s;			/* noise used for the MDE, ns/page */
	double mde;			/* relative */
	unsigned need;			/* per side for --target-mde, 0 none */
};

struct cmp_unmatched {
	struct cmp_key key;
	bool in_base;			/* else only in NEW */
};

struct cmp_capdiff {
	char *memtype, *mode, *ioctl;
	char *base, *new;		/* "ok", "EINVAL", "register EINVAL", "absent" */
};

enum cmp_envwarn { CMP_ENV_NOTE, CMP_ENV_MITIGATIONS, CMP_ENV_CPU };

struct cmp_envdiff {
	char *path;			/* "vulnerabilities.spectre_v2" */
	char *base, *new;		/* values as text; NULL: absent */
	bool words;			/* lists: base/new hold the words only in each */
	enum cmp_envwarn warn;
};

struct cmp_gmean {
	const char *memtype;		/* NULL: over every cell */
	size_t k;			/* cells */
	double gm;
	bool has_ci;
	double lo, hi;
};

struct cmp_fit_side {
	bool ok;
	size_t n, nr_batches;
	bool weighted;
	double alpha, beta, se_alpha, se_beta, dof;
};

struct cmp_fit {
	struct cmp_key key;		/* batch unused */
	bool control, repeats;
	struct cmp_fit_side base, new;
	bool has_delta, moved;
	double da, da_lo, da_hi, db, db_lo, db_hi;
	char note[160];			/* why no fit, or "" */
};

struct cmp_result {
	const struct rr_dir *base, *new;
	struct cmp_group *gbase, *gnew;
	size_t nr_gbase, nr_gnew;
	struct cmp_cell *cells;
	size_t nr_cells;
	struct cmp_unmatched *unmatched;
	size_t nr_unmatched;
	bool caps_compared, env_compared;
	char caps_note[256], env_note[256];
	struct cmp_capdiff *caps;
	size_t nr_caps;
	struct cmp_envdiff *env;
	size_t nr_env;
	struct cmp_gmean *gmeans;	/* per memtype, then overall */
	size_t nr_gmeans;
	struct cmp_fit *fits;
	size_t nr_fits;
	char **warnings;
	size_t nr_warnings;
	size_t nr_slower, nr_faster, nr_same, nr_undecided, nr_insufficient, nr_not_compared;
	size_t nr_size_mismatch, nr_rounds_mismatch;	/* cells measured differently */
	char size_example[160], rounds_example[160];
};

/*
 * Compare new against base.  0 when at least one cell could be tested
 * (r then holds a partial comparison that says what it left out); -1 with a
 * message in err when nothing could be (r is still filled and printable).
 */
int cmp_run(const struct rr_dir *base, const struct rr_dir *new, const struct cmp_opts *o,
	    struct cmp_result *r, char *err, size_t errlen);
void cmp_result_free(struct cmp_result *r);
/* All results, in o->format; status is the exit status to be returned. */
void cmp_print(FILE *f, const struct cmp_result *r, size_t nr, const struct cmp_opts *o,
	       int status);

const char *cmp_verdict_name(enum cmp_verdict v);
/* The clock of dirs d[0..n) into o, with its defaults; -1 with err when they differ. */
int cmp_opts_clock(struct cmp_opts *o, const struct rr_dir *d, size_t n, char *err, size_t len);
bool cmp_is_control(const char *memtype, const char *ioctl);
void cmp_warn(struct cmp_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The values compared for a group: per-repeat medians of the ok repeats
 * (repeats) or all their rounds pooled; ns/ioctl or ns/page.  Caller frees. */
size_t cmp_units(const struct cmp_group *g, bool repeats, bool per_ioctl, double **out);
/* --stat min: cmp_units() then takes each repeat's fastest round, not its median. */
void cmp_units_use_floor(bool floor);
/* What one repeat of n rounds contributes: their median, or minimum; and
 * that value's standard error (NaN with one round). */
double cmp_repeat_value(const double *x, size_t n);
double cmp_repeat_se(const double *x, size_t n);
/* compare/paired.c: --paired analysis of a cell; false with < 2 pairs. */
bool cmp_paired(struct cmp_cell *c, const struct cmp_opts *o, unsigned long seed);
/* The cells of d sorted by key (rr_key_cmp), one group per key holding its
 * repeats; *nr groups.  Free with cmp_groups_free(). */
struct cmp_group *cmp_group_cells(const struct rr_dir *d, size_t *nr);
void cmp_groups_free(struct cmp_group *g, size_t n);
/* The key a cell is matched by. */
void cmp_key_of(const struct rr_cell *c, struct cmp_key *k);

/* compare/verdict.c: the decision of a tested cell (sets dec, ratio, CI, p,
 * delta), then after p is adjusted across cells its verdict and rule. */
void cmp_decide_cell(struct cmp_cell *c, const struct cmp_opts *o);
/*
 * The absolute threshold for one page of the cell: --abs-threshold is per
 * 4 KiB moved; under the icount floor rule at least 0.02% of the path.
 */
double cmp_threshold_per_page(const struct cmp_cell *c, const struct cmp_opts *o);
/* Pages of the cell in 4 KiB: 512 for a 2 MiB page. */
double cmp_page_units(const struct cmp_cell *c);
void cmp_judge_cell(struct cmp_cell *c, const struct cmp_opts *o);
/* How the cell's p was had: "t" (the repeats level) or "normal" (the rounds). */
const char *cmp_p_method(const struct cmp_cell *c);
/* The unit of a per-page value: "instructions" under icount, "ns" else. */
const char *cmp_unit(const struct cmp_opts *o);

/* compare/by.c: the parts of one directory by a dimension ("inject"), the
 * smallest value first, as views that match each other; free with
 * cmp_views_free().  0, or -1 with err. */
int cmp_split_by(const struct rr_dir *d, const char *by, struct rr_dir **parts, size_t *nr,
		 char *err, size_t len);
void cmp_views_free(struct rr_dir *v, size_t n);

/* compare/answer.c: one line per memory type and ioctl, the answer first. */
void cmp_print_answer(FILE *f, const struct cmp_result *r);

/* compare/summary.c */
void cmp_gmeans(struct cmp_result *r);
void cmp_count(struct cmp_result *r, const struct cmp_opts *o);

/* compare/env.c, compare/caps.c */
void cmp_env_diff(struct cmp_result *r);
void cmp_caps_diff(struct cmp_result *r);
/* The functional difference that stops this cell being timed, or NULL. */
const struct cmp_capdiff *cmp_caps_find(const struct cmp_result *r, const struct cmp_key *k);

/* compare/fit.c */
void cmp_fits(struct cmp_result *r, const struct cmp_opts *o);
/* Least squares t = alpha + beta * x; weighted by 1/variance per distinct x
 * when every x has >= 3 points that vary.  false when it cannot be fitted. */
bool cmp_fit_line(const double *x, const double *y, size_t n, struct cmp_fit_side *s);
/* Half-width of the 95% interval of beta (or alpha): t with n - 2 dof. */
double cmp_fit_half(const struct cmp_fit_side *s, bool beta);

/* compare/fmt.c, compare/out.c: the pieces every format shares; text. */
void cmp_print_text(FILE *f, const struct cmp_result *r, const struct cmp_opts *o);
/* compare/perf.c: run --perf counters.  The first ok repeat's "counters"
 * object, or NULL; the median of counter name per page over the ok repeats
 * (false when one lacks it). */
void cmp_print_perf(FILE *f, const struct cmp_result *r);
json_t *cmp_perf_first(const struct cmp_group *g);
bool cmp_perf_median(const struct cmp_group *g, const char *name, double *out);
void cmp_print_method(FILE *f, const struct cmp_opts *o, const char *prefix);
const char *cmp_fmt_ns(double v, char *buf, size_t len);	/* 7 columns at most */
const char *cmp_fmt_p(double p, char *buf, size_t len);		/* 5 columns */
/* "+3.1" from a ratio; "+3.1% [+2.2, +4.0]" for a cell; the smallest change it
 * could call (in %, and which bound decided); ASCII-only output (--ascii). */
const char *cmp_fmt_pct(double ratio, char *buf, size_t len);
const char *cmp_fmt_change(const struct cmp_cell *c, char *buf, size_t len);
double cmp_detectable_pct(const struct cmp_cell *c, bool *by_interval);
void cmp_ascii_write(FILE *f, const char *s, size_t len);
/* --ascii is on: text wraps by the columns the ASCII spelling takes. */
extern bool cmp_ascii_mode;
size_t cmp_columns(const char *s, size_t len);
/* compare/brief.c: --brief, about 10 lines per comparison. */
void cmp_print_brief(FILE *f, const struct cmp_result *r, const struct cmp_opts *o);
const char *cmp_label(const struct cmp_key *k, bool batch, char *buf, size_t len);
/* "shmem-memfd continue: Δβ +3.1 ns/page [+2.2, +4.0]; Δα +12 ns/ioctl [-30, +54]" */
const char *cmp_fit_sentence(const struct cmp_fit *f, const char *unit, char *buf, size_t len);
const char *cmp_dir_desc(const struct rr_dir *d, char *buf, size_t len);
/* Widths of the tables' memtype and ioctl columns: 15 and 8, or the longest name. */
void cmp_key_widths(const struct cmp_result *r, int *mtw, int *iow);
/* compare/md.c, compare/json.c */
void cmp_print_markdown(FILE *f, const struct cmp_result *r, const struct cmp_opts *o);
void cmp_print_csv(FILE *f, const struct cmp_result *r, size_t nr);
void cmp_print_json(FILE *f, const struct cmp_result *r, size_t nr, const struct cmp_opts *o,
		    int status);

/* compare/stats.c: the statistics, on plain arrays. */
double cmp_median(const double *v, size_t n);
/* 1.4826 * median absolute deviation. */
double cmp_mad(const double *v, size_t n);
/* The median of n values drawn with replacement from sorted[0..n): one
 * bootstrap resample's median, in O(log n) (order statistics of the draws). */
double cmp_resample_median(gsl_rng *rng, const double *sorted, size_t n);
/* Percentile-bootstrap interval (level, e.g. 0.95) of median(y) / median(x). */
void cmp_boot_ratio(const double *x, size_t nx, const double *y, size_t ny,
		    unsigned resamples, unsigned long seed, double level,
		    double *lo, double *hi);
/* Two-sided Mann-Whitney U p-value: exact without ties for small samples,
 * else the normal approximation with tie and continuity correction. */
double cmp_mann_whitney(const double *x, size_t nx, const double *y, size_t ny, bool *exact);
/* Benjamini-Hochberg adjusted p-values (q) of n p-values. */
void cmp_bh_adjust(const double *p, size_t n, double *q);
/* The smallest two-sided p the exact test can give for these sizes. */
double cmp_mw_min_p(size_t nx, size_t ny);
/* Pooled robust noise: 1.4826 MAD pooled over both samples, else pooled SD. */
double cmp_pooled_noise(const double *x, size_t nx, const double *y, size_t ny);
/* Smallest detectable relative change (two-sided alpha, 80% power). */
double cmp_mde(double s, size_t nx, size_t ny, double centre, double alpha);
/* Values per side needed to detect a relative change of target. */
unsigned cmp_needed_n(double s, double centre, double target, double alpha);
/* Geometric mean of ratios and its t-interval (level) over the log ratios;
 * false (no interval) when k < 2. */
bool cmp_log_tinterval(const double *ratios, size_t k, double level,
		       double *gm, double *lo, double *hi);

#endif
