// SPDX-License-Identifier: MIT
/*
 * A compared cell through the decision rule (decide.h): each ok repeat gives
 * its value (median or floor of its rounds) and that value's standard error
 * from its rounds; paired repeats are matched by index.  The scale is
 * log(ns/page) against a relative threshold, or ns/page (instructions/page
 * under icount) against an absolute one.  Then, once p is adjusted across
 * the cells, the verdict and the rule that gave it.
 */
#include "compare/compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reps {
	double *v, *se;
	unsigned *idx;
	size_t n;
};

static bool absolute(const struct cmp_opts *o)
{
	return o->abs_threshold > 0;
}

const char *cmp_p_method(const struct cmp_cell *c)
{
	return c->dec.level == LEVEL_REPEATS || (c->dec.level == LEVEL_NONE && !c->dec.one_repeat) ?
	       "t" : "normal";
}

const char *cmp_unit(const struct cmp_opts *o)
{
	return bench_clock_unit(o->clock);
}

static void reps_alloc(struct reps *r, size_t n)
{
	r->v = xcalloc(n ? n : 1, sizeof(double));
	r->se = xcalloc(n ? n : 1, sizeof(double));
	r->idx = xcalloc(n ? n : 1, sizeof(unsigned));
	r->n = 0;
}

static void reps_of(const struct cmp_group *g, bool abs, struct reps *r)
{
	reps_alloc(r, g->nr_reps);
	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];
		double v, se;

		if (!rr_cell_ok(c) || !c->nr_rounds)
			continue;
		v = cmp_repeat_value(c->ns_per_page, c->nr_rounds);
		se = cmp_repeat_se(c->ns_per_page, c->nr_rounds);
		r->v[r->n] = abs ? v : log(v);
		r->se[r->n] = abs ? se : se / v;
		r->idx[r->n++] = c->repeat;
	}
}

static void reps_push(struct reps *r, const struct reps *from, size_t i)
{
	r->v[r->n] = from->v[i];
	r->se[r->n] = from->se[i];
	r->idx[r->n++] = from->idx[i];
}

/* The repeats present on both sides, in the same order, into pb and pn. */
static size_t pair_up(const struct reps *b, const struct reps *n, struct reps *pb,
		      struct reps *pn)
{
	reps_alloc(pb, b->n);
	reps_alloc(pn, b->n);
	for (size_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < n->n; j++)
			if (b->idx[i] == n->idx[j]) {
				reps_push(pb, b, i);
				reps_push(pn, n, j);
				break;
			}
	return pb->n;
}

static void reps_free(struct reps *r)
{
	free(r->v);
	free(r->se);
	free(r->idx);
}

static double mean(const double *v, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

/* ratio, CI and delta from the decision, on the scale it was made on */
static void set_effect(struct cmp_cell *c, const struct reps *b, bool abs)
{
	const struct cmp_decision *d = &c->dec;
	double m = mean(b->v, b->n);

	if (abs) {
		c->delta = d->est;
		c->delta_lo = d->lo;
		c->delta_hi = d->hi;
		c->ratio = (m + d->est) / m;
		c->ci_lo = (m + d->lo) / m;
		c->ci_hi = (m + d->hi) / m;
		return;
	}
	c->ratio = exp(d->est);
	c->ci_lo = exp(d->lo);
	c->ci_hi = exp(d->hi);
	c->delta = exp(m) * (c->ratio - 1);
	c->delta_lo = exp(m) * (c->ci_lo - 1);
	c->delta_hi = exp(m) * (c->ci_hi - 1);
}

/* Exact counts judged on their floors (floor.c): icount, the default --stat. */
static bool floor_rule(const struct cmp_opts *o)
{
	return o->clock == CLOCK_ICOUNT && o->floor && absolute(o);
}

/*
 * What boots reproduce of a path under icount: the floors of COPY (11,000
 * instructions a page) moved by up to 1.2 a page (0.011%) from boot to boot
 * on Debian's 6.1 kernel, all of a boot's rounds together.  A threshold
 * finer than that would call a boot's history a change.
 */
#define ICOUNT_RESOLUTION 2e-4

/* A page's share of the threshold, which is per 4 KiB of memory moved. */
double cmp_page_units(const struct cmp_cell *c)
{
	const struct cmp_group *g = c->base.g;

	for (size_t i = 0; i < g->nr_reps; i++)
		if (rr_cell_ok(g->reps[i]) && g->reps[i]->page_size)
			return g->reps[i]->page_size / 4096.0;
	return 1;
}

/* Per page: --abs-threshold per 4 KiB; under the floor rule at least 0.02% of the path. */
double cmp_threshold_per_page(const struct cmp_cell *c, const struct cmp_opts *o)
{
	double thr = o->abs_threshold * cmp_page_units(c);

	if (floor_rule(o) && isfinite(c->base.median))
		thr = fmax(thr, ICOUNT_RESOLUTION * c->base.median);
	return thr;
}

struct pooled {
	double *x;
	long long *irqs;
	unsigned *rep;
	size_t n;
	unsigned per_repeat;		/* the most rounds of one repeat */
};

/* Every round of every ok repeat of a side. */
static void pool_rounds(const struct cmp_group *g, struct pooled *p)
{
	size_t total = 0;

	for (size_t i = 0; i < g->nr_reps; i++)
		if (rr_cell_ok(g->reps[i]))
			total += g->reps[i]->nr_rounds;
	*p = (struct pooled){ xcalloc(total ? total : 1, sizeof(double)),
			      xcalloc(total ? total : 1, sizeof(long long)),
			      xcalloc(total ? total : 1, sizeof(unsigned)), 0, 0 };
	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];

		if (!rr_cell_ok(c))
			continue;
		memcpy(p->x + p->n, c->ns_per_page, c->nr_rounds * sizeof(double));
		memcpy(p->irqs + p->n, c->irqs, c->nr_rounds * sizeof(long long));
		for (size_t k = 0; k < c->nr_rounds; k++)
			p->rep[p->n + k] = i;
		p->n += c->nr_rounds;
		if (c->nr_rounds > p->per_repeat)
			p->per_repeat = c->nr_rounds;
	}
}

static void decide_floor_cell(struct cmp_cell *c, const struct cmp_opts *o)
{
	struct pooled b, n;
	double thr = cmp_threshold_per_page(c, o);

	pool_rounds(c->base.g, &b);
	pool_rounds(c->new.g, &n);
	cmp_decide_floor(&(struct cmp_floor_side){ b.x, b.irqs, b.rep, b.n },
			 &(struct cmp_floor_side){ n.x, n.irqs, n.rep, n.n }, thr,
			 b.per_repeat > n.per_repeat ? b.per_repeat : n.per_repeat, &c->dec);
	c->paired = false;
	c->by_floors = true;
	c->has_ci = true;
	c->has_p = false;
	c->p = NAN;
	c->delta = c->dec.est;
	c->delta_lo = c->dec.lo;
	c->delta_hi = c->dec.hi;
	c->ratio = c->dec.floor_n / c->dec.floor_b;
	c->ci_lo = (c->dec.floor_b + c->dec.lo) / c->dec.floor_b;
	c->ci_hi = (c->dec.floor_b + c->dec.hi) / c->dec.floor_b;
	if (!(c->dec.floor_b > 0) || !isfinite(c->dec.lo))	/* no floors set against each other */
		c->has_ci = false;
	free(b.x);
	free(b.irqs);
	free(b.rep);
	free(n.x);
	free(n.irqs);
	free(n.rep);
}

void cmp_decide_cell(struct cmp_cell *c, const struct cmp_opts *o)
{
	struct reps b, n;
	bool abs = absolute(o), paired = false;
	double thr = abs ? cmp_threshold_per_page(c, o) : log1p(o->threshold);

	if (floor_rule(o)) {
		decide_floor_cell(c, o);
		return;
	}
	reps_of(c->base.g, abs, &b);
	reps_of(c->new.g, abs, &n);
	if (o->paired && b.n >= 2 && n.n >= 2) {
		struct reps pb, pn;

		paired = pair_up(&b, &n, &pb, &pn) >= 2;
		reps_free(paired ? &b : &pb);
		reps_free(paired ? &n : &pn);
		if (paired) {
			b = pb;
			n = pn;
		}
	}
	cmp_decide(&(struct cmp_dec_side){ b.v, b.se, b.n }, &(struct cmp_dec_side){ n.v, n.se, n.n },
		   paired, thr, &c->dec);
	c->paired = paired;
	c->has_ci = c->has_p = true;
	c->p = c->dec.p;
	set_effect(c, &b, abs);
	reps_free(&b);
	reps_free(&n);
}

/* A rule line: cut at len if it must be (the rule says the most first). */
static void say(char *s, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *s, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, len, fmt, ap);
	va_end(ap);
}

/* "+3.02 instructions/page [+2.81, +3.23]" or "+3.1% [+2.2, +4.0]" */
static void effect_text(const struct cmp_cell *c, const struct cmp_opts *o, char *buf, size_t len)
{
	if (absolute(o))
		snprintf(buf, len, "Δ %+.2f %s/page [%+.2f, %+.2f]", c->delta, cmp_unit(o),
			 c->delta_lo, c->delta_hi);
	else
		snprintf(buf, len, "Δ %+.2f%% [%+.2f, %+.2f]", 100 * (c->ratio - 1),
			 100 * (c->ci_lo - 1), 100 * (c->ci_hi - 1));
}

static void threshold_text(const struct cmp_cell *c, const struct cmp_opts *o, char *buf,
			   size_t len)
{
	double per_page = cmp_threshold_per_page(c, o);

	if (!absolute(o))
		snprintf(buf, len, "%g%%", 100 * o->threshold);
	else if (per_page > o->abs_threshold * cmp_page_units(c))
		snprintf(buf, len, "%.3g %s/page (0.02%% of the path, above %g per 4 KiB)",
			 per_page, cmp_unit(o), o->abs_threshold);
	else if (per_page != o->abs_threshold)
		snprintf(buf, len, "%g %s/page (%g per 4 KiB)", per_page, cmp_unit(o),
			 o->abs_threshold);
	else
		snprintf(buf, len, "%g %s/page", o->abs_threshold, cmp_unit(o));
}

/* "at 2 interrupts" or "" when the rounds did not record them */
static void irqs_text(long long k, char *buf, size_t len)
{
	if (k < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, " at %lld interrupt%s", k, k == 1 ? "" : "s");
}

/*
 * "floors 790.07 (8 rounds) vs 793.07 (9 rounds) at 1 interrupt", and the
 * lower rounds no other round repeated, left out.
 */
static void floors_text(const struct cmp_decision *d, char *buf, size_t len)
{
	char kb[40], kn[40];
	size_t off = 0;

	irqs_text(d->irqs_b, kb, sizeof(kb));
	irqs_text(d->irqs_n, kn, sizeof(kn));
	if (d->irqs_b == d->irqs_n)
		appendf(buf, len, &off, "floors %.2f (%u rounds) vs %.2f (%u rounds)%s%s",
			d->floor_b, d->reach_b, d->floor_n, d->reach_n, kb,
			!d->at_common_irqs ? "" : d->verdict == DEC_SAME ?
			", where both sides' passes took as many: the lowest floors "
			"differed by the ticks that landed" :
			", where both sides' passes took as many");
	else
		appendf(buf, len, &off, "floors %.2f (%u rounds%s) vs %.2f (%u rounds%s), "
			"the interrupts' cost ±%.2f allowed", d->floor_b, d->reach_b, kb,
			d->floor_n, d->reach_n, kn, d->irq_allow);
	if (d->below_b + d->below_n)
		appendf(buf, len, &off, "; %u lower round%s that no other round repeats %s",
			d->below_b + d->below_n, d->below_b + d->below_n == 1 ? "" : "s",
			d->outliers_out ? "left out (one a side is an outlier of the added work)" :
			"bound the cost from below");
	if (d->boot_spread > 0)
		appendf(buf, len, &off, "; one side's boots lie %.2f apart (slower or faster "
			"must clear it)", d->boot_spread);
}

/* The floor rule's verdict line (floor.c). */
static void judge_floor(struct cmp_cell *c, const struct cmp_opts *o, const char *thr)
{
	const struct cmp_decision *d = &c->dec;
	char eff[128], fl[400];

	effect_text(c, o, eff, sizeof(eff));
	floors_text(d, fl, sizeof(fl));
	if (d->verdict == DEC_SAME || d->verdict == DEC_SLOWER || d->verdict == DEC_FASTER) {
		c->verdict = d->verdict == DEC_SAME ? CMP_SAME :
			     d->verdict == DEC_SLOWER ? CMP_SLOWER : CMP_FASTER;
		say(c->rule, sizeof(c->rule), "floors decide: %s %s ±%s; %s%s", eff,
		    d->verdict == DEC_SAME ? "within" : "beyond", thr, fl,
		    c->repeats ? "" : "; one boot a side: how floors differ from boot to "
		    "boot is unseen (--boots 2 shows it)");
		return;
	}
	c->verdict = CMP_UNDECIDED;
	if (d->unreproduced_b || d->unreproduced_n)
		say(c->rule, sizeof(c->rule), "undecided: %s floor (%.2f vs %.2f) reached by "
		    "one round only, none repeats it; --rounds %u a repeat would tell",
		    d->unreproduced_b && d->unreproduced_n ? "neither side's" :
		    d->unreproduced_b ? "the base's" : "the new side's",
		    d->floor_b, d->floor_n, d->need_rounds);
	else
		say(c->rule, sizeof(c->rule), "undecided: %s reaches both sides of ±%s; %s; "
		    "--rounds %u a repeat would tell", eff, thr, fl, d->need_rounds);
}

/* which level decided, and on how much */
static void level_text(const struct cmp_cell *c, char *buf, size_t len)
{
	const struct cmp_decision *d = &c->dec;

	if (d->level == LEVEL_REPEATS)
		snprintf(buf, len, "%s decide (t, %.0f df)", c->paired ? "paired repeats" : "repeats",
			 d->df);
	else
		snprintf(buf, len, "rounds decide (the repeats agree within their rounds)");
}

static void undecided_text(const struct cmp_cell *c, const char *eff, const char *thr,
			   char *s, size_t len)
{
	const struct cmp_decision *d = &c->dec;
	char need[160] = "";

	if (d->one_repeat)
		snprintf(need, sizeof(need), "; one repeat a side cannot show how far the next "
			 "would move: run --repeat 3 or more (kernel-ab --boots 3)");
	else if (d->need)
		snprintf(need, sizeof(need), "; about %u repeats (boots) a side would decide", d->need);
	else
		snprintf(need, sizeof(need), "; the change sits at the threshold: no number of "
			 "repeats up to 1000 would decide");
	say(s, len, "undecided: %s reaches both sides of ±%s%s%s", eff, thr,
		 d->heterogeneous ? "; repeats disagree beyond their rounds" : "", need);
}

void cmp_judge_cell(struct cmp_cell *c, const struct cmp_opts *o)
{
	double p = o->fdr ? c->q : c->p;
	const char *pn = o->fdr ? "q" : "p";
	char eff[128], thr[96], lvl[96];

	threshold_text(c, o, thr, sizeof(thr));
	if (floor_rule(o)) {
		judge_floor(c, o, thr);
		return;
	}
	effect_text(c, o, eff, sizeof(eff));
	level_text(c, lvl, sizeof(lvl));
	switch (c->dec.verdict) {
	case DEC_SAME:
		c->verdict = CMP_SAME;
		say(c->rule, sizeof(c->rule), "%s: %s within ±%s", lvl, eff, thr);
		return;
	case DEC_SLOWER:
	case DEC_FASTER:
		if (p < o->alpha) {
			c->verdict = c->dec.verdict == DEC_SLOWER ? CMP_SLOWER : CMP_FASTER;
			say(c->rule, sizeof(c->rule), "%s: %s, beyond %s; %s=%.2g", lvl, eff,
				 thr, pn, p);
			return;
		}
		c->verdict = CMP_UNDECIDED;
		say(c->rule, sizeof(c->rule), "undecided: %s, but %s=%.2g >= %g across "
			 "the cells (BH)", eff, pn, p, o->alpha);
		return;
	case DEC_UNDECIDED:
		c->verdict = CMP_UNDECIDED;
		undecided_text(c, eff, thr, c->rule, sizeof(c->rule));
		return;
	}
}
