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
 * 2. Rounds without interrupt counts: the pooled floors within the
 *    threshold, same; beyond it, slower or faster (case 4).
 * 3. Where the rounds recorded their interrupts (a timer tick is a whole
 *    handler spread over the pass's pages, 0.6 instructions/page over
 *    16 MiB, and whether one lands in a pass depends on where the pass
 *    starts against the tick): the floors at one interrupt count, where a
 *    tick costs both sides the same.  Of the counts whose floors decide, the
 *    one the most rounds reach (on the side with fewer) stands, counts tied
 *    with it must agree (else undecided).  No common count decides and the pooled floors lie
 *    at different counts: their difference, less what the extra interrupts
 *    can cost (a step between a side's levels,
 *    else IRQ_SHARE_MAX of the time between two), must still pass the
 *    threshold; else undecided.  Never same on that path.
 * 4. Slower or faster: the whole interval beyond the threshold.
 *
 * The path's cost on a side lies between its lowest round and its floor
 * (one point when no round lies below the floor), so the difference lies
 * between those bounds, widened by the interrupts' allowance: slower needs
 * all of it above the threshold and by more than one side's boots put their
 * floors apart (boot_spread()), faster the mirror; same needs it within
 * +-threshold, where one lower round alone on a side is left out (an outlier
 * of the added work, a refill that did not come, as likely on either side).
 */
#include "compare/decide.h"
#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IRQ_SHARE_MAX 0.005	/* a tick costs at most 0.5% of the time between two */

struct floor {
	double x, min;		/* min: the lowest round, x when none is below */
	double min_same;	/* for same: min, or x when only one round is below */
	unsigned reach, below;	/* below: lower rounds none repeats */
	long long irqs;		/* most of the reaching rounds'; -1 not recorded */
	bool found;
};

struct round {
	double x;
	long long k;
	unsigned rep;
};

static int by_x(const void *a, const void *b)
{
	const struct round *p = a, *q = b;

	return (p->x > q->x) - (p->x < q->x);
}

static int by_k_x(const void *a, const void *b)
{
	const struct round *p = a, *q = b;

	if (p->k != q->k)
		return (p->k > q->k) - (p->k < q->k);
	return by_x(a, b);
}

/* By interrupts, then repeat, then x: each repeat's rounds at one count together. */
static int by_k_rep_x(const void *a, const void *b)
{
	const struct round *p = a, *q = b;

	if (p->k != q->k)
		return (p->k > q->k) - (p->k < q->k);
	if (p->rep != q->rep)
		return (p->rep > q->rep) - (p->rep < q->rep);
	return by_x(a, b);
}

static int by_k(const void *a, const void *b)
{
	const long long *p = a, *q = b;

	return (*p > *q) - (*p < *q);
}

/* The most common interrupt count of rounds r[0..n) (ties: the fewest). */
static long long modal_irqs(const struct round *r, size_t n)
{
	long long *k = xcalloc(n, sizeof(*k)), best = -1;
	size_t best_n = 0;

	for (size_t i = 0; i < n; i++)
		k[i] = r[i].k;
	qsort(k, n, sizeof(*k), by_k);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && k[j] == k[i]; j++)
			;
		if (j - i > best_n) {
			best_n = j - i;
			best = k[i];
		}
	}
	free(k);
	return best;
}

/* The lowest floor two of the rounds r[0..n), sorted by x, reach. */
static struct floor floor_in(const struct round *r, size_t n, double tol)
{
	size_t i, j = 0;

	for (i = 0; i + 1 < n; i++) {
		for (j = i + 1; j < n && r[j].x - r[i].x <= tol; j++)
			;
		if (j - i >= 2)
			break;
	}
	if (i + 1 >= n)
		return (struct floor){ .irqs = -1 };
	/*
	 * Lower rounds bound the cost from below.  For same, one alone is an
	 * outlier of the added work (a refill that did not come, say), as
	 * likely on either side; slower and faster still reach down to it.
	 */
	return (struct floor){ .x = r[i].x, .min = r[0].x, .min_same = i >= 2 ? r[0].x : r[i].x,
			       .reach = j - i, .below = i, .found = true,
			       .irqs = modal_irqs(r + i, j - i) };
}

/* One side's rounds: sorted by x, and the floor at each interrupt count. */
struct side {
	struct round *r, *by_k;
	size_t n;
	struct level {
		long long k;
		struct floor f;
	} *lv;
	size_t nr_lv;
};

static void side_init(struct side *s, const struct cmp_floor_side *in, double tol)
{
	size_t n = in->n;

	s->n = n;
	s->r = xcalloc(n, sizeof(*s->r));
	s->by_k = xcalloc(n, sizeof(*s->by_k));
	s->lv = xcalloc(n, sizeof(*s->lv));
	s->nr_lv = 0;
	for (size_t i = 0; i < n; i++)
		s->r[i] = (struct round){ in->x[i], in->irqs ? in->irqs[i] : -1,
					  in->rep ? in->rep[i] : 0 };
	memcpy(s->by_k, s->r, n * sizeof(*s->r));
	qsort(s->r, n, sizeof(*s->r), by_x);
	qsort(s->by_k, n, sizeof(*s->by_k), by_k_x);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && s->by_k[j].k == s->by_k[i].k; j++)
			;
		if (s->by_k[i].k >= 0)
			s->lv[s->nr_lv++] = (struct level){ s->by_k[i].k,
							    floor_in(s->by_k + i, j - i, tol) };
	}
}

static void side_free(struct side *s)
{
	free(s->r);
	free(s->by_k);
	free(s->lv);
}

/* The floor at k interrupts, or NULL (levels are sorted by k). */
static const struct floor *floor_at(const struct side *s, long long k)
{
	size_t lo = 0, hi = s->nr_lv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->lv[mid].k == k)
			return s->lv[mid].f.found ? &s->lv[mid].f : NULL;
		if (s->lv[mid].k < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Slower and faster must clear the boots' spread too: a side whose boots all
 * came out high would otherwise pass for a change.  Same need not: the
 * lowest boots of both sides reached one cost.
 */
static enum cmp_decision_verdict classify(struct cmp_decision *d, double thr)
{
	if (d->lo - d->boot_spread > thr)
		return DEC_SLOWER;
	if (d->hi + d->boot_spread < -thr)
		return DEC_FASTER;
	if (d->same_lo >= -thr && d->same_hi <= thr) {
		d->outliers_out = d->lo < d->same_lo || d->hi > d->same_hi;
		d->lo = d->same_lo;
		d->hi = d->same_hi;
		return DEC_SAME;
	}
	return DEC_UNDECIDED;
}

static void set_floors(struct cmp_decision *d, const struct floor *b, const struct floor *n,
		       double allow)
{
	d->est = n->x - b->x;
	d->lo = n->min - b->x - allow;
	d->hi = n->x - b->min + allow;
	d->same_lo = n->min_same - b->x - allow;
	d->same_hi = n->x - b->min_same + allow;
	d->outliers_out = false;
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
 * at two neighbouring interrupt counts; 0 when it shows none.
 */
static double irq_step(const struct side *s)
{
	const struct level *prev = NULL;
	double q = 0;

	for (size_t i = 0; i < s->nr_lv; i++) {
		const struct level *l = &s->lv[i];

		if (!l->f.found)
			continue;
		if (prev && (l->f.x - prev->f.x) / (l->k - prev->k) > q)
			q = (l->f.x - prev->f.x) / (l->k - prev->k);
		prev = l;
	}
	return q;
}

/*
 * Case 3: where the rounds recorded their interrupts, the floors at one
 * interrupt count, a tick's cost the same on both sides.  Of the counts
 * whose floors decide, the one the most rounds reach (on the side with
 * fewer) stands; counts tied with it must agree.  AT_NONE: no common count
 * decides.
 */
enum at_common { AT_NONE, AT_DECIDED, AT_CONFLICT };

static enum at_common decide_at_common_irqs(const struct side *b, const struct side *n,
					    double thr, struct cmp_decision *d)
{
	struct cmp_decision best = *d;
	unsigned best_reach = 0;
	bool conflict = false;

	for (size_t i = 0; i < b->nr_lv; i++) {
		const struct floor *fb = &b->lv[i].f, *fn = floor_at(n, b->lv[i].k);
		struct cmp_decision t = *d;
		unsigned reach;

		if (!fb->found || !fn)
			continue;
		set_floors(&t, fb, fn, 0);
		t.verdict = classify(&t, thr);
		if (t.verdict == DEC_UNDECIDED)	/* says nothing either way */
			continue;
		reach = fb->reach < fn->reach ? fb->reach : fn->reach;
		if (reach > best_reach) {
			best = t;
			best_reach = reach;
			conflict = false;
		} else if (reach == best_reach && t.verdict != best.verdict) {
			conflict = true;
		}
	}
	if (conflict)
		return AT_CONFLICT;
	if (!best_reach)
		return AT_NONE;
	*d = best;
	d->at_common_irqs = true;
	return AT_DECIDED;
}

/* Case 3, at different interrupts: what the extra ones can cost, per page. */
static double irq_allowance(const struct side *b, const struct side *n, const struct floor *fb,
			    const struct floor *fn)
{
	long long dk = llabs(fn->irqs - fb->irqs);
	double q = fmax(irq_step(b), irq_step(n));

	if (!dk || fb->irqs < 0 || fn->irqs < 0)
		return 0;
	if (!(q > 0)) {
		const struct floor *more = fn->irqs > fb->irqs ? fn : fb;

		q = IRQ_SHARE_MAX * more->x / (more->irqs > 0 ? more->irqs : 1);
	}
	return dk * q;
}

/*
 * How far apart a side's repeats (boots) put their floors, taken at one
 * interrupt count so that a tick's phase does not count: the largest spread
 * over the counts at which two repeats reproduce a floor, 0 when it is
 * within tol (then the boots reproduce one floor).  A boot's history (the
 * cells before, where memory lies) can move a floor for all its rounds;
 * pooling takes the lowest boot, and this says how far another could lie.
 */
static double boot_spread(const struct side *s, double tol)
{
	struct round *r = xcalloc(s->n, sizeof(*r));
	double widest = 0;

	memcpy(r, s->r, s->n * sizeof(*r));
	qsort(r, s->n, sizeof(*r), by_k_rep_x);
	for (size_t i = 0, j; i < s->n; i = j) {
		double lo = INFINITY, hi = -INFINITY;
		unsigned boots = 0;

		for (j = i; j < s->n && r[j].k == r[i].k; ) {
			size_t e;
			struct floor f;

			for (e = j + 1; e < s->n && r[e].k == r[i].k && r[e].rep == r[j].rep; e++)
				;
			f = floor_in(r + j, e - j, tol);
			if (f.found) {
				lo = fmin(lo, f.x);
				hi = fmax(hi, f.x);
				boots++;
			}
			j = e;
		}
		if (boots >= 2 && hi - lo > tol && hi - lo > widest)
			widest = hi - lo;
	}
	free(r);
	return widest;
}

/* Case 1: the lowest round, its cost down to one gap below it (sorted r, n >= 1). */
static struct floor lone_floor(const struct round *r, size_t n)
{
	double gap = n >= 2 ? r[1].x - r[0].x : INFINITY;

	return (struct floor){ .x = r[0].x, .min = r[0].x - gap, .min_same = r[0].x - gap,
			       .reach = 1, .irqs = r[0].k };
}

static void decide(const struct side *b, const struct side *n, double thr,
		   struct cmp_decision *d)
{
	struct floor fb = floor_in(b->r, b->n, thr / 2), fn = floor_in(n->r, n->n, thr / 2);

	d->unreproduced_b = !fb.found;
	d->unreproduced_n = !fn.found;
	d->below_b = fb.below;
	d->below_n = fn.below;
	if (!fb.found || !fn.found) {		/* case 1 */
		if (!b->n || !n->n)
			return;
		if (!fb.found)
			fb = lone_floor(b->r, b->n);
		if (!fn.found)
			fn = lone_floor(n->r, n->n);
		set_floors(d, &fb, &fn, 0);
		d->verdict = classify(d, thr);
		if (d->verdict == DEC_SAME)	/* (lone floors: no outliers left out) */
			d->verdict = DEC_UNDECIDED;
		return;
	}
	set_floors(d, &fb, &fn, 0);
	d->verdict = classify(d, thr);		/* cases 2 and 4 */
	if (fb.irqs < 0 || fn.irqs < 0)
		return;
	switch (decide_at_common_irqs(b, n, thr, d)) {
	case AT_DECIDED:
		return;
	case AT_CONFLICT:
		set_floors(d, &fb, &fn, irq_allowance(b, n, &fb, &fn));
		d->verdict = DEC_UNDECIDED;
		return;
	case AT_NONE:
		break;
	}
	if (fb.irqs != fn.irqs) {
		set_floors(d, &fb, &fn, irq_allowance(b, n, &fb, &fn));
		d->verdict = classify(d, thr);
		if (d->verdict == DEC_SAME) {	/* only the ticks' allowance made it so */
			set_floors(d, &fb, &fn, irq_allowance(b, n, &fb, &fn));
			d->verdict = DEC_UNDECIDED;
		}
	}
}

void cmp_decide_floor(const struct cmp_floor_side *base, const struct cmp_floor_side *new,
		      double thr, unsigned rounds_per_repeat, struct cmp_decision *d)
{
	struct side b, n;

	memset(d, 0, sizeof(*d));
	d->level = LEVEL_FLOOR;
	d->verdict = DEC_UNDECIDED;
	d->irqs_b = d->irqs_n = -1;
	d->p = NAN;
	side_init(&b, base, thr / 2);
	side_init(&n, new, thr / 2);
	d->boot_spread = fmax(boot_spread(&b, thr / 2), boot_spread(&n, thr / 2));
	decide(&b, &n, thr, d);
	if (d->verdict == DEC_UNDECIDED) {
		d->level = LEVEL_NONE;
		d->need_rounds = 2 * (rounds_per_repeat ? rounds_per_repeat : 1);
	}
	side_free(&b);
	side_free(&n);
}
