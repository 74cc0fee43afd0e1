// SPDX-License-Identifier: MIT
/*
 * plot on synthetic fault and capacity results: the latency distribution
 * drawn from the stored histogram (1 - CDF, the p50/p99/p99.9 markers at the
 * stored percentiles), the capacity curves against handler and faulting
 * threads with the targets and the recommended point, PNG and text output,
 * and a directory whose only configuration failed (exit 2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "plot_util.h"

#include <sys/stat.h>

#define FAULT_LINE(key, wait, f, h, status) \
	"{\"schema\": 1, \"kind\": \"fault\", \"key\": \"" key "\", \"memtype\": \"anon\", " \
	"\"ioctl\": \"copy\", \"faulters\": " #f ", \"handlers\": " #h ", \"window\": 1, " \
	"\"handler_cpus\": \"same\", \"status\": \"" status "\", \"load\": {\"mode\": \"closed\"}, " \
	"\"wait\": {\"style\": \"" wait "\", \"events\": 1}, \"faults_per_s\": 1000, " \
	"\"latency_ns\": {\"count\": 100, \"mean\": 1500, \"p50\": 1004, \"p90\": 2008, " \
	"\"p99\": 2008, \"p99_9\": 10040, \"max\": 10050}, \"verify\": {\"pages_checked\": 64}, " \
	"\"histogram\": {\"unit\": \"ns\", \"count\": 100, \"buckets\": " \
	"[[1000, 1007, 50], [2000, 2015, 49], [10000, 10079, 1]]}}\n"

#define POINT(f, h, wait, fps, p99, meets) \
	"{\"faulters\": " #f ", \"handlers\": " #h ", \"window\": 1, \"wait\": \"" wait "\", " \
	"\"events\": 1, \"handler_cpus\": \"separate\", \"status\": \"ok\", " \
	"\"faults_per_s\": " #fps ", \"p99_us\": " #p99 ", \"touch_p99_us\": " #p99 ", " \
	"\"meets\": " #meets "}"

static const char capacity_line[] =
	"{\"schema\": 1, \"kind\": \"capacity\", \"memtype\": \"anon\", \"ioctl\": \"copy\", "
	"\"load\": {\"mode\": \"open\", \"rate\": 5000}, \"target_rate\": 5000, "
	"\"target_p99_us\": 100, \"judge\": \"fault\", \"curve\": ["
	POINT(1, 1, "read", 3000, 500, false) ", " POINT(1, 2, "read", 5000, 50, true) ", "
	POINT(2, 1, "read", 2500, 900, false) ", " POINT(2, 2, "read", 4000, 300, false) "], "
	"\"by_faulters\": [{\"faulters\": 1, \"recommendation\": {\"faulters\": 1, \"handlers\": 2, "
	"\"wait\": \"read\", \"window\": 1, \"handler_cpus\": \"separate\"}}, "
	"{\"faulters\": 2, \"recommendation\": null}]}\n";

static void write_file(const char *dir, const char *text)
{
	char p[300];
	FILE *f;

	mkdir(dir, 0755);
	snprintf(p, sizeof(p), "%s/results.jsonl", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup_faults(void **state)
{
	setup(state);
	write_file(tmp_path("fault"), FAULT_LINE("anon/copy/a", "read", 1, 1, "ok")
		   FAULT_LINE("anon/copy/b", "sigbus", 1, 0, "ok"));
	write_file(tmp_path("cap"), capacity_line);
	write_file(tmp_path("failed"), FAULT_LINE("anon/copy/d", "read", 1, 1, "failed"));
	return 0;
}

static void expect_ok(const struct out *o)
{
	if (o->status)
		fail_msg("plot exited %d: %s", o->status, o->err);
}

/* The distribution from the histogram: 1 - CDF at each bucket's end, markers as stored. */
static void test_latency(void **state)
{
	char *dir = tmp_path("fault/plots");
	struct out o;

	(void)state;
	run(&o, tmp_path("fault"), NULL);
	expect_ok(&o);
	expect_file(dir, "fault-latency-d0-0.png", "\x89PNG\r\n\x1a\n", NULL);
	assert_true(file_has(dir, "fault-latency-d0-0.dat", "\n1.008 0.5\n"));
	assert_true(file_has(dir, "fault-latency-d0-0.dat", "\n2.016 0.01\n"));
	assert_true(file_has(dir, "fault-latency-d0-0.dat", "10.04 0.001 1 \"p99.9 10.0 us\""));
	assert_true(file_has(dir, "fault-latency-d0-0.gp", "anon sigbus f1 h0 w1 same"));
	assert_true(file_has(dir, "report.md", "| `anon/copy/a` | ok | 1000 | 1.50 | 1.00 | 2.01 |"));
	assert_false(file_has(dir, "report.md", "placement was not varied"));
	out_free(&o);
}

/* Against handlers and against faulting threads; targets; the recommendation circled. */
static void test_capacity(void **state)
{
	char *dir = tmp_path("cap/plots");
	struct out o;

	(void)state;
	run(&o, tmp_path("cap"), NULL);
	expect_ok(&o);
	expect_file(dir, "capacity-d0-0-handlers.png", "\x89PNG\r\n\x1a\n", NULL);
	expect_file(dir, "capacity-d0-0-faulters.png", "\x89PNG\r\n\x1a\n", NULL);
	assert_true(file_has(dir, "capacity-d0-0-handlers.gp", "5000 with lines dt 2"));
	assert_true(file_has(dir, "capacity-d0-0-handlers.gp", "100 with lines dt 2"));
	assert_true(file_has(dir, "capacity-d0-0-handlers.gp", "title \"recommended\""));
	/* the one recommended point, at 2 handlers with 1 faulting thread */
	assert_true(file_has(dir, "capacity-d0-0-handlers.dat", "# recommended\n2 5000 50\n"));
	assert_true(file_has(dir, "capacity-d0-0-faulters.dat", "# recommended\n1 5000 50\n"));
	out_free(&o);

	run(&o, "--format", "dumb", "--out", tmp_path("capdumb"), tmp_path("cap"), NULL);
	expect_ok(&o);
	assert_non_null(strstr(o.out, "against faulting threads"));
	assert_non_null(strstr(o.out, "+-----"));
	out_free(&o);
}

/* Nothing but a failed configuration: nothing to plot, exit 2. */
static void test_nothing(void **state)
{
	struct out o;

	(void)state;
	run(&o, tmp_path("failed"), NULL);
	assert_int_equal(o.status, 2);
	assert_non_null(strstr(o.err, "nothing to plot"));
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latency),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, setup_faults, teardown);
}
