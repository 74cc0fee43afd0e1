// SPDX-License-Identifier: MIT
/*
 * The decision rule for exact counts (compare/floor.c) on synthetic rounds,
 * at the smallest n it accepts (one boot a side, two rounds), and what it
 * must never do: call a large change same, or call a floor that no second
 * round reached anything but undecided.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compare/decide.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#define THR 1.0			/* instructions/page */
#define NONE (-1)

struct rounds {
	double x[64];
	long long k[64];
	size_t n;
	unsigned rep[64];	/* each round's boot; all 0: one boot */
};

/* Decide base against new; irqs NULL when no round recorded them. */
static struct cmp_decision decide(const struct rounds *b, const struct rounds *n, bool irqs)
{
	struct cmp_decision d;

	cmp_decide_floor(&(struct cmp_floor_side){ .x = b->x, .irqs = irqs ? b->k : NULL,
						   .rep = b->rep, .n = b->n },
			 &(struct cmp_floor_side){ .x = n->x, .irqs = irqs ? n->k : NULL,
						   .rep = n->rep, .n = n->n }, THR, 2, &d);
	return d;
}

static void test_aa_two_rounds(void **state)
{
	struct rounds b = { { 790.07, 790.07 }, { 0 }, 2 }, n = b;
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_SAME);
	assert_true(d.est == 0);
	assert_int_equal(d.level, LEVEL_FLOOR);
}

/* +3 instructions/page, two rounds a side, one of them hit by a refill. */
static void test_plus3_two_rounds(void **state)
{
	struct rounds b = { { 790.07, 790.07 }, { 0 }, 2 }, n = { { 793.07, 793.2 }, { 0 }, 2 };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_true(fabs(d.est - 3) < 1e-9);
	assert_true(d.lo > THR);
}

static void test_30x_and_faster(void **state)
{
	struct rounds b = { { 790, 790.1, 795 }, { 0 }, 3 }, n = { { 23700, 23700, 23900 }, { 0 }, 3 };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_SLOWER);
	d = decide(&n, &b, false);
	assert_int_equal(d.verdict, DEC_FASTER);
}

/*
 * A floor one round reached is not evidence of sameness: undecided, and more
 * rounds asked for; but a change far beyond the rounds' gaps still decides.
 */
static void test_unreproduced(void **state)
{
	struct rounds b = { { 790, 795 }, { 0 }, 2 }, n = { { 790, 790 }, { 0 }, 2 };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_true(d.unreproduced_b);
	assert_false(d.unreproduced_n);
	assert_int_equal(d.need_rounds, 4);
	assert_int_equal(d.level, LEVEL_NONE);
	/* 11,562 and 11,580 against 11,785 and 11,801: +223, the gaps 18 and 16 */
	b = (struct rounds){ { 11562, 11580 }, { 0 }, 2 };
	n = (struct rounds){ { 11785, 11801 }, { 0 }, 2 };
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_true(d.unreproduced_b && d.unreproduced_n);
	assert_true(fabs(d.lo - (11785 - 16 - 11562)) < 1e-9);
	/* one round a side: nothing to bound it with */
	b.n = n.n = 1;
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
}

/*
 * A tick worth 1.22 instructions/page (an 8 MiB pass): the new side's rounds
 * all took 4 interrupts, the base's 3 or 4.  Pooled, the floors differ by
 * one tick, past the threshold; grouped by interrupts they are the same.
 */
static void test_tick_phase(void **state)
{
	struct rounds b = { { 100, 100, 101.22, 101.22 }, { 3, 3, 4, 4 }, 4 };
	struct rounds n = { { 101.22, 101.22, 101.22 }, { 4, 4, 4 }, 3 };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_SLOWER);	/* what the interrupts are there for */
	d = decide(&b, &n, true);
	assert_int_equal(d.verdict, DEC_SAME);
	assert_int_equal(d.irqs_b, 4);
	assert_int_equal(d.irqs_n, 4);
}

/* No common number of interrupts: a big change still decides, one of a tick's size does not. */
static void test_no_common_irqs(void **state)
{
	struct rounds b = { { 100, 100 }, { 0, 0 }, 2 }, n = { { 3000, 3000 }, { 1, 1 }, 2 };
	struct cmp_decision d = decide(&b, &n, true);

	(void)state;
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_true(d.irq_allow > 0 && d.irq_allow < d.est);
	/* 1.6 apart at 0 and 1 interrupts, the base's ticks worth 1 each: undecided */
	b = (struct rounds){ { 100, 100, 102, 102 }, { 0, 0, 2, 2 }, 4 };
	n = (struct rounds){ { 101.6, 101.6 }, { 1, 1 }, 2 };
	d = decide(&b, &n, true);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_true(fabs(d.irq_allow - 1) < 1e-9);
}

/*
 * Floors 0.8 apart, and base rounds no other repeats lie 1.6 and 2.2 below
 * the new floor: the path's cost could differ by more than the threshold.
 * One such round alone is an outlier of the added work (a refill that did
 * not come), as likely on either side: left out.
 */
static void test_at_threshold(void **state)
{
	struct rounds b = { { 98.6, 99.2, 100, 100.1 }, { 0 }, 4 }, n = { { 100.8, 100.9 }, { 0 }, 2 };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_false(d.unreproduced_b || d.unreproduced_n);
	assert_int_equal(d.below_b, 2);
	b = (struct rounds){ { 99.2, 100, 100.1 }, { 0 }, 3 };	/* one: same */
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_SAME);
	assert_int_equal(d.below_b, 1);
	assert_true(d.outliers_out);
	assert_true(d.lo >= -THR);
	/*
	 * But slower or faster must reach down to it: the new side's floor
	 * 13 lower, the base's one lower round as low (a 64 MiB pass's
	 * refills): undecided, never faster.
	 */
	d = decide(&(struct rounds){ { 86.9, 100, 100 }, { 0 }, 3 },
		   &(struct rounds){ { 87, 87, 100 }, { 0 }, 3 }, false);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	b.n = 2;	/* without it: 0.8 apart, same */
	b.x[0] = 100.05;
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_SAME);
}

/*
 * +3 where both sides' passes took 6 interrupts (the 6.12 quick suite's
 * shmem-file COPY b64 at 16 MiB): the base's lowest floor is at 5, one tick
 * cheaper, the new side's one round at 5 repeats nothing.  Pooled, the floors
 * lie at different counts and a tick's allowance leaves it undecided; at 6
 * interrupts it is +3: slower.
 */
static void test_slower_at_common_irqs(void **state)
{
	struct rounds b = { { 97.3, 97.3, 100, 100, 100.1 }, { 5, 5, 6, 6, 6 }, 5 };
	struct rounds n = { { 100.3, 103, 103 }, { 5, 6, 6 }, 3 };
	struct cmp_decision d = decide(&b, &n, true);

	(void)state;
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_true(d.at_common_irqs);
	assert_true(fabs(d.est - 3) < 1e-9);
	assert_int_equal(d.irqs_b, 6);
	/* the same rounds a side, no change: same at 6 interrupts */
	n = (struct rounds){ { 97.6, 100, 100 }, { 5, 6, 6 }, 3 };
	d = decide(&b, &n, true);
	assert_int_equal(d.verdict, DEC_SAME);
}

/*
 * A boot's history moved its floor: the base's two boots reproduce 100 and
 * 101.2, the new side's two boots 101.2.  Pooled, 1.2 apart; but the new
 * side's boots could as well both have come out high: undecided, not
 * slower.  Boots that agree (within half the threshold) hold nothing back.
 */
static void test_boot_spread(void **state)
{
	struct rounds b = { { 100, 100, 101.2, 101.2 }, { 0 }, 4, { 0, 0, 1, 1 } };
	struct rounds n = { { 101.2, 101.2, 101.2, 101.2 }, { 0 }, 4, { 0, 0, 1, 1 } };
	struct cmp_decision d = decide(&b, &n, false);

	(void)state;
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_true(fabs(d.boot_spread - 1.2) < 1e-9);
	b.x[2] = b.x[3] = 100.3;		/* the boots agree, +0.9: same */
	n.x[0] = n.x[1] = n.x[2] = n.x[3] = 100.9;
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_SAME);
	assert_true(d.boot_spread == 0);
	n.x[0] = n.x[1] = n.x[2] = n.x[3] = 103;	/* +3: slower */
	d = decide(&b, &n, false);
	assert_int_equal(d.verdict, DEC_SLOWER);
}

/*
 * Random sides: rounds at the floor plus added work (never less), the first
 * two of each side at the floor (the model's premise: the path's own cost
 * repeats).  A change beyond the threshold is never same; no change at all
 * is never slower or faster.
 */
static void test_never(void **state)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	(void)state;
	gsl_rng_set(rng, 7);
	for (int t = 0; t < 2000; t++) {
		double floor = 200 + gsl_rng_uniform(rng) * 20000;
		double change = (gsl_rng_uniform(rng) < 0.5 ? 0 : THR * 2 + gsl_rng_uniform(rng) * 50);
		struct rounds b = { .n = 2 + gsl_rng_uniform_int(rng, 10) }, n = b;
		struct cmp_decision d;

		for (size_t i = 0; i < b.n; i++) {
			bool clean = i < 2 || gsl_rng_uniform(rng) < 0.5;

			b.x[i] = floor + (clean ? 0 : gsl_ran_exponential(rng, 5));
			clean = i < 2 || gsl_rng_uniform(rng) < 0.5;
			n.x[i] = floor + change + (clean ? 0 : gsl_ran_exponential(rng, 5));
		}
		d = decide(&b, &n, false);
		if (change > 0)
			assert_int_not_equal(d.verdict, DEC_SAME);
		else
			assert_true(d.verdict == DEC_SAME || d.verdict == DEC_UNDECIDED);
	}
	gsl_rng_free(rng);
}

/*
 * The same with interrupts: each round takes k0 or k0 + 1 ticks (0.6
 * instructions/page each, chosen at random, so a side may have none at one
 * count), the first two of a side clean at k0.  Decided at one interrupt
 * count, a change beyond the threshold is still never same, and no change
 * never slower or faster.
 */
static void test_never_with_ticks(void **state)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	const double tick = 0.6;

	(void)state;
	gsl_rng_set(rng, 11);
	for (int t = 0; t < 4000; t++) {
		double floor = 200 + gsl_rng_uniform(rng) * 20000;
		double change = (gsl_rng_uniform(rng) < 0.5 ? 0 : THR * 2 + gsl_rng_uniform(rng) * 50);
		long long k0 = gsl_rng_uniform_int(rng, 30);
		struct rounds b = { .n = 2 + gsl_rng_uniform_int(rng, 20) }, n = b;
		struct cmp_decision d;

		for (size_t i = 0; i < b.n; i++) {
			bool clean = i < 2 || gsl_rng_uniform(rng) < 0.5;

			b.k[i] = k0 + (i >= 2 && gsl_rng_uniform(rng) < 0.5);
			b.x[i] = floor + (b.k[i] - k0) * tick +
				 (clean ? 0 : gsl_ran_exponential(rng, 5));
			clean = i < 2 || gsl_rng_uniform(rng) < 0.5;
			n.k[i] = k0 + (i >= 2 && gsl_rng_uniform(rng) < 0.5);
			n.x[i] = floor + change + (n.k[i] - k0) * tick +
				 (clean ? 0 : gsl_ran_exponential(rng, 5));
		}
		d = decide(&b, &n, true);
		if (change > 0)
			assert_int_not_equal(d.verdict, DEC_SAME);
		else
			assert_true(d.verdict == DEC_SAME || d.verdict == DEC_UNDECIDED);
	}
	gsl_rng_free(rng);
}

/*
 * 100,000 rounds a side, every one at an interrupt count of its own and all
 * at one floor: decided as two rounds are (the rule sorts; nothing in it
 * walks pairs of rounds).
 */
static void test_many_rounds(void **state)
{
	enum { N = 100000 };
	double *x = calloc(N, sizeof(double));
	long long *k = calloc(N, sizeof(long long));
	struct cmp_decision d;

	(void)state;
	assert_non_null(x);
	assert_non_null(k);
	for (size_t i = 0; i < N; i++) {
		x[i] = 790;
		k[i] = (long long)i;
	}
	cmp_decide_floor(&(struct cmp_floor_side){ .x = x, .irqs = k, .n = N },
			 &(struct cmp_floor_side){ .x = x, .irqs = k, .n = N }, THR, N, &d);
	assert_int_equal(d.verdict, DEC_SAME);
	assert_int_equal(d.reach_b, N);
	free(x);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aa_two_rounds),
		cmocka_unit_test(test_plus3_two_rounds),
		cmocka_unit_test(test_30x_and_faster),
		cmocka_unit_test(test_unreproduced),
		cmocka_unit_test(test_tick_phase),
		cmocka_unit_test(test_no_common_irqs),
		cmocka_unit_test(test_at_threshold),
		cmocka_unit_test(test_slower_at_common_irqs),
		cmocka_unit_test(test_boot_spread),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_never_with_ticks),
		cmocka_unit_test(test_many_rounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
