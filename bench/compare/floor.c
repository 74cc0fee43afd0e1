// SPDX-License-Identifier: MIT
/*
 * The decision rule for exact instruction counts (icount; decide.h).
 *
 * Under icount a pass's count is the path's cost plus whatever work landed
 * in it: timer interrupts, allocator refills, deferred work.  Nothing takes
 * instructions away, so the path's cost is the floor, and a floor that two
 * rounds reach is the path itself, not a lucky round.  Each side's rounds,
 * every repeat (boot) pooled:
 *
 *   floor   the fewest instructions/page that two rounds reach within half
 *           the threshold (tol); lower rounds that no other round repeats
 *           are counted ("below"), and since nothing takes instructions
 *           away, the lowest of them bounds the path's cost from below
 *   reach   the rounds within tol of the floor
 *   irqs    the interrupts most of those rounds took (a round's "irqs")
 *
 * 1. No floor on a side (no two rounds within tol): its lowest round stands
 *    in, its cost taken to lie down to one gap (to the next round) below
 *    it.  That can still decide slower or faster, never same; else
 *    undecided, and more rounds would decide.
 * 2. The floors within the threshold, lower lone rounds included: same.
 * 3. Beyond it, where the rounds recorded their interrupts: a timer tick is
 *    a whole handler, spread over the pass's pages (0.6 instructions/page
 *    over 16 MiB here), and whether a tick lands in a pass depends on where
 *    the pass starts against the tick.  If both sides have a floor at the
 *    same number of interrupts and those agree, the difference was the
 *    ticks: same.  If the floors were taken at different interrupts, the
 *    difference less what the extra interrupts can cost (a step between a
 *    side's levels, else IRQ_SHARE_MAX of the time between two) must still
 *    pass the threshold; else undecided.
 * 4. Otherwise slower or faster.
 *
 * The path's cost on a side lies between its lowest round and its floor
 * (one point when no round lies below the floor), so the difference lies
 * between those bounds, widened by the interrupts' allowance: same needs
 * all of it within +-threshold, slower all of it above the threshold,
 * faster all of it below -threshold.
 */
#include "compare/decide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IRQ_SHARE_MAX 0.005	/* a tick costs at most 0.5% of the time between two */

struct floor {
	double x, min;		/* min: the lowest round, x when none is below */
	unsigned reach, below;	/* below: lower rounds none repeats */
	long long irqs;		/* most of the reaching rounds'; -1 not recorded */
	bool found;
};

struct round {
	double x;
	long long k;
};

static int by_x(const void *a, const void *b)
{
	const struct round *p = a, *q = b;

	return (p->x > q->x) - (p->x < q->x);
}

/* The most common interrupt count of rounds r[0..n). */
static long long modal_irqs(const struct round *r, size_t n)
{
	long long best = -1;
	size_t best_n = 0;

	for (size_t i = 0; i < n; i++) {
		size_t c = 0;

		for (size_t j = 0; j < n; j++)
			c += r[j].k == r[i].k;
		if (c > best_n || (c == best_n && r[i].k < best)) {
			best_n = c;
			best = r[i].k;
		}
	}
	return best;
}

/* The lowest floor two of the sorted rounds r[0..n) reach, only those with k (any: -2). */
static struct floor floor_of(const struct round *r, size_t n, double tol, long long k)
{
	struct floor f = { .irqs = -1 };
	struct round *in = calloc(n ? n : 1, sizeof(*in));
	size_t m = 0, i, j;

	if (!in)
		abort();
	for (i = 0; i < n; i++)
		if (k == -2 || r[i].k == k)
			in[m++] = r[i];
	for (i = 0; i + 1 < m; i++) {
		for (j = i + 1; j < m && in[j].x - in[i].x <= tol; j++)
			;
		if (j - i >= 2)
			break;
	}
	if (i + 1 < m) {
		f = (struct floor){ .x = in[i].x, .min = in[0].x,
				    .reach = j - i, .below = i, .found = true,
				    .irqs = modal_irqs(in + i, j - i) };
	}
	free(in);
	return f;
}

static struct round *rounds_of(const struct cmp_floor_side *s)
{
	struct round *r = calloc(s->n ? s->n : 1, sizeof(*r));

	if (!r)
		abort();
	for (size_t i = 0; i < s->n; i++)
		r[i] = (struct round){ s->x[i], s->irqs ? s->irqs[i] : -1 };
	qsort(r, s->n, sizeof(*r), by_x);
	return r;
}

static enum cmp_decision_verdict classify(const struct cmp_decision *d, double thr)
{
	if (d->lo > thr)
		return DEC_SLOWER;
	if (d->hi < -thr)
		return DEC_FASTER;
	if (d->lo >= -thr && d->hi <= thr)
		return DEC_SAME;
	return DEC_UNDECIDED;
}

static void set_floors(struct cmp_decision *d, const struct floor *b, const struct floor *n,
		       double allow)
{
	d->est = n->x - b->x;
	d->lo = n->min - b->x - allow;
	d->hi = n->x - b->min + allow;
	d->floor_b = b->x;
	d->floor_n = n->x;
	d->reach_b = b->reach;
	d->reach_n = n->reach;
	d->irqs_b = b->irqs;
	d->irqs_n = n->irqs;
	d->irq_allow = allow;
}

/*
 * A side's cost per interrupt, per page: the largest step between its floors
 * at two interrupt counts; 0 when it shows none.
 */
static double irq_step(const struct round *r, size_t n, double tol)
{
	double q = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			struct floor a, c;

			if (r[i].k < 0 || r[j].k <= r[i].k)
				continue;
			a = floor_of(r, n, tol, r[i].k);
			c = floor_of(r, n, tol, r[j].k);
			if (a.found && c.found && (c.x - a.x) / (r[j].k - r[i].k) > q)
				q = (c.x - a.x) / (r[j].k - r[i].k);
		}
	return q;
}

/* Case 3, same side: both floors at one interrupt count, and within the threshold. */
static bool same_at_common_irqs(const struct round *b, size_t nb, const struct round *n,
				size_t nn, double tol, double thr, struct cmp_decision *d)
{
	for (size_t i = 0; i < nb; i++) {
		struct floor fb, fn;
		struct cmp_decision t = *d;

		if (b[i].k < 0 || (i && b[i].k == b[i - 1].k))
			continue;
		fb = floor_of(b, nb, tol, b[i].k);
		fn = floor_of(n, nn, tol, b[i].k);
		if (!fb.found || !fn.found)
			continue;
		set_floors(&t, &fb, &fn, 0);
		if (classify(&t, thr) == DEC_SAME) {
			*d = t;
			d->verdict = DEC_SAME;
			d->at_common_irqs = true;
			return true;
		}
	}
	return false;
}

/* Case 3, at different interrupts: what the extra ones can cost, per page. */
static double irq_allowance(const struct round *b, size_t nb, const struct round *n, size_t nn,
			    double tol, const struct floor *fb, const struct floor *fn)
{
	long long dk = llabs(fn->irqs - fb->irqs);
	double q = fmax(irq_step(b, nb, tol), irq_step(n, nn, tol));

	if (!dk || fb->irqs < 0 || fn->irqs < 0)
		return 0;
	if (!(q > 0)) {
		const struct floor *more = fn->irqs > fb->irqs ? fn : fb;

		q = IRQ_SHARE_MAX * more->x / (more->irqs > 0 ? more->irqs : 1);
	}
	return dk * q;
}

/* Case 1: the lowest round, its cost down to one gap below it (sorted r, n >= 1). */
static struct floor lone_floor(const struct round *r, size_t n)
{
	double gap = n >= 2 ? r[1].x - r[0].x : INFINITY;

	return (struct floor){ .x = r[0].x, .min = r[0].x - gap, .reach = 1, .irqs = r[0].k };
}

static void decide(const struct round *b, size_t nb, const struct round *n, size_t nn,
		   double thr, struct cmp_decision *d)
{
	double tol = thr / 2;
	struct floor fb = floor_of(b, nb, tol, -2), fn = floor_of(n, nn, tol, -2);

	d->unreproduced_b = !fb.found;
	d->unreproduced_n = !fn.found;
	d->below_b = fb.below;
	d->below_n = fn.below;
	if (!fb.found || !fn.found) {		/* case 1 */
		if (!nb || !nn)
			return;
		if (!fb.found)
			fb = lone_floor(b, nb);
		if (!fn.found)
			fn = lone_floor(n, nn);
		set_floors(d, &fb, &fn, 0);
		d->verdict = classify(d, thr);
		if (d->verdict == DEC_SAME)
			d->verdict = DEC_UNDECIDED;
		return;
	}
	set_floors(d, &fb, &fn, 0);
	d->verdict = classify(d, thr);
	if (d->verdict == DEC_SAME)		/* case 2 */
		return;
	if (same_at_common_irqs(b, nb, n, nn, tol, thr, d))
		return;
	if (fb.irqs != fn.irqs) {
		set_floors(d, &fb, &fn, irq_allowance(b, nb, n, nn, tol, &fb, &fn));
		d->verdict = classify(d, thr);
		if (d->verdict == DEC_SAME)	/* only the ticks' allowance made it so */
			d->verdict = DEC_UNDECIDED;
	}
}

void cmp_decide_floor(const struct cmp_floor_side *base, const struct cmp_floor_side *new,
		      double thr, unsigned rounds_per_repeat, struct cmp_decision *d)
{
	struct round *b = rounds_of(base), *n = rounds_of(new);

	memset(d, 0, sizeof(*d));
	d->level = LEVEL_FLOOR;
	d->verdict = DEC_UNDECIDED;
	d->irqs_b = d->irqs_n = -1;
	d->p = NAN;
	decide(b, base->n, n, new->n, thr, d);
	if (d->verdict == DEC_UNDECIDED) {
		d->level = LEVEL_NONE;
		d->need_rounds = 2 * (rounds_per_repeat ? rounds_per_repeat : 1);
	}
	free(b);
	free(n);
}
