// SPDX-License-Identifier: MIT
/*
 * The decision rule for exact instruction counts (icount; decide.h).
 *
 * Under icount a pass's count is the path's cost plus whatever work landed
 * in it: timer interrupts, allocator refills, deferred work.  Nothing ever
 * takes instructions away, so the path's cost is the floor, and a floor
 * that several rounds reach is not a lucky round but the path itself.  The
 * rounds of every repeat (boot) of a side are pooled; passes are grouped by
 * the interrupts that landed in them (a round's "irqs"), because one timer
 * tick costs a whole handler, which a short pass spreads over few pages.
 *
 *   level   the rounds of one side that took k interrupts
 *   floor   a level's fewest instructions/page
 *   reach   the level's rounds within half the threshold of its floor;
 *           a floor is reproduced when its reach is 2 or more
 *
 * 1. Some k has a reproduced floor on both sides: the floors at that k
 *    (the k both reach most often) decide.
 * 2. Else each side's lowest reproduced floor, at different k: the
 *    difference, less what the extra interrupts can cost (a level step seen
 *    in the data, or at most 5% of the time between interrupts), decides
 *    slower or faster; never same.
 * 3. Else, or when the difference sits at the threshold: undecided, and
 *    more rounds would decide.
 *
 * The interval around the difference spans each floor's reach (how far the
 * rounds that reproduce it spread) plus the interrupts' allowance of case 2.
 * Same: the interval within +-threshold.  Slower: the estimate beyond the
 * threshold and the interval above 0.  Faster: the mirror.
 */
#include "compare/decide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IRQ_SHARE_MAX 0.05	/* an interrupt costs at most 5% of the time between two */

struct level {
	long long k;
	double floor, spread;	/* spread: of the rounds that reach the floor */
	unsigned reach, rounds;
};

struct levels {
	struct level *l;
	size_t n;
};

static struct level *level_of(struct levels *ls, long long k)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->l[i].k == k)
			return &ls->l[i];
	ls->l[ls->n] = (struct level){ .k = k, .floor = INFINITY };
	return &ls->l[ls->n++];
}

/* Group a side's rounds by interrupts: each level's floor, reach and spread. */
static int levels_of(const struct cmp_floor_side *s, double tol, struct levels *ls)
{
	ls->n = 0;
	ls->l = calloc(s->n ? s->n : 1, sizeof(*ls->l));
	if (!ls->l)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		struct level *l = level_of(ls, s->irqs ? s->irqs[i] : -1);

		l->rounds++;
		if (s->x[i] < l->floor)
			l->floor = s->x[i];
	}
	for (size_t i = 0; i < s->n; i++) {
		struct level *l = level_of(ls, s->irqs ? s->irqs[i] : -1);
		double above = s->x[i] - l->floor;

		if (above > tol)
			continue;
		l->reach++;
		if (above > l->spread)
			l->spread = above;
	}
	return 0;
}

static const struct level *find(const struct levels *ls, long long k)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->l[i].k == k)
			return &ls->l[i];
	return NULL;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

/* Case 1: the k whose floors both sides reproduce most often (ties: fewer interrupts). */
static bool common_level(const struct levels *b, const struct levels *n,
			 const struct level **lb, const struct level **ln)
{
	unsigned best = 0;

	for (size_t i = 0; i < b->n; i++) {
		const struct level *x = &b->l[i], *y = find(n, x->k);
		unsigned m;

		if (!y || x->reach < 2 || y->reach < 2)
			continue;
		m = min_u(x->reach, y->reach);
		if (m > best || (m == best && x->k < (*lb)->k)) {
			best = m;
			*lb = x;
			*ln = y;
		}
	}
	return best > 0;
}

/* A side's lowest reproduced floor, or NULL. */
static const struct level *lowest(const struct levels *ls)
{
	const struct level *low = NULL;

	for (size_t i = 0; i < ls->n; i++)
		if (ls->l[i].reach >= 2 && (!low || ls->l[i].floor < low->floor))
			low = &ls->l[i];
	return low;
}

/* The largest cost per interrupt (per page) between two reproduced levels of a side. */
static double irq_step(const struct levels *ls)
{
	double q = 0;

	for (size_t i = 0; i < ls->n; i++)
		for (size_t j = 0; j < ls->n; j++) {
			const struct level *a = &ls->l[i], *c = &ls->l[j];

			if (a->reach < 2 || c->reach < 2 || c->k <= a->k || a->k < 0)
				continue;
			if ((c->floor - a->floor) / (c->k - a->k) > q)
				q = (c->floor - a->floor) / (c->k - a->k);
		}
	return q;
}

/*
 * What the extra interrupts of one side can cost, per page: the steps seen,
 * else IRQ_SHARE_MAX of a pass's time per interrupt.
 */
static double irq_allowance(const struct levels *b, const struct levels *n,
			    const struct level *lb, const struct level *ln)
{
	long long dk = llabs(ln->k - lb->k);
	double q = fmax(irq_step(b), irq_step(n));

	if (!(q > 0)) {
		const struct level *more = ln->k > lb->k ? ln : lb;

		q = IRQ_SHARE_MAX * more->floor / (more->k > 0 ? more->k : 1);
	}
	return dk * q;
}

static void set_floors(struct cmp_decision *d, const struct level *lb, const struct level *ln,
		       double allow)
{
	d->est = ln->floor - lb->floor;
	d->lo = d->est - lb->spread - allow;
	d->hi = d->est + ln->spread + allow;
	d->floor_b = lb->floor;
	d->floor_n = ln->floor;
	d->reach_b = lb->reach;
	d->reach_n = ln->reach;
	d->irqs_b = lb->k;
	d->irqs_n = ln->k;
	d->irq_allow = allow;
	d->p = NAN;
}

/* Cases 1 and 2; false when neither side gives a reproduced floor to set against. */
static bool compare_floors(const struct levels *b, const struct levels *n, double thr,
			   struct cmp_decision *d)
{
	const struct level *lb = NULL, *ln = NULL;

	if (common_level(b, n, &lb, &ln)) {
		set_floors(d, lb, ln, 0);
		d->verdict = cmp_classify(d->est, d->lo, d->hi, thr);
		return true;
	}
	lb = lowest(b);
	ln = lowest(n);
	if (!lb || !ln)
		return false;
	set_floors(d, lb, ln, irq_allowance(b, n, lb, ln));
	d->verdict = cmp_classify(d->est, d->lo, d->hi, thr);
	if (d->verdict == DEC_SAME)	/* at different interrupts: no evidence of sameness */
		d->verdict = DEC_UNDECIDED;
	return true;
}

/* Where undecided: the side whose floor no second round reached, else both. */
static void unreproduced(const struct levels *b, const struct levels *n, struct cmp_decision *d)
{
	double fb = INFINITY, fn = INFINITY;

	d->unreproduced_b = !lowest(b);
	d->unreproduced_n = !lowest(n);
	for (size_t i = 0; i < b->n; i++)
		fb = fmin(fb, b->l[i].floor);
	for (size_t i = 0; i < n->n; i++)
		fn = fmin(fn, n->l[i].floor);
	d->floor_b = fb;
	d->floor_n = fn;
	d->est = fn - fb;
	d->lo = d->hi = NAN;
}

void cmp_decide_floor(const struct cmp_floor_side *base, const struct cmp_floor_side *new,
		      double thr, unsigned rounds_per_repeat, struct cmp_decision *d)
{
	struct levels b, n;

	memset(d, 0, sizeof(*d));
	d->level = LEVEL_FLOOR;
	d->verdict = DEC_UNDECIDED;
	d->irqs_b = d->irqs_n = -1;
	d->p = NAN;
	if (levels_of(base, thr / 2, &b))
		abort();
	if (levels_of(new, thr / 2, &n))
		abort();
	if (!compare_floors(&b, &n, thr, d))
		unreproduced(&b, &n, d);
	if (d->verdict == DEC_UNDECIDED) {
		d->level = LEVEL_NONE;
		d->need_rounds = 2 * (rounds_per_repeat ? rounds_per_repeat : 1);
	}
	free(b.l);
	free(n.l);
}
