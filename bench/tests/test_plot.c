// SPDX-License-Identifier: MIT
/*
 * plot on synthetic results directories: PNG, SVG and text figures that are
 * what they claim to be, report.md, the fit drawn where there are batch
 * sizes to fit, a change figure coloured by compare's verdicts.  Bad input
 * and the rarer figures: test_plot_input.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plot_util.h"

static const char *const ioctls[] = { "copy", "zeropage", "continue" };

static void expect_ok(const struct out *o)
{
	if (o->status)
		fail_msg("plot exited %d: %s", o->status, o->err);
}

/* One directory, default --out: DIR/plots, PNG, the report. */
static void test_png(void **state)
{
	char *dir = tmp_path("base/plots"), name[64];
	struct out o;

	(void)state;
	run(&o, tmp_path("base"), NULL);
	expect_ok(&o);
	for (size_t i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "batch-%s-t1.png", ioctls[i]);
		expect_file(dir, name, "\x89PNG\r\n\x1a\n", NULL);
		snprintf(name, sizeof(name), "bars-%s-t1.png", ioctls[i]);
		expect_file(dir, name, "\x89PNG\r\n\x1a\n", NULL);
		snprintf(name, sizeof(name), "batch-%s-t1.gp", ioctls[i]);
		expect_file(dir, name, "# uffdbench plot", NULL);
		snprintf(name, sizeof(name), "batch-%s-t1.dat", ioctls[i]);
		expect_file(dir, name, "# uffdbench plot", NULL);
	}
	assert_true(access(tmp_path("base/plots/change-1.png"), F_OK));	/* one directory */
	assert_true(file_has(dir, "report.md", "![ns per page against batch size, UFFDIO_CONTINUE, "
			     "1 thread](batch-continue-t1.png)"));
	assert_true(file_has(dir, "report.md", "| shmem-memfd | continue | 64 | 1 | ok |"));
	assert_true(file_has(dir, "report.md", "| hugetlb | copy | 1 | 1 | skipped | - | - | - | "
			     "no hugepages |"));
	assert_true(file_has(dir, "report.md", "placement was not varied"));
	assert_true(file_has(dir, "batch-copy-t1.gp", "kernel 6.12.0-base | Test CPU @ 2.0GHz"));
	out_free(&o);
}

static void test_svg(void **state)
{
	char *dir = tmp_path("svg");
	struct out o;

	(void)state;
	run(&o, "--format", "svg", "--out", dir, tmp_path("base"), NULL);
	expect_ok(&o);
	expect_file(dir, "batch-continue-t1.svg", "<?xml", "<svg");
	expect_file(dir, "bars-copy-t1.svg", "<?xml", "<svg");
	assert_true(file_has(dir, "report.md", "(batch-copy-t1.svg)"));
	out_free(&o);
}

/* The widest line of a file, in columns (a UTF-8 character, a form feed: none). */
static size_t max_columns(const char *file)
{
	char *buf = capture_slurp(file, NULL);
	size_t n = 0, max = 0;

	assert_non_null(buf);
	for (char *p = buf; *p; p++) {
		if (*p == '\n')
			n = 0;
		else if (((unsigned char)*p & 0xc0) != 0x80 && *p != '\f' && ++n > max)
			max = n;
	}
	free(buf);
	return max;
}

/* Text plots: printed, kept as NAME.txt, embedded in the report. */
static void test_dumb(void **state)
{
	char *dir = tmp_path("dumb");
	struct out o;

	(void)state;
	run(&o, "--format", "dumb", "--out", dir, tmp_path("base"), NULL);
	expect_ok(&o);
	assert_non_null(strstr(o.out, "ns per page against batch size, UFFDIO_ZEROPAGE"));
	assert_non_null(strstr(o.out, "+-----"));		/* the frame of a text plot */
	expect_file(dir, "batch-zeropage-t1.txt", NULL, NULL);
	assert_true(file_has(dir, "report.md", "```text"));
	assert_true(file_has(dir, "batch-zeropage-t1.txt", "ns per page against batch size"));
	out_free(&o);

	/* the text plots take the terminal's width ($COLUMNS when not a terminal) */
	setenv("COLUMNS", "90", 1);
	run(&o, "--format", "dumb", "--out", tmp_path("dumb90"), tmp_path("base"), NULL);
	unsetenv("COLUMNS");
	expect_ok(&o);
	assert_true(max_columns(tmp_path("dumb90/batch-zeropage-t1.txt")) == 90);
	out_free(&o);

	/* --per-4k: the axes say so; a base-page memory type's numbers do not move */
	run(&o, "--per-4k", "--out", tmp_path("per4k"), tmp_path("base"), NULL);
	expect_ok(&o);
	assert_true(file_has(tmp_path("per4k"), "batch-continue-t1.gp", "ns per 4 KiB"));
	assert_true(file_has(tmp_path("per4k"), "batch-continue-t1.gp", " ns/4K\""));
	out_free(&o);
}

/* The fit drawn is compare's: the fixture's alpha 500, beta 100 come back. */
static void test_fit(void **state)
{
	char *buf = capture_slurp(tmp_path("base/plots/batch-continue-t1.dat"), NULL), *p;
	double a, b;

	(void)state;
	assert_non_null(buf);	/* test_png wrote it */
	p = strstr(buf, "# fit: alpha ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "# fit: alpha %lf ns/ioctl, beta %lf", &a, &b), 2);
	assert_float_equal(a, 500, 25);
	assert_float_equal(b, 100, 3);
	free(buf);
	assert_true(file_has(tmp_path("base/plots"), "batch-continue-t1.gp", "with lines"));
	assert_true(file_has(tmp_path("base/plots"), "batch-continue-t1.gp", "β 100"));
}

/* NEW against BASE: compare's verdicts, coloured; controls marked; compare's report. */
static void test_change(void **state)
{
	char *dir = tmp_path("cmp"), *buf, *line;
	struct out o;

	(void)state;
	run(&o, "--out", dir, tmp_path("base"), tmp_path("new"), NULL);
	expect_ok(&o);
	expect_file(dir, "change-1.png", "\x89PNG\r\n\x1a\n", NULL);
	buf = capture_slurp(tmp_path("cmp/change-1.dat"), NULL);
	assert_non_null(buf);
	/* +20 ns/page on 120 is +17% at batch 64: slower, red */
	line = strstr(buf, "\"shmem-memfd copy b64 t1\" \"slower\"");
	assert_non_null(line);
	while (line > buf && line[-1] != '\n')
		line--;
	assert_non_null(strstr(line, " 14034728 0 "));	/* 0xd62728, not a control */
	assert_non_null(strstr(buf, "\"anon copy b64 t1 [control]\" \"same\""));
	free(buf);
	assert_true(file_has(dir, "change-1.gp", "NEW 6.12.0-new [new] against BASE 6.12.0-base [base]"));
	assert_true(file_has(dir, "report.md", "(change-1.png)"));
	assert_true(file_has(dir, "report.md", "### base"));	/* compare's markdown */
	/* both kernels on the batch figure */
	assert_true(file_has(dir, "batch-copy-t1.gp", "shmem-memfd (NEW 6.12.0-new [new])"));
	assert_true(file_has(dir, "batch-copy-t1.gp", "shmem-memfd (BASE 6.12.0-base [base])"));
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_dumb),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_change),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
