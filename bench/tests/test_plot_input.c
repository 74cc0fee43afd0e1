// SPDX-License-Identifier: MIT
/*
 * plot's edges: bad input (exit 2 with a message naming the file and line,
 * nothing written), no gnuplot (exit 2 naming the Debian package), the NUMA
 * heatmap drawn only when placement varied, and the fault-mode hook silent
 * without fault results.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plot_util.h"

#include <sys/stat.h>

/* `plot DIR` fails with status 2, err holds want, and DIR/plots was not created. */
static void expect_bad(const char *dir, const char *want)
{
	char plots[300];
	struct out o;

	run(&o, dir, NULL);
	if (o.status != 2 || !strstr(o.err, want))
		fail_msg("plot %s: exit %d, stderr \"%s\"; wanted 2 and \"%s\"", dir, o.status,
			 o.err, want);
	snprintf(plots, sizeof(plots), "%s/plots", dir);
	assert_true(access(plots, F_OK));
	out_free(&o);
}

static void bad_dir(const char *name, const char *results)
{
	mkdir(tmp_path(name), 0755);
	if (results)
		fx_write_text(tmp_path(name), "results.jsonl", results);
}

static void test_bad_input(void **state)
{
	struct out o;

	(void)state;
	run(&o, NULL);
	assert_int_equal(o.status, 2);
	out_free(&o);
	run(&o, "--format", "jpeg", tmp_path("base"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "unknown --format 'jpeg'"));
	out_free(&o);
	expect_bad(tmp_path("absent"), "No such file or directory");
	bad_dir("empty", NULL);
	expect_bad(tmp_path("empty"), "no results.jsonl");
	bad_dir("nobatch", "{\"schema\":1,\"kind\":\"cell\",\"memtype\":\"anon\",\"mapping\":"
		"\"private\",\"ioctl\":\"copy\",\"threads\":1,\"status\":\"ok\",\"rounds\":[]}\n");
	expect_bad(tmp_path("nobatch"), "results.jsonl:1: no \"batch\" field");
	bad_dir("norounds", "{\"schema\":1,\"kind\":\"cell\",\"memtype\":\"anon\",\"mapping\":"
		"\"private\",\"ioctl\":\"copy\",\"batch\":1,\"threads\":1,\"status\":\"ok\"}\n");
	expect_bad(tmp_path("norounds"), "results.jsonl:1: status ok but no \"rounds\"");
	bad_dir("corrupt", "{\"schema\":1,\"kind\":\"cell\",\"memt");
	expect_bad(tmp_path("corrupt"), "results.jsonl:1: not valid JSON");
	bad_dir("skipped", "{\"schema\":1,\"kind\":\"cell\",\"memtype\":\"hugetlb\",\"mapping\":"
		"\"shared\",\"ioctl\":\"copy\",\"batch\":1,\"threads\":1,\"status\":\"skipped\","
		"\"reason\":\"no hugepages\"}\n");
	expect_bad(tmp_path("skipped"), "nothing to plot");
}

static void test_no_gnuplot(void **state)
{
	struct out o;

	(void)state;
	setenv("UFFDBENCH_GNUPLOT", "/nonexistent/gnuplot", 1);
	run(&o, "--out", tmp_path("nognuplot"), tmp_path("base"), NULL);
	unsetenv("UFFDBENCH_GNUPLOT");
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "gnuplot-nox"));
	assert_true(access(tmp_path("nognuplot"), F_OK));
	out_free(&o);
}

/*
 * gnuplot fails (/bin/false): exit 2, one line on stderr, nothing on stdout,
 * no figure, script, data or report left, and no --out directory it made;
 * an --out that existed keeps what it held.
 */
static void test_gnuplot_fails_nothing_left(void **state)
{
	char deep[300], keep[300];
	struct out o;

	(void)state;
	setenv("UFFDBENCH_GNUPLOT", "/bin/false", 1);
	run(&o, "--out", tmp_path("failing"), tmp_path("base"), NULL);
	unsetenv("UFFDBENCH_GNUPLOT");
	assert_int_equal(o.status, 2);
	assert_string_equal(o.out, "");
	assert_non_null(strstr(o.err, "gnuplot failed"));
	assert_ptr_equal(strchr(o.err, '\n'), o.err + strlen(o.err) - 1);	/* one line */
	assert_true(access(tmp_path("failing"), F_OK));
	out_free(&o);

	mkdir(tmp_path("kept"), 0755);
	snprintf(keep, sizeof(keep), "%s/mine", tmp_path("kept"));
	fx_write_text(tmp_path("kept"), "mine", "mine\n");
	snprintf(deep, sizeof(deep), "%s/a/b", tmp_path("kept"));
	setenv("UFFDBENCH_GNUPLOT", "/bin/false", 1);
	run(&o, "--out", deep, tmp_path("base"), NULL);
	unsetenv("UFFDBENCH_GNUPLOT");
	assert_int_equal(o.status, 2);
	snprintf(deep, sizeof(deep), "%s/a", tmp_path("kept"));
	assert_true(access(deep, F_OK));
	assert_int_equal(access(keep, F_OK), 0);
	out_free(&o);
}

/* Each line of shmem-memfd continue at batch 8 becomes one per placement T>M. */
static void place(json_t *line, json_t *out, void *arg)
{
	static const char *const pl[] = { "0>0", "0>1", "1>0", "1>1" };

	(void)arg;
	if (strcmp(json_string_value(json_object_get(line, "memtype")), "shmem-memfd") ||
	    strcmp(json_string_value(json_object_get(line, "ioctl")), "continue") ||
	    json_integer_value(json_object_get(line, "batch")) != 8)
		return;
	for (size_t i = 0; i < 4; i++) {
		json_t *o = json_deep_copy(line);

		json_object_set_new(o, "placement", json_string(pl[i]));
		json_array_append_new(out, o);
	}
}

static void test_numa(void **state)
{
	struct fx_run r = FX_RUN_DEFAULT;
	char *dir = tmp_path("numa");
	struct out o;

	(void)state;
	r.rounds = 6;
	r.repeats = 2;
	fx_write_default(dir, &r);
	fx_rewrite(dir, place, NULL);
	run(&o, "--out", tmp_path("numa/plots"), dir, NULL);
	if (o.status)
		fail_msg("plot exited %d: %s", o.status, o.err);
	expect_file(tmp_path("numa/plots"), "numa-d0-shmem-memfd-continue-b8-t1.png",
		    "\x89PNG\r\n\x1a\n", NULL);
	assert_null(strstr(o.out, "not varied"));
	assert_true(file_has(tmp_path("numa/plots"), "numa-d0-shmem-memfd-continue-b8-t1.dat",
			     "\n1 0 "));
	out_free(&o);
}

static void add_fault_line(json_t *line, json_t *out, void *arg)
{
	bool *done = arg;

	json_array_append(out, line);
	if (!*done)
		json_array_append_new(out, json_pack("{s:i, s:s}", "schema", 1, "kind", "fault"));
	*done = true;
}

/* A fault line among cells, without measurements: the cells drawn, the line said why not. */
static void test_fault_line_among_cells(void **state)
{
	struct fx_run r = FX_RUN_DEFAULT;
	char *dir = tmp_path("fault");
	bool done = false;
	struct out o;

	(void)state;
	run(&o, "--format", "dumb", "--out", tmp_path("dumb-again"), tmp_path("base"), NULL);
	assert_int_equal(o.status, 0);
	assert_null(strstr(o.out, "fault configuration"));	/* silent without fault results */
	out_free(&o);
	r.rounds = 6;
	r.repeats = 1;
	fx_write_default(dir, &r);
	fx_rewrite(dir, add_fault_line, &done);
	run(&o, "--format", "dumb", "--out", tmp_path("fault/plots"), dir, NULL);
	assert_int_equal(o.status, 0);
	assert_non_null(strstr(o.out, "ns per page against batch size"));
	assert_non_null(strstr(o.out, "1 fault configuration not ok or without faults"));
	out_free(&o);
}

/*
 * Outside text in titles: a kernel release of 300 characters overflowed the
 * series title's stack buffer (issue 13.7); a backtick in it ran a shell
 * command through gnuplot's command substitution.
 */
static void test_long_and_quoted_strings(void **state)
{
	char release[512], tick[160], pwned[128];
	struct out o;

	(void)state;
	snprintf(pwned, sizeof(pwned), "%.64s/pwned", tmp);
	memset(release, 'r', 300);
	release[300] = '\0';
	write_dir("long", 20, release);
	snprintf(tick, sizeof(tick), "`touch %s`\"\\", pwned);
	write_dir("tick", 20, tick);
	run(&o, "--format", "dumb", "--out", tmp_path("long/plots"), tmp_path("base"), tmp_path("long"),
	    tmp_path("tick"), NULL);
	if (o.status)
		fail_msg("plot exited %d: %s", o.status, o.err);
	if (!access(pwned, F_OK))
		fail_msg("a backtick in env.json ran a command through gnuplot");
	assert_true(file_has(tmp_path("long/plots"), "batch-copy-t1.gp", "rrrrrrrrrr"));
	assert_true(file_has(tmp_path("long/plots"), "batch-copy-t1.gp", "\\`touch"));
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_no_gnuplot),
		cmocka_unit_test(test_gnuplot_fails_nothing_left),
		cmocka_unit_test(test_numa),
		cmocka_unit_test(test_fault_line_among_cells),
		cmocka_unit_test(test_long_and_quoted_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
