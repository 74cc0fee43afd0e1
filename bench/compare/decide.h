/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMPARE_DECIDE_H
#define UFFDBENCH_COMPARE_DECIDE_H

/*
 * The decision rule of one compared cell, on plain numbers: rounds nested in
 * repeats (boots, or `run --repeat` processes).  Each repeat contributes one
 * value (the median or the floor of its rounds) and that value's standard
 * error from its own rounds.  Values are on the scale the effect is judged
 * on: log(ns/page) for a relative threshold, ns/page (instructions/page under
 * icount) for an absolute one; the effect is new - base on that scale.
 *
 * 1. The repeats level: a t-interval over the repeats (paired: over the
 *    per-pair differences; else Welch), never narrower than the rounds
 *    alone allow.  With 2 boots it has 1 degree of freedom, but a change
 *    far larger than the boots' disagreement still stands out.
 * 2. The rounds level, only when the repeats agree with each other as well
 *    as their rounds say they should (Cochran's Q, p >= 0.2): then the
 *    between-repeat variance is not seen and the rounds' standard errors
 *    decide, with a normal interval.  One repeat a side: undecided (the
 *    rounds' interval shown), since nothing shows the between-repeat
 *    variance.
 * 3. Otherwise undecided, with the repeats a side that would decide if the
 *    spread stayed as it is.
 *
 * A level decides when its 95% interval says one thing: slower (the interval
 * above 0 and the estimate >= the threshold), faster (mirror), same (the
 * whole interval within +-threshold).  An interval that reaches past the
 * threshold on one side and not the other decides nothing: `same` needs
 * evidence that any change is smaller than the threshold.
 */
#include <stdbool.h>
#include <stddef.h>

enum cmp_decision_verdict { DEC_SAME, DEC_FASTER, DEC_SLOWER, DEC_UNDECIDED };
enum cmp_level { LEVEL_REPEATS, LEVEL_ROUNDS, LEVEL_NONE, LEVEL_FLOOR };

/* One side's repeats: value and its standard error from the repeat's rounds. */
struct cmp_dec_side {
	const double *v, *se;
	size_t n;
};

struct cmp_decision {
	enum cmp_decision_verdict verdict;
	enum cmp_level level;		/* what decided, or LEVEL_NONE */
	double est, lo, hi;		/* effect and the deciding (or widest) 95% interval */
	double p;			/* two-sided, of effect = 0, at that level */
	double df;			/* of the t at the repeats level; 0 at rounds */
	bool one_repeat;		/* a side with one repeat: undecided, rounds shown */
	bool heterogeneous;		/* repeats disagree beyond their rounds */
	unsigned need;			/* undecided: repeats a side that would decide; 0 unknown */
	/* cmp_decide_floor() only: */
	double floor_b, floor_n;	/* the floors set against each other */
	double same_lo, same_hi;	/* the interval same must lie in (outliers_out) */
	unsigned reach_b, reach_n;	/* rounds that reproduce each */
	long long irqs_b, irqs_n;	/* interrupts in those rounds' passes; -1 not recorded */
	double irq_allow;		/* what differing interrupts can cost, per page */
	bool unreproduced_b, unreproduced_n;	/* no floor reached by two rounds */
	unsigned below_b, below_n;	/* rounds under the floor that none repeats */
	bool at_common_irqs;		/* decided at one interrupt count a side */
	bool outliers_out;		/* same without a side's one lower round */
	double boot_spread;		/* how far one side's boots' floors lie apart (0: within tol) */
	unsigned need_rounds;		/* undecided: rounds a repeat that may decide */
};

/* One side under icount: every round of every repeat, pooled. */
struct cmp_floor_side {
	const double *x;		/* instructions/page */
	const long long *irqs;		/* interrupts in each round's pass, -1 unknown; or NULL */
	const unsigned *rep;		/* each round's repeat (boot); NULL: one repeat */
	size_t n;
};

/*
 * Decide on threshold thr (> 0, on the values' scale).  Paired: base and new
 * have the same n, element k of each from the same phase (boot pair k).
 * n >= 1 a side.
 */
void cmp_decide(const struct cmp_dec_side *base, const struct cmp_dec_side *new, bool paired,
		double thr, struct cmp_decision *d);
/*
 * The rule for exact counts (icount), in compare/floor.c: the floors of the
 * pooled rounds decide, the interrupts in each pass explaining differences
 * of a tick; thr is per page.  rounds_per_repeat sizes the advice when
 * undecided.
 */
void cmp_decide_floor(const struct cmp_floor_side *base, const struct cmp_floor_side *new,
		      double thr, unsigned rounds_per_repeat, struct cmp_decision *d);
/* What the interval [lo, hi] around est says against thr. */
enum cmp_decision_verdict cmp_classify(double est, double lo, double hi, double thr);
const char *cmp_level_name(enum cmp_level l);
/* Standard error of the median of n rounds: 1.2533 x their robust SD / sqrt(n). */
double cmp_median_se(const double *x, size_t n);

#endif
