// SPDX-License-Identifier: MIT
/*
 * `fault` and `capacity` as a user meets them: help, bad input (exit 2,
 * one line, nothing written), the results they leave, a handler that never
 * answers (exit 1 after the watchdog, not a hang), SIGINT (the partial
 * result kept, exit 130).  $UFFDBENCH_BIN names the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"

#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>


#define RUN(...) cli_run(NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* The lines of dir/results.jsonl, in a JSON array. */
static json_t *lines(const char *dir)
{
	char path[300], buf[1 << 17];
	json_t *a = json_array();
	json_error_t jerr;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		json_t *o = json_loads(buf, 0, &jerr);

		if (!o)
			fail_msg("%s: %s", path, jerr.text);
		json_array_append_new(a, o);
	}
	fclose(f);
	return a;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(RUN("fault", "--help"), 0);
	assert_non_null(strstr(out, "usage: uffdbench fault"));
	assert_int_equal(RUN("capacity", "--help"), 0);
	assert_non_null(strstr(out, "usage: uffdbench capacity"));
	assert_int_equal(RUN("--help"), 0);
	assert_non_null(strstr(out, "fault"));
	assert_non_null(strstr(out, "capacity"));
}

static void test_bad_input(void **state)
{
	static const struct { const char *args[8]; const char *says; } cases[] = {
		{ { "fault", "--handlers", "0" }, "bad --handlers 0" },
		{ { "fault", "--faulters", "2000" }, "bad --faulters" },
		{ { "fault", "--window", "3" }, "power of two" },
		{ { "fault", "--window", "512", "--size", "1M" }, "larger than the range" },
		{ { "fault", "--memtype", "anon", "--ioctl", "continue" }, "cannot run here" },
		{ { "fault", "--rate", "0" }, "want 1 to 1e9" },
		{ { "fault", "--rate", "2e9" }, "want 1 to 1e9" },
		{ { "fault", "--watchdog", "0" }, "bad --watchdog" },
		{ { "fault", "--handlers", "1,2" }, "takes one value" },
		{ { "fault", "--touch", "poke" }, "unknown --touch" },
		{ { "capacity" }, "needs --target-rate" },
		{ { "capacity", "--target-rate", "2e9" }, "bad --target-rate" },
		{ { "capacity", "--target-rate", "10", "--closed-loop", "--rate", "5" }, "exclude" },
		{ { "capacity", "--target-rate", "10", "--window", "3" }, "power of two" },
		{ { "fault", "--wait", "spin" }, "unknown --wait" },
		{ { "fault", "--wait", "read,poll" }, "bad --wait" },
		{ { "fault", "--events", "0" }, "bad --events" },
		{ { "fault", "--events", "65" }, "bad --events" },
		{ { "fault", "--wait", "sigbus", "--handlers", "2" }, "drop --handlers" },
		{ { "fault", "--wait", "sigbus", "--events", "2" }, "drop --events" },
		{ { "fault", "--wait", "sigbus", "--uffd", "per-handler" }, "drop --uffd" },
		{ { "fault", "--wait", "sigbus", "--inject-handler", "stall" }, "needs handler threads" },
		{ { "fault", "--judge", "touch" }, "unrecognized option '--judge'" },
		{ { "capacity", "--target-rate", "10", "--judge", "hits" }, "unknown --judge" },
		{ { "capacity", "--target-rate", "10", "--faulters", "0" }, "bad --faulters 0" },
		{ { "capacity", "--target-rate", "10", "--faulters", "1,512" }, "--oversubscribe" },
		{ { "capacity", "--target-rate", "10", "--wait", "read,read" }, "twice" },
	};
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		cli_expect_bad(NULL, cases[i].args, i, cases[i].says);
}

static void check_fault_line(json_t *o)
{
	json_t *lat = json_object_get(o, "latency_ns");

	assert_string_equal(str(o, "kind"), "fault");
	assert_int_equal(num(o, "schema"), 1);
	assert_string_equal(str(o, "status"), "ok");
	assert_true(num(o, "faults") > 0 && num(o, "faults_per_s") > 0);
	assert_true(num(lat, "p50") > 0 && num(lat, "p50") <= num(lat, "p99"));
	assert_true(num(lat, "p99") <= num(lat, "max"));
	assert_true(json_array_size(json_object_get(json_object_get(o, "histogram"), "buckets")) > 0);
	/* one per handler thread, or per faulting thread resolving its own in SIGBUS mode */
	assert_int_equal(json_array_size(json_object_get(o, "handler_stats")),
			 strcmp(str(json_object_get(o, "wait"), "style"), "sigbus") ?
			 num(o, "handlers") : num(o, "faulters"));
	assert_int_equal(num(json_object_get(o, "verify"), "mismatches"), 0);
	assert_true(num(json_object_get(o, "verify"), "pages_checked") > 0);
}

/* Handlers of the first (fewest-handler) curve point that met the targets, or 0. */
static int fewest_meeting(json_t *curve)
{
	size_t i;
	json_t *pt;

	json_array_foreach(curve, i, pt)
		if (json_is_true(json_object_get(pt, "meets")))
			return json_integer_value(json_object_get(pt, "handlers"));
	return 0;
}

static int recommended(json_t *cap)
{
	json_t *rec = json_object_get(cap, "recommendation");

	return json_is_object(rec) ? json_integer_value(json_object_get(rec, "handlers")) : 0;
}

static void test_results(void **state)
{
	char dir[256], path[300];
	json_t *a, *cap;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fault", tmp);
	assert_int_equal(RUN("fault", "--duration", "0.3", "--size", "256k", "--pattern", "random",
			     "--window", "2", "--out", dir), 0);
	assert_non_null(strstr(out, "latency us: p50"));
	a = lines(dir);
	assert_int_equal(json_array_size(a), 1);
	check_fault_line(json_array_get(a, 0));
	json_decref(a);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	assert_true(cli_exists(path));
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	assert_true(cli_exists(path));

	snprintf(dir, sizeof(dir), "%s/capacity", tmp);
	assert_int_equal(RUN("capacity", "--target-rate", "1000", "--target-p99-us", "100000",
			     "--handlers", "1-2", "--duration", "0.2", "--size", "256k", "--out", dir), 0);
	assert_non_null(strstr(out, "recommendation"));
	a = lines(dir);
	assert_int_equal(json_array_size(a), 3);
	check_fault_line(json_array_get(a, 1));
	cap = json_array_get(a, 2);
	assert_string_equal(str(cap, "kind"), "capacity");
	assert_int_equal(json_array_size(json_object_get(cap, "curve")), 2);
	/* Which count meets the targets is the machine's business (a busy one
	 * may need both); the recommendation must be the curve's fewest that did. */
	assert_int_equal(recommended(cap), fewest_meeting(json_object_get(cap, "curve")));
	json_decref(a);
}

/*
 * COPY's source: by default each handler's hot window of pages, stamped per
 * fault (every page verified, read touches checked by the faulting thread);
 * --source range, the range-shaped one, is a key of its own.
 */
static void test_source(void **state)
{
	static const char *const sources[] = { "hot", "range" };
	char dir[256];
	json_t *a, *o;

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		for (unsigned w = 1; w <= 4; w *= 4) {
			char win[8];

			snprintf(win, sizeof(win), "%u", w);
			snprintf(dir, sizeof(dir), "%s/source-%s-w%u", tmp, sources[i], w);
			assert_int_equal(RUN("fault", "--source", sources[i], "--window", win,
					     "--touch", "read", "--verify", "full", "--duration",
					     "0.3", "--size", "1M", "--out", dir), 0);
			a = lines(dir);
			o = json_array_get(a, 0);
			assert_string_equal(str(o, "source"), sources[i]);
			assert_int_equal(!!strstr(str(o, "key"), "/src-range"), i == 1);
			assert_int_equal(num(json_object_get(o, "verify"), "mismatches"), 0);
			assert_true(num(json_object_get(o, "verify"), "pages_checked") > 0);
			assert_int_equal(num(json_object_get(o, "verify"), "touch_mismatches"), 0);
			json_decref(a);
		}
	}
	snprintf(dir, sizeof(dir), "%s/source-bad", tmp);
	assert_int_equal(RUN("fault", "--source", "cold", "--out", dir), 2);
	assert_non_null(strstr(out, "unknown --source 'cold' (hot, range)"));
	/* no source to speak of: zeropage */
	snprintf(dir, sizeof(dir), "%s/source-zero", tmp);
	assert_int_equal(RUN("fault", "--ioctl", "zeropage", "--duration", "0.2", "--size", "256k",
			     "--out", dir), 0);
	a = lines(dir);
	assert_true(json_is_null(json_object_get(json_array_get(a, 0), "source")));
	json_decref(a);
}

static size_t count_faulters(json_t *curve, unsigned f, const char *wait)
{
	size_t i, n = 0;
	json_t *pt;

	json_array_foreach(curve, i, pt)
		n += num(pt, "faulters") == f && !strcmp(str(pt, "wait"), wait);
	return n;
}

/*
 * capacity over faulting threads and wait styles, judged on every touch;
 * SIGBUS mode is one point per faulting-thread count whatever --handlers.
 * Then plot draws both directories.
 */
static void test_capacity_dims(void **state)
{
	char dir[256], fdir[256], pdir[300];
	json_t *a, *cap;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capdims", tmp);
	if (RUN("capacity", "--target-rate", "500", "--target-p99-us", "1e6", "--closed-loop",
		"--faulters", "1,2", "--handlers", "1,2", "--wait", "read,sigbus", "--judge",
		"touch", "--duration", "0.5", "--size", "256k", "--window", "2", "--out", dir))
		fail_msg("capacity failed: %s", out);
	assert_non_null(strstr(out, "recommendation with 2 faulting threads"));
	a = lines(dir);
	assert_int_equal(json_array_size(a), 7);	/* 2 x (2 read + 1 sigbus) + capacity */
	for (size_t i = 0; i < 6; i++)
		check_fault_line(json_array_get(a, i));
	cap = json_array_get(a, 6);
	assert_string_equal(str(cap, "judge"), "touch");
	assert_int_equal(count_faulters(json_object_get(cap, "curve"), 2, "read"), 2);
	assert_int_equal(count_faulters(json_object_get(cap, "curve"), 1, "sigbus"), 1);
	assert_int_equal(json_array_size(json_object_get(cap, "by_faulters")), 2);
	/* with windows, a touch's p99 counts hits too, so the two p99s differ in kind */
	assert_true(num(json_array_get(json_object_get(cap, "curve"), 0), "touch_p99_us") > 0);
	json_decref(a);

	snprintf(fdir, sizeof(fdir), "%s/sigbus", tmp);
	assert_int_equal(RUN("fault", "--wait", "sigbus", "--duration", "0.2", "--size", "256k",
			     "--out", fdir), 0);
	assert_non_null(strstr(out, "no handler threads"));
	a = lines(fdir);
	check_fault_line(json_array_get(a, 0));
	assert_string_equal(str(json_object_get(json_array_get(a, 0), "wait"), "style"), "sigbus");
	json_decref(a);

	snprintf(pdir, sizeof(pdir), "%s/plots", tmp);
	assert_int_equal(RUN("plot", "--format", "dumb", "--out", pdir, fdir), 0);
	assert_non_null(strstr(out, "fraction of faults slower"));
	assert_int_equal(RUN("plot", "--format", "dumb", "--out", pdir, dir), 0);
	assert_non_null(strstr(out, "against faulting threads"));
	assert_non_null(strstr(out, "against handler threads"));
}

/* A handler that never answers: exit 1 after --watchdog, with the reason kept. */
static void test_watchdog(void **state)
{
	char dir[256];
	json_t *a;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/stall", tmp);
	assert_int_equal(RUN("fault", "--inject-handler", "stall", "--watchdog", "1", "--duration", "30",
			     "--size", "256k", "--out", dir), 1);
	assert_non_null(strstr(out, "watchdog"));
	a = lines(dir);
	assert_string_equal(str(json_array_get(a, 0), "status"), "failed");
	assert_true(num(json_array_get(a, 0), "elapsed_ms") < 5000);
	json_decref(a);
}

/* SIGINT mid-run: the configuration so far is kept as "interrupted", exit 130. */
static void test_interrupt(void **state)
{
	char dir[256], env[300];
	pid_t pid;
	json_t *a;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/intr", tmp);
	snprintf(env, sizeof(env), "%s/env.json", dir);
	pid = cli_spawn(NULL, (const char *const[]){ "fault", "--duration", "30", "--size", "1M",
					   "--out", dir, NULL });
	for (int i = 0; i < 400 && !cli_exists(env); i++)
		usleep(25000);
	usleep(1000000);		/* well into the rounds, even under TSan */
	kill(pid, SIGINT);
	assert_int_equal(cli_wait(pid), 130);
	a = lines(dir);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(str(json_array_get(a, 0), "status"), "interrupted");
	assert_true(num(json_array_get(a, 0), "touches") > 0);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_capacity_dims),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_interrupt),
	};

	if (!tmp_make("fault"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
