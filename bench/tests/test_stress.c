// SPDX-License-Identifier: MIT
/*
 * uffdbench stress as a user meets it: a short clean run (exit 0, every kind
 * of operation counted, no failure, the results files), injected corruption
 * (exit 1, the page and both values reported), a WARNING in the kernel log
 * (exit 1), bad input (exit 2, nothing written), SIGINT (exit 130 with the
 * summary, huge pages put back).  $UFFDBENCH_BIN names the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"
#include "machine/hugepages.h"
#include "stress/stress.h"

#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


#define RUN(...) cli_run("stress", (const char *const[]){ __VA_ARGS__, NULL })

/* The run's line: a stress line. */
static json_t *stress_line(const char *dir)
{
	json_t *o = cli_first_result(dir);

	assert_string_equal(json_string_value(json_object_get(o, "kind")), "stress");
	return o;
}

static long pool(void)
{
	return hugepages_read(2ul << 20, "nr_hugepages");
}

/* Huge pages back where they were (other processes may be slow to settle). */
static void assert_pool(long before)
{
	for (int i = 0; i < 100 && pool() != before; i++)
		usleep(20000);
	assert_int_equal(pool(), before);
}

/* Its kinds of op, from the table's properties: the ops it issued by name before. */
static void test_kinds(void **state)
{
	static const struct { const char *op; enum stress_kind k; enum range_kind r; } want[] = {
		{ "copy", SK_COPY, RANGE_MISSING },
		{ "zeropage", SK_ZEROPAGE, RANGE_MISSING },
		{ "continue", SK_CONTINUE, RANGE_MINOR },
	};
	unsigned all = 0;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		int op = uop_parse(want[i].op);

		assert_true(op >= 0);
		assert_int_equal(stress_op_kind(op), want[i].k);
		assert_int_equal(stress_op_range(op), want[i].r);
		assert_int_equal(stress_op(UOP_ALL, want[i].k), op);
		assert_int_equal(stress_ops_of(1u << want[i].k), 1u << op);
		assert_int_equal(stress_op(UOP_ALL & ~(1u << op), want[i].k), -1);
		all |= 1u << op;
	}
	assert_int_equal(stress_ops_of(SK_IOCTLS), all);
	/* copies as copy does, but leaves the pages write-protected: not stress's */
	assert_int_equal(stress_op_kind(uop_parse("copy-wp")), SK_NR);
	for (int op = 0; op < UOP_NR; op++)
		assert_int_equal(stress_op_kind(op) < SK_NR, !!(all & (1u << op)));
}

static void test_bad_input(void **state)
{
	static const struct { const char *args[6]; const char *says; } cases[] = {
		{ { "--memtype", "anon,nosuch" }, "unknown memory type 'nosuch'" },
		{ { "--duration", "0" }, "bad --duration '0'" },
		{ { "--duration", "soon" }, "bad --duration 'soon'" },
		{ { "--duration", "10x" }, "bad --duration '10x'" },
		{ { "--seed", "forty-two" }, "bad --seed 'forty-two'" },
		{ { "--seed", "-1" }, "bad --seed '-1'" },
		{ { "--threads", "0" }, "bad --threads" },
		{ { "--pages", "3" }, "bad --pages" },
		{ { "stray" }, "unexpected argument" },
	};
	(void)state;
	assert_int_equal(RUN("--help"), 0);
	assert_non_null(strstr(out, "usage: uffdbench stress"));
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		cli_expect_bad("stress", cases[i].args, i, cases[i].says);
}

/* Every kind ran, none failed; the files are there; the pool is back. */
static void test_clean_run(void **state)
{
	static const char *const kinds[] = { "copy", "zeropage", "continue", "populate", "zap",
					     "punch", "fault", "touch", "check", "fork" };
	long before = pool();
	char dir[256], path[300];
	json_t *o, *ops;
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/clean", tmp);
	rc = RUN("--duration", "5s", "--seed", "42", "--fork", "--out", dir);
	if (rc)
		fail_msg("exit %d: %s", rc, out);
	assert_non_null(strstr(out, "failures: 0"));
	assert_non_null(strstr(out, "seed 42"));
	o = stress_line(dir);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "ok");
	assert_int_equal(json_integer_value(json_object_get(o, "failures")), 0);
	ops = json_object_get(o, "ops");
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		json_t *k = json_object_get(ops, kinds[i]);

		if (json_integer_value(json_object_get(k, "ops")) <= 0)
			fail_msg("no %s operation in a clean run: %s", kinds[i], out);
		assert_int_equal(json_integer_value(json_object_get(
			json_object_get(k, "outcomes"), "error")), 0);
	}
	assert_true(json_array_size(json_object_get(o, "memtypes")) >= 1);
	json_decref(o);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	assert_int_equal(access(path, F_OK), 0);
	if (before >= 0)
		assert_pool(before);
}

/* A wrong byte written through the alias: exit 1, with its offset and values. */
static void test_injected_corruption(void **state)
{
	const char *inj = NULL, *off, *from;
	char dir[256], want[160];
	json_t *o;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/inject", tmp);
	assert_int_equal(RUN("--memtype", "shmem-memfd", "--duration", "30s", "--seed", "7",
			     "--inject-corruption", "--out", dir), 1);
	/* the last injection is the one still in memory */
	for (const char *p = out; (p = strstr(p, "injected corruption: ")); p++)
		inj = p;
	assert_non_null(inj);
	off = strstr(inj, "(offset ");
	assert_non_null(off);
	/* the failure names the same page and offset, and both byte values */
	from = inj + strlen("injected corruption: shmem-memfd, ");
	snprintf(want, sizeof(want), "FAILURE: shmem-memfd, %.*s", (int)(strchr(off, ')') - from + 1),
		 from);
	if (!strstr(out, want))
		fail_msg("want '%s' in: %s", want, out);
	assert_non_null(strstr(out, "wrong byte at byte"));
	assert_non_null(strstr(out, "expected 0x"));
	assert_non_null(strstr(out, "reproduce with --seed 7"));
	o = stress_line(dir);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
	assert_true(json_integer_value(json_object_get(o, "failures")) >= 1);
	json_decref(o);
}

/* A WARNING: line logged during the run fails it, and is printed. */
static void test_kernel_warning(void **state)
{
	static const char line[] = "4,999,1,-;WARNING: CPU: 0 PID: 1 at mm/userfaultfd.c:1 test\n";
	char dir[256], log[256];
	pid_t pid;
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/kmsg", tmp);
	snprintf(log, sizeof(log), "%s/kmsg.log", tmp);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "6,1,0,-;old news: WARNING: before the run\n", 42), 42);
	setenv("UFFDBENCH_KMSG", log, 1);
	pid = cli_spawn("stress", (const char *const[]){ "--memtype", "anon", "--duration", "4s", "--out", dir,
					   NULL });
	unsetenv("UFFDBENCH_KMSG");
	/* more than once: the run notes the log's end only once it is set up */
	for (int i = 0; i < 4; i++) {
		usleep(700000);
		assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	}
	close(fd);
	assert_int_equal(cli_wait(pid), 1);
	assert_non_null(strstr(out, "WARNING: CPU: 0 PID: 1 at mm/userfaultfd.c:1 test"));
	assert_null(strstr(out, "old news"));
	assert_non_null(strstr(out, "status: failed"));
}

/* SIGINT: threads joined, summary printed, results written, pool restored. */
static void test_sigint(void **state)
{
	long before = pool();
	char dir[256], path[300];
	json_t *o;
	pid_t pid;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/sigint", tmp);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	/* no hugetlb: what SIGINT must do does not depend on the machine-wide pool */
	pid = cli_spawn("stress", (const char *const[]){ "--duration", "10m", "--memtype",
		"anon,shmem-memfd,shmem-private", "--out", dir, NULL });
	/* a deadline, not a timing check: sanitizer builds on a busy machine are slow */
	for (int i = 0; i < 600 && access(path, F_OK); i++)
		usleep(50000);
	sleep(1);
	kill(pid, SIGINT);
	assert_int_equal(cli_wait(pid), 130);
	assert_non_null(strstr(out, "stress summary"));
	assert_non_null(strstr(out, "status: interrupted"));
	assert_non_null(strstr(out, "failures: 0"));
	o = stress_line(dir);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "interrupted");
	assert_true(json_integer_value(json_object_get(json_object_get(json_object_get(o, "ops"),
		"check"), "ops")) > 0);
	json_decref(o);
	if (before >= 0)
		assert_pool(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_clean_run),
		cmocka_unit_test(test_injected_corruption),
		cmocka_unit_test(test_kernel_warning),
		cmocka_unit_test(test_sigint),
	};

	if (!tmp_make("stress"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
