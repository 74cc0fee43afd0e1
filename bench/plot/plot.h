/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_PLOT_H
#define UFFDBENCH_PLOT_H

/*
 * plot: figures and a report from results directories.  Every figure is a
 * gnuplot data file (NAME.dat) and script (NAME.gp) in the output
 * directory, rendered by running gnuplot there, so a figure can be edited
 * and redrawn by hand (`cd DIR && gnuplot NAME.gp`).
 *
 *   cli/cmd_plot.c     the command: options, loading, the order of the figures
 *   plot/data.c    cells into series and points: centre, interval, alpha/beta fit
 *   plot/gp.c      what every script shares: terminal, titles, quoting, running gnuplot
 *   plot/batch.c   ns/page against batch size, one line per memory type
 *   plot/bars.c    bars per cell with their interval
 *   plot/change.c  % change per cell, NEW against BASE, coloured by verdict
 *   plot/numa.c    thread node x memory node heatmap (when placement varied)
 *   plot/fault.c   fault results: latency distributions from their histograms
 *   plot/capacity.c  capacity curves: faults/s and p99 against threads
 *   plot/report.c  report.md: the figures and the summary tables
 *
 * The statistics are compare's (compare.h): the same unit (per-repeat
 * medians when a cell has >= 2 ok repeats, else its rounds), the same fit,
 * the same verdicts.
 */
#include "core/file.h"
#include "compare/compare.h"
#include "results/read.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum plot_format { PLOT_PNG, PLOT_SVG, PLOT_DUMB };

/* One cell of one directory: its repeats reduced to a centre and an interval. */
struct plot_point {
	const struct cmp_group *g;
	unsigned batch;
	bool ok;			/* has timings; else status/reason say why not */
	const char *status, *reason;
	bool repeats;			/* unit: per-repeat medians, else rounds */
	size_t n;			/* values in the unit */
	double median, lo, hi;		/* ns/page */
	bool has_ci;			/* lo/hi: 95% CI of the median; else min/max */
	double ioctl_median;		/* ns/ioctl */
};

/* (memtype, mapping, ioctl, threads, placement) of one directory, by batch. */
struct plot_series {
	struct cmp_key key;		/* batch unused */
	struct plot_point *pts;
	size_t nr_pts, nr_ok;
	struct cmp_fit_side fit;	/* fit.ok: t(n) = alpha + beta n was fitted */
};

struct plot_dir {
	struct rr_dir d;
	char label[160];		/* "BASE 6.18.0 (base)": role, kernel, the run's label */
	struct cmp_group *groups;
	size_t nr_groups;
	struct plot_series *series;
	size_t nr_series;
	json_t *faults;			/* its "kind": "fault" lines (plot_fault_load) */
	json_t *capacities;		/* its "kind": "capacity" lines */
};

struct plot_fig {
	char *stem;			/* NAME: NAME.dat, NAME.gp, NAME.png */
	char *section;			/* report section it belongs to */
	char *caption;
};

struct plot_ctx {
	enum plot_format fmt;
	const char *out;		/* figures and report go here: the staging directory */
	const char *final;		/* --out, where they are moved on success */
	struct made_dirs made;		/* directories of --out plot created */
	FILE *log;			/* what plot says on stdout, printed on success */
	char *log_buf;
	size_t log_len;
	const char *gnuplot;		/* the program */
	struct plot_dir *dirs;
	size_t nr_dirs;
	struct cmp_opts copts;
	struct cmp_result *cmps;	/* dirs[i + 1] against dirs[0] */
	struct plot_fig *figs;
	size_t nr_figs;
	char **notes;			/* what was not drawn, and why */
	size_t nr_notes;
	bool failed;			/* a figure failed (said once, on stderr) */
	bool per_4k;			/* --per-4k: ns per 4 KiB instead of per page */
};

/* plot/data.c: role is "BASE", "NEW", "NEW2" ... or "" for a single directory */
void plot_dir_build(struct plot_dir *pd, const char *role, bool per_4k);
/* "page", or "4 KiB" with --per-4k: what every ns/... axis is per. */
const char *plot_per(const struct plot_ctx *c);
void plot_dir_free(struct plot_dir *pd);
bool plot_has_ok(const struct plot_dir *pd);
/* Distinct values across every directory, sorted: ioctls (in copy, zeropage,
 * continue order), thread counts, memtypes (in table order), batches. */
size_t plot_ioctls(const struct plot_ctx *c, const char **out, size_t max);
size_t plot_threads(const struct plot_ctx *c, unsigned *out, size_t max);
size_t plot_memtypes(const struct plot_ctx *c, const char **out, size_t max);
size_t plot_batches(const struct plot_ctx *c, const char *ioctl, unsigned threads,
		    unsigned *out, size_t max);
const struct plot_point *plot_find(const struct plot_dir *pd, const char *memtype,
				   const char *ioctl, unsigned threads, unsigned batch);

/* plot/gp.c */
const char *plot_ext(enum plot_format f);
/* NAME.gp opened for writing, with the terminal and output set. */
FILE *plot_gp_open(struct plot_ctx *c, const char *stem, int width, int height);
/* NAME.dat opened for writing, with a header comment. */
FILE *plot_dat_open(struct plot_ctx *c, const char *stem, const char *what);
/* A gnuplot double-quoted string. */
void plot_gp_str(FILE *f, const char *s);
/* "6.18.0 | Intel Xeon ... | host": what ran, for titles. */
const char *plot_machine(const struct plot_ctx *c, char *buf, size_t len);
const char *plot_colour(size_t i);
/* "instructions" when the directories were measured under icount, else "ns". */
const char *plot_unit(const struct plot_ctx *c);
/* Log-axis tics at 1, 2, 5 x 10^k around [lo, hi], and the range they span. */
void plot_log_tics(FILE *gp, char axis, double lo, double hi);
/* Close NAME.gp, run gnuplot on it and record the figure for the report. */
void plot_render(struct plot_ctx *c, FILE *gp, const char *stem, const char *section,
		 const char *caption);
void plot_note(struct plot_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The path of gnuplot on $PATH ($UFFDBENCH_GNUPLOT overrides), or NULL. */
const char *plot_find_gnuplot(void);
const char *plot_ioctl_name(const char *ioctl);	/* ioctl_name (+ name if shared) */
/* Columns of a dumb-terminal figure: the terminal's width (stdout, $COLUMNS), else 80. */
int plot_text_width(void);

/* The figures. */
void plot_batch(struct plot_ctx *c);
void plot_bars(struct plot_ctx *c);
void plot_change(struct plot_ctx *c);
void plot_numa(struct plot_ctx *c);
void plot_fault(struct plot_ctx *c);
void plot_capacity(struct plot_ctx *c);

/* plot/fault.c: the fault and capacity lines of a directory, and their summary. */
void plot_fault_load(struct plot_dir *pd);
bool plot_fault_any(const struct plot_dir *pd);	/* a fault or capacity figure to draw */
void plot_fault_label(json_t *fault, char *buf, size_t len);
void plot_fault_table(FILE *f, const struct plot_dir *pd);
/* plot/report.c: OUT/report.md; 0 or -errno. */
int plot_report(struct plot_ctx *c, int argc, char **argv);

/* plot/stage.c: the staging directory inside final, and its end. */
int plot_stage_begin(struct plot_ctx *c, const char *final, char *err, size_t len);
int plot_stage_commit(struct plot_ctx *c, char *err, size_t len);
void plot_stage_abort(struct plot_ctx *c);
void plot_stage_free(struct plot_ctx *c);
/* The first failure: said on stderr (later ones are consequences), c->failed set. */
void __attribute__((format(printf, 2, 3))) plot_fail(struct plot_ctx *c, const char *fmt, ...);
/* Close a .dat or .gp file: a failed write is plot_fail()ed. */
void plot_close(struct plot_ctx *c, FILE *f, const char *stem, const char *ext);

#endif
