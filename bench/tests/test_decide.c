// SPDX-License-Identifier: MIT
/*
 * The decision rule (compare/decide.c) on synthetic boots: each boot has a
 * factor of its own (lognormal, boot_noise) and rounds around it (lognormal,
 * round_noise).  The four cases of issue 12, and what the rule must never do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compare/compare.h"
#include "compare/decide.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#define MAX_BOOTS 64
#define ROUNDS 10

struct synth {
	size_t boots;
	double base, ratio;		/* ns/page of base; new = base * ratio */
	double boot_noise, round_noise;
	unsigned long seed;
};

struct side {
	double v[MAX_BOOTS], se[MAX_BOOTS];
	struct cmp_dec_side s;
};

/* One boot's log median and its standard error (relative scale). */
static void boot_value(gsl_rng *rng, double centre, const struct synth *p, double *v, double *se)
{
	double f = exp(gsl_ran_gaussian(rng, p->boot_noise)), x[ROUNDS];

	for (int i = 0; i < ROUNDS; i++)
		x[i] = centre * f * exp(gsl_ran_gaussian(rng, p->round_noise));
	*v = log(cmp_median(x, ROUNDS));
	*se = cmp_median_se(x, ROUNDS) / exp(*v);
}

/* Paired boots: boot k of base and of new share nothing but their time. */
static void make(const struct synth *p, struct side *b, struct side *n)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(rng, p->seed);
	for (size_t k = 0; k < p->boots; k++) {
		boot_value(rng, p->base, p, &b->v[k], &b->se[k]);
		boot_value(rng, p->base * p->ratio, p, &n->v[k], &n->se[k]);
	}
	b->s = (struct cmp_dec_side){ b->v, b->se, p->boots };
	n->s = (struct cmp_dec_side){ n->v, n->se, p->boots };
	gsl_rng_free(rng);
}

static void decide(const struct synth *p, struct cmp_decision *d)
{
	struct side b, n;

	make(p, &b, &n);
	cmp_decide(&b.s, &n.s, true, log(1.01), d);
}

/* 2 boots, B 32x slower: slower, and the repeats level (t, 1 dof) decides. */
static void test_two_boots_32x(void **state)
{
	struct synth p = { 2, 300, 32, 0.01, 0.01, 1 };
	struct cmp_decision d;

	(void)state;
	decide(&p, &d);
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_int_equal(d.level, LEVEL_REPEATS);
	assert_true(d.lo > log(16) && d.hi < log(64));
	/* the old rule could not: a signed-rank test of 2 pairs has p >= 0.5 */
	assert_true(d.p < 0.05);
}

/* 2 boots of one kernel, icount-tight: same, the interval inside +-1%. */
static void test_two_boots_aa(void **state)
{
	struct synth p = { 2, 300, 1, 0.0002, 0.0005, 2 };
	struct cmp_decision d;

	(void)state;
	decide(&p, &d);
	assert_int_equal(d.verdict, DEC_SAME);
	assert_true(d.lo > -log(1.01) && d.hi < log(1.01));
}

/*
 * 2 boots +3%, rounds tight (1%), boots agreeing within what their rounds
 * allow: slower.  The boots' t (12.7 x their half difference) rarely
 * decides here; the rounds do.  A fifth of such pairs look heterogeneous
 * at p < 0.2 and stay undecided: the price of not trusting the rounds when
 * the boots may disagree.
 */
static void test_two_boots_3pct_tight(void **state)
{
	struct synth p = { 2, 300, 1.03, 0.001, 0.01, 0 };
	struct cmp_decision d;
	int by_rounds = 0, slower = 0;

	(void)state;
	for (p.seed = 1; p.seed <= 100; p.seed++) {
		decide(&p, &d);
		slower += d.verdict == DEC_SLOWER;
		by_rounds += d.verdict == DEC_SLOWER && d.level == LEVEL_ROUNDS;
		assert_int_not_equal(d.verdict, DEC_SAME);
		assert_int_not_equal(d.verdict, DEC_FASTER);
	}
	assert_true(slower >= 65);
	assert_true(by_rounds >= 60);
}

/*
 * 2 boots whose boot-to-boot spread (20%) dwarfs a 3% change: undecided,
 * with the boots that would decide; never `same` (whatever the draw), and
 * rarely anything but undecided.
 */
static void test_two_boots_noisy(void **state)
{
	struct synth p = { 2, 300, 1.03, 0.20, 0.01, 0 };
	struct cmp_decision d;
	int decided = 0;

	(void)state;
	for (p.seed = 1; p.seed <= 200; p.seed++) {
		decide(&p, &d);
		assert_int_not_equal(d.verdict, DEC_SAME);
		decided += d.verdict != DEC_UNDECIDED;
		if (d.verdict == DEC_UNDECIDED)
			assert_true(d.heterogeneous || d.need == 0 || d.need > 2);
	}
	/* a 95% interval on 2 boots errs about 1 time in 20 */
	assert_true(decided <= 20);
	p.seed = 7;
	decide(&p, &d);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_int_equal(d.level, LEVEL_NONE);
	assert_true(d.need > 2);
}

/* The same 20% boots, many of them, and a change of 30%: decided. */
static void test_more_boots_decide(void **state)
{
	struct synth p = { 40, 300, 1.30, 0.20, 0.01, 3 };
	struct cmp_decision d;

	(void)state;
	decide(&p, &d);
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_int_equal(d.level, LEVEL_REPEATS);
}

/* Absolute scale (icount): +3 instructions/page on 500, threshold 1. */
static void test_absolute(void **state)
{
	double bv[2] = { 500.01, 500.02 }, nv[2] = { 503.02, 503.0 }, se[2] = { 0.01, 0.01 };
	struct cmp_dec_side b = { bv, se, 2 }, n = { nv, se, 2 };
	struct cmp_decision d;

	(void)state;
	cmp_decide(&b, &n, true, 1.0, &d);
	assert_int_equal(d.verdict, DEC_SLOWER);
	assert_true(d.lo > 2.5 && d.hi < 3.5);
	nv[0] = 500.3;
	nv[1] = 500.2;
	cmp_decide(&b, &n, true, 1.0, &d);
	assert_int_equal(d.verdict, DEC_SAME);
}

/*
 * One boot a side: nothing shows how far the next would move, so even a
 * change far outside the rounds' interval is undecided; the interval is
 * the rounds', and the result says so.
 */
static void test_one_boot(void **state)
{
	double bv[1] = { 500 }, nv[1] = { 530 }, se[1] = { 1 }, wide[1] = { 40 };
	struct cmp_dec_side b = { bv, se, 1 }, n = { nv, se, 1 };
	struct cmp_decision d;

	(void)state;
	cmp_decide(&b, &n, false, 1.0, &d);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
	assert_int_equal(d.level, LEVEL_NONE);
	assert_true(d.one_repeat);
	assert_true(d.lo > 25 && d.hi < 35);	/* the rounds' interval, shown */
	nv[0] = 500;
	cmp_decide(&b, &n, false, 1.0, &d);
	assert_int_equal(d.verdict, DEC_UNDECIDED);	/* not same either */
	n.se = wide;
	b.se = wide;
	cmp_decide(&b, &n, false, 1.0, &d);
	assert_int_equal(d.verdict, DEC_UNDECIDED);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(cmp_classify(0.05, 0.04, 0.06, 0.01), DEC_SLOWER);
	assert_int_equal(cmp_classify(-0.05, -0.06, -0.04, 0.01), DEC_FASTER);
	assert_int_equal(cmp_classify(0.001, -0.005, 0.007, 0.01), DEC_SAME);
	/* a real but small change: same */
	assert_int_equal(cmp_classify(0.004, 0.002, 0.006, 0.01), DEC_SAME);
	/* big estimate, interval through 0: undecided, never same */
	assert_int_equal(cmp_classify(0.3, -0.2, 0.8, 0.01), DEC_UNDECIDED);
	/* small estimate, interval past the threshold: undecided */
	assert_int_equal(cmp_classify(0.005, -0.001, 0.02, 0.01), DEC_UNDECIDED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_boots_32x),
		cmocka_unit_test(test_two_boots_aa),
		cmocka_unit_test(test_two_boots_3pct_tight),
		cmocka_unit_test(test_two_boots_noisy),
		cmocka_unit_test(test_more_boots_decide),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_one_boot),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
