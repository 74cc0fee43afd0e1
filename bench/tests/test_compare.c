// SPDX-License-Identifier: MIT
/*
 * compare on synthetic results directories with known effects: no change,
 * +5%, +20%, -5%, +1% under 2% noise, a bimodal cell, a +3 ns/page change of
 * beta, functional and environment differences, and broken input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/commands.h"
#include "core/common.h"
#include "compare/compare.h"
#include "fixtures.h"
#include "capture.h"
#include "tmp_util.h"

#include <ctype.h>
#include <fcntl.h>
#include <unistd.h>

int cmd_compare(int argc, char **argv);


struct out {
	int status;
	char *out, *err;
	json_t *json;		/* stdout parsed, with --format json */
};

/* Run `compare ARGS...` (NULL-terminated) with stdout and stderr captured. */
static void run(struct out *o, ...)
{
	va_list ap;

	va_start(ap, o);
	o->status = capture_cmd(cmd_compare, "compare", tmp, ap, &o->out, &o->err);
	va_end(ap);
	o->json = json_loads(o->out, 0, NULL);
}

static void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
	json_decref(o->json);
}

static void write_dir(const char *name, const struct fx_run *r)
{
	fx_write_default(tmp_path(name), r);
}

static json_t *cmp0(const struct out *o)
{
	return json_array_get(json_object_get(o->json, "comparisons"), 0);
}

static const char *verdict(json_t *cell)
{
	return json_string_value(json_object_get(cell, "verdict"));
}

static double jnum(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static bool contains(json_t *ci, double v)
{
	return json_number_value(json_array_get(ci, 0)) <= v &&
	       v <= json_number_value(json_array_get(ci, 1));
}

/* Every compared cell has verdict v; returns how many CIs contain ratio. */
static size_t expect_all(json_t *cmp, const char *v, double ratio)
{
	json_t *cells = json_object_get(cmp, "cells"), *c;
	size_t i, in = 0, tested = 0;

	json_array_foreach(cells, i, c) {
		if (!strcmp(verdict(c), "not compared"))
			continue;
		tested++;
		if (strcmp(verdict(c), v))
			fail_msg("%s %s b%lld: %s, expected %s (%s)",
				 json_string_value(json_object_get(c, "memtype")),
				 json_string_value(json_object_get(c, "ioctl")),
				 json_integer_value(json_object_get(c, "batch")), verdict(c), v,
				 json_string_value(json_object_get(c, "rule")));
		in += contains(json_object_get(c, "ci95"), ratio);
	}
	assert_int_equal(tested, 18);
	return in;
}

static int setup(void **state)
{
	(void)state;
	/* a short name: the report names its directories within 80 columns */
	assert_true(tmp_make("cmp"));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmp_remove();
}

/* ---- the statistics on plain arrays -------------------------------------- */

static void test_mann_whitney(void **state)
{
	double x[] = { 1, 2, 3, 4, 5 }, y[] = { 6, 7, 8, 9, 10 }, z[] = { 1, 2, 3, 4, 5 };
	double t1[] = { 1, 1, 2, 2, 3 }, t2[] = { 2, 3, 3, 4, 4 };
	bool exact;

	(void)state;
	assert_float_equal(cmp_mann_whitney(x, 5, y, 5, &exact), 2.0 / 252, 1e-12);
	assert_true(exact);
	assert_float_equal(cmp_mann_whitney(x, 5, z, 5, &exact), 1, 1e-12);
	assert_float_equal(cmp_mw_min_p(5, 5), 2.0 / 252, 1e-12);
	assert_true(cmp_mw_min_p(3, 3) > 0.05);
	/* ties: normal approximation; U = 3, mu = 12.5, tie-corrected sigma 4.640,
	 * continuity: z = 9 / 4.640, p = 0.0524 */
	assert_float_equal(cmp_mann_whitney(t1, 5, t2, 5, &exact), 0.0524, 0.0005);
	assert_false(exact);
}

static void test_bh(void **state)
{
	double p[] = { 0.04, 0.01, 0.03, 0.5 }, q[4];

	(void)state;
	cmp_bh_adjust(p, 4, q);
	/* sorted 0.01 0.03 0.04 0.5: 0.04, 0.053, 0.053, 0.5 */
	assert_float_equal(q[1], 0.04, 1e-12);
	assert_float_equal(q[2], 0.04 * 4 / 3, 1e-12);
	assert_float_equal(q[0], 0.04 * 4 / 3, 1e-12);
	assert_float_equal(q[3], 0.5, 1e-12);
}

static void test_fit_line_exact(void **state)
{
	double x[] = { 1, 8, 64, 1, 8, 64 }, y[6];
	struct cmp_fit_side s;

	(void)state;
	for (int i = 0; i < 6; i++)
		y[i] = 500 + 100 * x[i];
	assert_true(cmp_fit_line(x, y, 6, &s));
	assert_float_equal(s.alpha, 500, 1e-6);
	assert_float_equal(s.beta, 100, 1e-9);
	assert_false(s.weighted);
	assert_false(cmp_fit_line(x, y, 2, &s));
}

static void test_geomean_interval(void **state)
{
	double r[] = { 1.05, 1.05, 1.05 }, r2[] = { 1.0, 1.1 }, gm, lo, hi;

	(void)state;
	assert_true(cmp_log_tinterval(r, 3, 0.95, &gm, &lo, &hi));
	assert_float_equal(gm, 1.05, 1e-12);
	assert_float_equal(lo, 1.05, 1e-12);
	assert_true(cmp_log_tinterval(r2, 2, 0.95, &gm, &lo, &hi));
	assert_float_equal(gm, sqrt(1.1), 1e-12);
	assert_true(lo < 1 && hi > 1.1);
	assert_false(cmp_log_tinterval(r, 1, 0.95, &gm, &lo, &hi));
}

/* ---- whole comparisons ---------------------------------------------------- */

/*
 * No change.  With --per-cell each cell is tested at alpha 0.05 on its own,
 * so among 18 cells a false "slower" or "faster" is expected about a third of
 * the time: allow at most two, and say so in a warning.  With the default
 * --fdr (p adjusted across the cells) there must be none.  5 repeats of 1%
 * noise cannot show every cell within +-1%: those are undecided (exit 3),
 * never same without the evidence; 20 quieter repeats show all of them same.
 */
static void test_no_change(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *summary;
	struct out o;

	(void)state;
	n.seed = 2;
	write_dir("nc-base", &b);
	write_dir("nc-new", &n);
	run(&o, "--format", "json", "--per-cell", tmp_path("nc-base"), tmp_path("nc-new"), NULL);
	assert_non_null(o.json);
	summary = json_object_get(cmp0(&o), "summary");
	assert_true(jnum(summary, "slower") + jnum(summary, "faster") <= 2);
	assert_true(jnum(summary, "same") + jnum(summary, "undecided") >= 16);
	assert_non_null(strstr(o.out, "may still be called slower"));
	out_free(&o);

	run(&o, "--format", "json", tmp_path("nc-base"), tmp_path("nc-new"), NULL);
	summary = json_object_get(cmp0(&o), "summary");
	assert_int_equal(jnum(summary, "slower") + jnum(summary, "faster"), 0);
	assert_int_equal(jnum(summary, "same") + jnum(summary, "undecided"), 18);
	assert_int_equal(o.status, jnum(summary, "undecided") ? 3 : 0);
	out_free(&o);

	b.repeats = n.repeats = 20;
	b.rep_noise = n.rep_noise = 0.002;
	b.noise = n.noise = 0.005;
	write_dir("nq-base", &b);
	write_dir("nq-new", &n);
	run(&o, "--format", "json", tmp_path("nq-base"), tmp_path("nq-new"), NULL);
	assert_int_equal(o.status, 0);
	expect_all(cmp0(&o), "same", 1.0);
	assert_int_equal(json_integer_value(json_object_get(o.json, "exit_status")), 0);
	out_free(&o);
}

/* The text table has a placement column when (and only when) placements vary. */
static void test_placement_column(void **state)
{
	static const struct fx_cell placed[] = {
		{ "anon", "anon", "copy", 1, 1, 1000, 500, .placement = "local" },
		{ "anon", "anon", "copy", 1, 1, 1000, 500, .placement = "remote" },
	};
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	n.seed = 5;
	fx_write(tmp_path("pl-base"), &b, placed, 2);
	fx_write(tmp_path("pl-new"), &n, placed, 2);
	run(&o, tmp_path("pl-base"), tmp_path("pl-new"), NULL);
	assert_non_null(strstr(o.out, " place "));
	assert_non_null(strstr(o.out, " local "));
	assert_non_null(strstr(o.out, " remote "));
	out_free(&o);
	write_dir("pl-none-base", &b);
	write_dir("pl-none-new", &n);
	run(&o, tmp_path("pl-none-base"), tmp_path("pl-none-new"), NULL);
	assert_null(strstr(o.out, " place "));
	out_free(&o);
}

static void check_shift(const char *name, double scale, const char *v, int status)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	char bn[64], nn[64];
	json_t *g;
	struct out o;
	size_t i, in;

	n.seed = 3;
	n.scale = scale;
	snprintf(bn, sizeof(bn), "%s-base", name);
	snprintf(nn, sizeof(nn), "%s-new", name);
	write_dir(bn, &b);
	write_dir(nn, &n);
	run(&o, "--format", "json", tmp_path(bn), tmp_path(nn), NULL);
	assert_int_equal(o.status, status);
	in = expect_all(cmp0(&o), v, scale);
	/* 95% intervals: nearly all of 18 contain the true ratio */
	assert_true(in >= 15);
	json_array_foreach(json_object_get(json_object_get(cmp0(&o), "geomean"), "groups"), i, g)
		if (json_is_null(json_object_get(g, "memtype")))
			assert_true(contains(json_object_get(g, "ci95"), scale));
	out_free(&o);
}

/*
 * Phases of the machine that both sides share repeat by repeat (up to 30%,
 * ten times the effect): unpaired, a 3% slowdown drowns; --paired sees it.
 */
static void test_paired(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *c;
	struct out o;

	(void)state;
	b.repeats = n.repeats = 10;
	b.phase = n.phase = 0.3;
	b.noise = n.noise = b.rep_noise = n.rep_noise = 0.005;
	n.seed = 3;
	n.scale = 1.03;
	write_dir("pr-base", &b);
	write_dir("pr-new", &n);
	run(&o, "--format", "json", tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	assert_int_equal(o.status, 3);	/* unpaired, the 3% drowns: undecided */
	out_free(&o);
	run(&o, "--format", "json", "--paired", tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	assert_int_equal(o.status, 1);
	expect_all(cmp0(&o), "slower", 1.03);
	c = json_array_get(json_object_get(cmp0(&o), "cells"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "unit")), "pairs");
	assert_true(contains(json_object_get(c, "ci95"), 1.03));
	out_free(&o);
}

/*
 * Two boots a side, paired, as scripts/kernel-ab gives them: 32x slower is
 * slower (exit 1) although a signed-rank test of 2 pairs cannot go below
 * p = 0.5; an A/A pair as steady as icount boots is same (exit 0); boots
 * that disagree by 20% leave a
 * 3% change undecided (exit 3), never same.
 */
static void test_two_boots(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *summary;
	struct out o;

	(void)state;
	b.repeats = n.repeats = 2;
	b.noise = n.noise = 0.0005;	/* icount-like: boots and rounds agree */
	b.rep_noise = n.rep_noise = 0.0002;
	n.seed = 21;
	n.scale = 32;
	write_dir("tb-base", &b);
	write_dir("tb-32x", &n);
	run(&o, "--format", "json", "--paired", tmp_path("tb-base"), tmp_path("tb-32x"), NULL);
	assert_int_equal(o.status, 1);
	expect_all(cmp0(&o), "slower", 32);
	out_free(&o);

	n.scale = 1;
	write_dir("tb-aa", &n);
	run(&o, "--format", "json", "--paired", tmp_path("tb-base"), tmp_path("tb-aa"), NULL);
	assert_int_equal(o.status, 0);
	expect_all(cmp0(&o), "same", 1);
	out_free(&o);

	b.rep_noise = n.rep_noise = 0.2;
	n.scale = 1.03;
	write_dir("tb-noisy-base", &b);
	write_dir("tb-noisy", &n);
	run(&o, "--format", "json", "--paired", tmp_path("tb-noisy-base"), tmp_path("tb-noisy"), NULL);
	summary = json_object_get(cmp0(&o), "summary");
	assert_int_equal(jnum(summary, "same"), 0);
	assert_true(jnum(summary, "undecided") >= 15);
	assert_true(o.status == 3 || o.status == 1);
	out_free(&o);
}

static void set_icount(json_t *line, json_t *out, void *arg)
{
	(void)arg;
	json_object_set_new(line, "clock", json_string("icount"));
	json_array_append(out, line);
}

/* Instructions against nanoseconds: refused, one line, exit 2; icount
 * against icount: an absolute threshold and instructions in the table. */
static void test_clock(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	n.seed = 22;
	write_dir("ck-wall", &b);
	write_dir("ck-icount", &n);
	fx_rewrite(tmp_path("ck-icount"), set_icount, NULL);
	run(&o, tmp_path("ck-wall"), tmp_path("ck-icount"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "clock wall"));
	assert_non_null(strstr(o.err, "clock icount"));
	assert_null(strchr(strchr(o.err, '\n') + 1, '\n'));	/* one line */
	assert_string_equal(o.out, "");
	out_free(&o);

	write_dir("ck-icount2", &b);
	fx_rewrite(tmp_path("ck-icount2"), set_icount, NULL);
	run(&o, tmp_path("ck-icount2"), tmp_path("ck-icount"), NULL);
	assert_int_not_equal(o.status, 2);
	assert_non_null(strstr(o.out, "median instructions/page"));
	assert_non_null(strstr(o.out, "1 instructions/page"));
	out_free(&o);
}

static void test_slower_5(void **state)
{
	(void)state;
	check_shift("s5", 1.05, "slower", 1);
}

static void test_slower_20(void **state)
{
	(void)state;
	check_shift("s20", 1.20, "slower", 1);
}

static void test_faster_5(void **state)
{
	(void)state;
	check_shift("f5", 0.95, "faster", 0);
}

/* +1% under 2% noise: below what 5 repeats can see; say so through the MDE. */
static void test_small_effect(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *c;
	struct out o;
	size_t i;

	(void)state;
	b.rep_noise = n.rep_noise = 0.02;
	n.seed = 4;
	n.scale = 1.01;
	write_dir("small-base", &b);
	write_dir("small-new", &n);
	run(&o, "--format", "json", "--target-mde", "1", tmp_path("small-base"), tmp_path("small-new"),
	    NULL);
	assert_int_equal(o.status, 3);	/* +1% under 2% noise: undecided */
	json_array_foreach(json_object_get(cmp0(&o), "cells"), i, c) {
		if (!strcmp(verdict(c), "not compared"))
			continue;
		assert_string_not_equal(verdict(c), "faster");
		assert_true(jnum(c, "mde_pct") > 1);
		assert_true(json_integer_value(json_object_get(c, "needed_per_side")) > 5);
	}
	out_free(&o);
}

static void test_bimodal(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *c;
	struct out o;
	size_t i;

	(void)state;
	b.bimodal = n.bimodal = 0.3;
	n.seed = 5;
	write_dir("bi-base", &b);
	write_dir("bi-new", &n);
	run(&o, "--format", "json", tmp_path("bi-base"), tmp_path("bi-new"), NULL);
	assert_non_null(o.json);
	json_array_foreach(json_object_get(cmp0(&o), "cells"), i, c) {
		if (!strcmp(verdict(c), "not compared"))
			continue;
		assert_true(jnum(c, "ratio") > 0.75 && jnum(c, "ratio") < 1.33);
		assert_true(contains(json_object_get(c, "ci95"), jnum(c, "ratio")));
		assert_string_not_equal(verdict(c), "faster");
	}
	assert_true(o.status == 0 || o.status == 1 || o.status == 3);
	out_free(&o);
}

static json_t *find_fit(json_t *cmp, const char *memtype, const char *ioctl)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(cmp, "fits"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "memtype")), memtype) &&
		    !strcmp(json_string_value(json_object_get(f, "ioctl")), ioctl))
			return f;
	fail_msg("no fit for %s %s", memtype, ioctl);
	return NULL;
}

/* t = 500 + 100 n; the new kernel adds 3 ns per page on shmem-memfd only. */
static void test_alpha_beta(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	json_t *f, *base, *da, *db;
	struct out o;

	(void)state;
	b.noise = n.noise = 0.005;
	b.rep_noise = n.rep_noise = 0.003;
	n.seed = 6;
	n.extra_beta = 3;
	write_dir("ab-base", &b);
	write_dir("ab-new", &n);
	run(&o, "--format", "json", tmp_path("ab-base"), tmp_path("ab-new"), NULL);
	f = find_fit(cmp0(&o), "shmem-memfd", "continue");
	base = json_object_get(f, "base");
	assert_true(contains(json_object_get(base, "beta_ci95"), 100));
	assert_true(contains(json_object_get(base, "alpha_ci95"), 500));
	db = json_object_get(f, "delta_beta");
	da = json_object_get(f, "delta_alpha");
	assert_true(contains(json_object_get(db, "ci95"), 3));
	assert_false(contains(json_object_get(db, "ci95"), 0));
	assert_true(contains(json_object_get(da, "ci95"), 0));
	assert_true(json_is_true(json_object_get(f, "moved")));
	assert_non_null(strstr(json_string_value(json_object_get(f, "sentence")),
			       "shmem-memfd continue: Δβ +"));
	/* the controls stay put: no warning about them */
	f = find_fit(cmp0(&o), "anon", "copy");
	assert_true(json_is_true(json_object_get(f, "control")));
	assert_true(contains(json_object_get(json_object_get(f, "delta_beta"), "ci95"), 0));
	assert_null(strstr(o.out, "control anon"));
	out_free(&o);
	/* the text names the controls */
	run(&o, tmp_path("ab-base"), tmp_path("ab-new"), NULL);
	assert_non_null(strstr(o.out, "controls (paths the series leaves alone)"));
	out_free(&o);
}

static void test_corrupt_line(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT;
	char path[400], *text, *nl;
	struct out o;

	(void)state;
	write_dir("bad-base", &b);
	write_dir("bad-new", &b);
	snprintf(path, sizeof(path), "%s/results.jsonl", tmp_path("bad-new"));
	text = capture_slurp(path, NULL);
	assert_non_null(text);
	nl = strchr(strchr(text, '\n') + 1, '\n');	/* end of line 2 */
	nl[40] = '\0';					/* line 3 cut short */
	fx_write_text(tmp_path("bad-new"), "results.jsonl", text);
	free(text);
	run(&o, tmp_path("bad-base"), tmp_path("bad-new"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "results.jsonl:3:"));
	assert_non_null(strstr(o.err, "truncated"));
	out_free(&o);
}

static void test_schema2(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	n.schema = 2;
	write_dir("sc-base", &b);
	write_dir("sc-new", &n);
	run(&o, tmp_path("sc-base"), tmp_path("sc-new"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "schema 2"));
	assert_non_null(strstr(o.err, "results.jsonl:1:"));
	out_free(&o);
}

static void test_caps_diff(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	const char *fd, *table;
	json_t *c, *d;
	struct out o;
	size_t i, nc = 0;

	(void)state;
	n.seed = 7;
	n.continue_private = "EINVAL";
	write_dir("caps-base", &b);
	write_dir("caps-new", &n);
	run(&o, tmp_path("caps-base"), tmp_path("caps-new"), NULL);
	assert_true(o.status == 0 || o.status == 3);
	fd = strstr(o.out, "shmem-private minor continue: ok -> EINVAL");
	table = strstr(o.out, "\nTiming:");
	assert_non_null(fd);
	assert_non_null(table);
	assert_true(fd < table);
	out_free(&o);
	run(&o, "--format", "json", tmp_path("caps-base"), tmp_path("caps-new"), NULL);
	d = json_object_get(json_object_get(cmp0(&o), "functional_differences"), "differences");
	assert_int_equal(json_array_size(d), 1);
	json_array_foreach(json_object_get(cmp0(&o), "cells"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "memtype")), "shmem-private") &&
		    !strcmp(json_string_value(json_object_get(c, "ioctl")), "continue")) {
			assert_string_equal(verdict(c), "not compared");
			nc++;
		}
	assert_int_equal(nc, 3);
	out_free(&o);
}

static void test_env_diff(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	n.seed = 8;
	n.release = "6.12.0-series";
	n.spectre_v2 = "Mitigation: Enhanced / Automatic IBRS";
	n.cpu_model = "Other CPU @ 3.0GHz";
	write_dir("env-base", &b);
	write_dir("env-new", &n);
	run(&o, tmp_path("env-base"), tmp_path("env-new"), NULL);
	assert_non_null(strstr(o.out, "vulnerabilities.spectre_v2: [mitigations] Mitigation: Retpolines ->"));
	assert_non_null(strstr(o.out, "cpu.model: [cpu] Test CPU"));
	assert_non_null(strstr(o.out, "WARNING: CPU vulnerability mitigations differ"));
	assert_non_null(strstr(o.out, "WARNING: the CPU model differs"));
	assert_null(strstr(o.out, "kernel.release"));
	assert_null(strstr(o.out, "hostname:"));
	assert_null(strstr(o.out, "date:"));
	assert_non_null(strstr(o.out, "kernel 6.12.0-series"));
	out_free(&o);
}

static size_t nr_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_bad_input(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, one = FX_RUN_DEFAULT;
	static const struct fx_cell other[] = { { "anon", "private", "copy", 512, 1, 500, 100 } };
	struct out o;

	(void)state;
	write_dir("in-base", &b);
	run(&o, tmp_path("in-base"), tmp_path("does-not-exist"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "does-not-exist: No such file"));
	out_free(&o);

	mkdir(tmp_path("in-empty"), 0755);
	run(&o, tmp_path("in-base"), tmp_path("in-empty"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "no results.jsonl"));
	out_free(&o);

	fx_write_text(tmp_path("in-empty"), "results.jsonl", "");
	run(&o, tmp_path("in-base"), tmp_path("in-empty"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "empty"));
	out_free(&o);

	/* exit 2 after loading: the error alone, no report before it (issue 13.6) */
	fx_write(tmp_path("in-other"), &b, other, 1);
	run(&o, tmp_path("in-base"), tmp_path("in-other"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "no cells in common"));
	assert_string_equal(o.out, "");
	out_free(&o);
	run(&o, "--format", "json", tmp_path("in-base"), tmp_path("in-base"), tmp_path("in-other"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "no cells in common"));
	assert_string_equal(o.out, "");
	out_free(&o);

	one.rounds = 1;
	one.repeats = 1;
	write_dir("in-one", &one);
	run(&o, tmp_path("in-one"), tmp_path("in-one"), NULL);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.out, "");
	assert_non_null(strstr(o.err, "could be tested"));
	assert_non_null(strstr(o.err, "fewer than 2 values a side"));
	assert_int_equal(nr_lines(o.err), 1);
	out_free(&o);

	fx_write_text(tmp_path("in-empty"), "results.jsonl",
		      "{\"schema\":1,\"kind\":\"cell\",\"memtype\":\"anon\",\"mapping\":"
		      "\"private\",\"ioctl\":\"copy\",\"batch\":1,\"threads\":1,"
		      "\"status\":\"skipped\"}\n\n"
		      "{\"schema\":1,\"kind\":\"cell\",\"memtype\":\"anon\",\"mapping\":"
		      "\"private\",\"ioctl\":\"copy\",\"batch\":1,\"threads\":1,"
		      "\"status\":\"skipped\"}\n");
	run(&o, tmp_path("in-base"), tmp_path("in-empty"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "results.jsonl:3: duplicate of line 1"));
	out_free(&o);

	run(&o, tmp_path("in-base"), NULL);
	assert_int_equal(o.status, 2);
	out_free(&o);
	run(&o, "--alpha", "2", tmp_path("in-base"), tmp_path("in-base"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "--alpha"));
	out_free(&o);
	run(&o, "--help", NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "usage: uffdbench compare"));
	out_free(&o);
}

/* `compare in-base DIR` where DIR's results.jsonl is one skipped cell with extra fields. */
static void expect_rejected(const char *fields, const char *want)
{
	char line[1024];
	struct out o;

	snprintf(line, sizeof(line), "{\"schema\":1,\"kind\":\"cell\",\"mapping\":\"private\","
		 "\"ioctl\":\"copy\",%s}\n", fields);
	mkdir(tmp_path("in-reject"), 0755);
	fx_write_text(tmp_path("in-reject"), "results.jsonl", line);
	run(&o, tmp_path("in-base"), tmp_path("in-reject"), NULL);
	if (o.status != 2 || !strstr(o.err, want) || !strstr(o.err, "results.jsonl:1: "))
		fail_msg("%s: exit %d, \"%s\"; wanted 2 and results.jsonl:1: ...%s", fields,
			 o.status, o.err, want);
	assert_string_equal(o.out, "");
	out_free(&o);
}

/* What no writer produces is refused, naming FILE:LINE and why (issue 13.14). */
static void test_reader_rejects(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT;
	char longname[400];

	(void)state;
	write_dir("in-base", &b);
	expect_rejected("\"memtype\":\"anon\",\"batch\":1,\"threads\":1,\"status\":\"weird\"",
			"bad \"status\" \"weird\" (ok, failed or skipped)");
	expect_rejected("\"memtype\":\"anon\",\"batch\":1,\"threads\":0,\"status\":\"skipped\"",
			"bad \"threads\" field (not a positive integer)");
	expect_rejected("\"memtype\":\"anon\",\"batch\":0,\"threads\":1,\"status\":\"skipped\"",
			"bad \"batch\" field (not a positive integer)");
	expect_rejected("\"memtype\":\"a`touch x`\",\"batch\":1,\"threads\":1,"
			"\"status\":\"skipped\"", "bad \"memtype\" field (not a name");
	snprintf(longname, sizeof(longname), "\"memtype\":\"%0300d\",\"batch\":1,\"threads\":1,"
		 "\"status\":\"skipped\"", 7);
	expect_rejected(longname, "bad \"memtype\" field (not a name");
	expect_rejected("\"memtype\":\"anon\",\"batch\":1,\"threads\":1,\"status\":\"skipped\","
			"\"inject_ns\":-1", "bad \"inject_ns\"");
	expect_rejected("\"memtype\":\"anon\",\"batch\":1,\"threads\":1,\"status\":\"skipped\","
			"\"page_size\":4096", "bad \"page_size\"/\"pages_per_thread\"");
}

/* An env.json with no field compare looks at is fine, on both sides. */
static void test_sparse_env(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	write_dir("se-base", &b);
	write_dir("se-new", &b);
	fx_write_text(tmp_path("se-base"), "env.json", "{\"schema\":1}");
	fx_write_text(tmp_path("se-new"), "env.json", "{\"schema\":1, \"date\":\"today\"}");
	run(&o, tmp_path("se-base"), tmp_path("se-new"), NULL);
	assert_true(o.status == 0 || o.status == 3);	/* same, or undecided */
	assert_null(strstr(o.err, "runtime error"));	/* UBSan, with the ASan build */
	out_free(&o);
}

/* fx_rewrite: set the size to *(unsigned *)arg pages of 4 KiB, on anon copy cells. */
static void set_size(json_t *line, json_t *out, void *arg)
{
	bool anon_copy = !strcmp(json_string_value(json_object_get(line, "memtype")), "anon") &&
			 !strcmp(json_string_value(json_object_get(line, "ioctl")), "copy");

	json_object_set_new(line, "page_size", json_integer(4096));
	json_object_set_new(line, "pages_per_thread",
			    json_integer(anon_copy ? *(unsigned *)arg : 16384));
	json_array_append(out, line);
}

/* Cells measured with another --size or round count are not silently compared (13.13). */
static void test_size_mismatch(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	unsigned small = 256, same = 16384;
	size_t i, tested = 0;
	struct out o;
	json_t *c;

	(void)state;
	n.seed = 11;
	n.rounds = 12;
	write_dir("sz-base", &b);
	write_dir("sz-new", &n);
	fx_rewrite(tmp_path("sz-base"), set_size, &same);
	fx_rewrite(tmp_path("sz-new"), set_size, &small);
	run(&o, tmp_path("sz-base"), tmp_path("sz-new"), NULL);
	assert_true(o.status == 0 || o.status == 3);	/* same, or undecided */
	assert_non_null(strstr(o.out, "anon copy b1 t1: size differs: base 64M, new 1M "
				      "(--allow-mismatch"));
	assert_non_null(strstr(o.out, "3 cells measured with a different --size"));
	assert_non_null(strstr(o.out, "18 cells measured with different rounds a repeat"));
	out_free(&o);
	run(&o, "--format", "json", "--allow-mismatch", tmp_path("sz-base"), tmp_path("sz-new"), NULL);
	assert_true(o.status == 0 || o.status == 3);
	json_array_foreach(json_object_get(cmp0(&o), "cells"), i, c)	/* all 18 tested */
		tested += strcmp(verdict(c), "not compared") != 0;
	assert_int_equal(tested, 18);
	assert_non_null(strstr(o.out, "compared anyway"));
	out_free(&o);
	/* every cell in common mismatched: exit 2, and the message says why */
	fx_rewrite(tmp_path("sz-new"), set_size, &small);
	b.no_env = n.no_env = true;
	write_dir("sz-only", &b);
	fx_rewrite(tmp_path("sz-only"), set_size, &same);
	fx_write(tmp_path("sz-one"), &n, fx_default_cells, 3);	/* anon copy b1, b8, b64 */
	fx_rewrite(tmp_path("sz-one"), set_size, &small);
	run(&o, tmp_path("sz-only"), tmp_path("sz-one"), NULL);
	assert_int_equal(o.status, 2);
	assert_string_equal(o.out, "");
	assert_non_null(strstr(o.err, "3 of them measured with a different --size"));
	out_free(&o);
}

/* Skipped cells, a cell only in base, a failed repeat, rounds-level cells. */
static void test_partial(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct fx_cell cells[ARRAY_SIZE(fx_default_cells) + 1];
	char path[400];
	FILE *f;
	struct out o;

	(void)state;
	memcpy(cells, fx_default_cells, sizeof(fx_default_cells));
	cells[ARRAY_SIZE(fx_default_cells)] = (struct fx_cell){ "anon", "private", "copy", 512, 1,
								 500, 100 };
	fx_write(tmp_path("pa-base"), &b, cells, ARRAY_SIZE(cells));
	n.seed = 9;
	write_dir("pa-new", &n);
	snprintf(path, sizeof(path), "%s/results.jsonl", tmp_path("pa-new"));
	f = fopen(path, "a");
	fprintf(f, "{\"schema\":1,\"kind\":\"cell\",\"repeat\":9,\"memtype\":\"anon\","
		"\"mapping\":\"private\",\"ioctl\":\"copy\",\"batch\":1,\"threads\":1,"
		"\"status\":\"failed\",\"reason\":\"verify mismatch\"}\n");
	fclose(f);
	run(&o, "--fdr", tmp_path("pa-base"), tmp_path("pa-new"), NULL);
	assert_true(o.status == 0 || o.status == 3);
	assert_non_null(strstr(o.out, "hugetlb copy b1 t1: base skipped: no hugepages; new "
				      "skipped: no hugepages"));
	assert_non_null(strstr(o.out, "anon copy b512 t1: only in base"));
	assert_non_null(strstr(o.out, "new: 1 of 6 repeats left out (failed: verify mismatch)"));
	out_free(&o);

	b.repeats = n.repeats = 1;
	write_dir("ro-base", &b);
	write_dir("ro-new", &n);
	run(&o, tmp_path("ro-base"), tmp_path("ro-new"), NULL);
	assert_int_equal(o.status, 3);	/* one repeat a side decides nothing */
	assert_non_null(strstr(o.out, "18 cells with fewer than 2 repeats a side: undecided"));
	assert_null(strstr(o.out, " same*\n"));
	assert_non_null(strstr(o.out, " undec*\n"));
	assert_non_null(strstr(o.out, "(rounds 10+10: "));
	out_free(&o);
}

/* Every line of text within cols columns (UTF-8 characters count one). */
static bool fits(const char *text, size_t cols)
{
	size_t n = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			n = 0;
		else if (((unsigned char)*p & 0xc0) != 0x80 && ++n > cols)
			return false;
	}
	return true;
}

/*
 * A long ioctl name ("writeprotect") widens its column for every row: the
 * batch column ends at the same place in the header and every row, in the
 * table and in --brief (where the cells column does).
 */
static bool column_ends_align(const char *text, const char *head, const char *row_prefix)
{
	const char *h = strstr(text, "memtype "), *p;
	size_t end;
	int rows = 0;

	if (!h || !strstr(h, head))
		return false;
	end = (size_t)(strstr(h, head) - h) + strlen(head) - 1;
	for (p = text; (p = strstr(p, row_prefix)); p++) {
		if (p != text && p[-1] != '\n')
			continue;
		if (!isdigit((unsigned char)p[end]))
			return false;
		rows++;
	}
	return rows > 0;
}

static void test_long_ioctl_columns(void **state)
{
	static const struct fx_cell cells[] = {
		{ "anon", "private", "copy", 1, 1, 500, 100 },
		{ "anon", "private", "writeprotect", 64, 1, 300, 50 },
	};
	struct fx_run b = FX_RUN_DEFAULT;
	struct out o;

	(void)state;
	fx_write(tmp_path("wp-a"), &b, cells, 2);
	b.seed = 7;
	fx_write(tmp_path("wp-b"), &b, cells, 2);
	run(&o, tmp_path("wp-a"), tmp_path("wp-b"), NULL);
	assert_non_null(strstr(o.out, "writeprotect"));
	assert_true(column_ends_align(o.out, "batch", "anon "));
	out_free(&o);
	run(&o, "--brief", tmp_path("wp-a"), tmp_path("wp-b"), NULL);
	assert_true(column_ends_align(o.out, "cells", "anon "));
	out_free(&o);
}

/* +20%: the table says it in percent, --brief in ten lines, --ascii in ASCII. */
static void test_presentation(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n = FX_RUN_DEFAULT;
	struct out o;
	const char *p;
	int lines = 0;

	(void)state;
	n.seed = 12;
	n.scale = 1.2;
	write_dir("pr-base", &b);
	write_dir("pr-new", &n);
	run(&o, tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "change [95% CI]"));
	assert_non_null(strstr(o.out, "% ["));
	assert_non_null(strstr(o.out, " continue "));		/* full ioctl names */
	assert_null(strstr(o.out, " cont "));
	assert_non_null(strstr(o.out, "detectable: >= "));
	assert_true(fits(o.out, 80));
	out_free(&o);

	run(&o, "--brief", tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	assert_int_equal(o.status, 1);
	for (p = o.out; *p; p++)
		lines += *p == '\n';
	assert_in_range(lines, 4, 14);
	assert_non_null(strstr(o.out, "slower"));
	assert_non_null(strstr(o.out, "+20."));		/* about +20%, whatever the noise */
	assert_true(fits(o.out, 80));
	out_free(&o);

	run(&o, "--ascii", tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	for (p = o.out; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	assert_non_null(strstr(o.out, "dbeta"));
	assert_true(fits(o.out, 80));
	out_free(&o);

	run(&o, "--brief", "--format", "json", tmp_path("pr-base"), tmp_path("pr-new"), NULL);
	assert_int_equal(o.status, 2);
	out_free(&o);
}

static void test_several_new_and_formats(void **state)
{
	struct fx_run b = FX_RUN_DEFAULT, n1 = FX_RUN_DEFAULT, n2 = FX_RUN_DEFAULT;
	struct out o, o2;
	const char *p;
	int lines = 0;

	(void)state;
	n1.seed = 10;
	n2.seed = 11;
	n2.scale = 1.2;
	write_dir("m-base", &b);
	write_dir("m-new1", &n1);
	write_dir("m-new2", &n2);
	run(&o, "--format", "json", tmp_path("m-base"), tmp_path("m-new1"), tmp_path("m-new2"), NULL);
	assert_int_equal(o.status, 1);
	assert_int_equal(json_array_size(json_object_get(o.json, "comparisons")), 2);
	run(&o2, "--format", "json", tmp_path("m-base"), tmp_path("m-new1"), tmp_path("m-new2"), NULL);
	assert_string_equal(o.out, o2.out);	/* fixed seed: same intervals */
	out_free(&o);
	out_free(&o2);

	run(&o, "--format", "csv", "--fdr", tmp_path("m-base"), tmp_path("m-new1"), NULL);
	assert_true(o.status == 0 || o.status == 3);
	for (p = o.out; *p; p = strchr(p, '\n') + 1, lines++) {
		int commas = 0, quoted = 0;

		for (const char *q = p; *q != '\n'; q++) {
			quoted ^= *q == '"';
			commas += *q == ',' && !quoted;
		}
		assert_int_equal(commas, 26);
	}
	assert_int_equal(lines, 1 + 19);
	out_free(&o);

	run(&o, "--format", "markdown", tmp_path("m-base"), tmp_path("m-new2"), NULL);
	assert_int_equal(o.status, 1);
	assert_non_null(strstr(o.out, "| memtype | ioctl |"));
	assert_non_null(strstr(o.out, "**slower**"));
	out_free(&o);

	run(&o, tmp_path("m-base"), tmp_path("m-new2"), NULL);
	for (p = strstr(o.out, "\nTiming:"); p && *p && strncmp(p, "\n\n", 2); p = strchr(p + 1, '\n')) {
		const char *e = strchr(p + 1, '\n');

		assert_true(!e || e - p - 1 <= 80);
	}
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_bh),
		cmocka_unit_test(test_fit_line_exact),
		cmocka_unit_test(test_geomean_interval),
		cmocka_unit_test(test_no_change),
		cmocka_unit_test(test_two_boots),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_placement_column),
		cmocka_unit_test(test_slower_5),
		cmocka_unit_test(test_slower_20),
		cmocka_unit_test(test_faster_5),
		cmocka_unit_test(test_small_effect),
		cmocka_unit_test(test_bimodal),
		cmocka_unit_test(test_alpha_beta),
		cmocka_unit_test(test_corrupt_line),
		cmocka_unit_test(test_schema2),
		cmocka_unit_test(test_caps_diff),
		cmocka_unit_test(test_env_diff),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_reader_rejects),
		cmocka_unit_test(test_sparse_env),
		cmocka_unit_test(test_size_mismatch),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_paired),
		cmocka_unit_test(test_several_new_and_formats),
		cmocka_unit_test(test_presentation),
		cmocka_unit_test(test_long_ioctl_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
