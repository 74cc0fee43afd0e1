// SPDX-License-Identifier: MIT
/*
 * run --knob PATH=V1,V2,...: each value is written before its cells (and
 * read back into the cell's line), and the file's original value comes back
 * after a normal exit, SIGTERM and SIGKILL (the hugepages guard process).
 * Bad input exits 2 with the file untouched and no results directory.
 * compare --by knob sets the values of one directory against each other.
 * A regular file stands in for a sysfs knob; /proc/sys/vm/stat_interval
 * (how often per-CPU vm statistics are folded: harmless) is the real one,
 * as root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#define ONE_CELL "--memtype", "anon", "--ioctl", "zeropage", "--batch", "1", "--size", "1M"
#define STAT_INTERVAL "/proc/sys/vm/stat_interval"

static char knob[128], arg[192];

static const char *slurp(const char *path)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(knob, sizeof(knob), "%s/knob", tmp);
	cli_write_file(knob, "5\n");
	return 0;
}

/* Each cell's line says which value it had and what the file read. */
static void test_values_set_and_restored(void **state)
{
	char dir[256], res[300];
	const char *lines;
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/ok", tmp);
	snprintf(res, sizeof(res), "%s/results.jsonl", dir);
	snprintf(arg, sizeof(arg), "%s=7,9", knob);
	assert_int_equal(cli_run(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "3",
		"--repeat", "2", "--knob", arg, "--out", dir, NULL }), 0);
	assert_string_equal(cli_read_line(knob), "5");
	lines = slurp(res);
	assert_non_null(strstr(lines, "\"key\":\"anon/zeropage/b1/t1/none/knob=7\""));
	assert_non_null(strstr(lines, "\"key\":\"anon/zeropage/b1/t1/none/knob=9\""));
	assert_non_null(strstr(lines, "\"value\":\"7\",\"read\":\"7\""));
	assert_non_null(strstr(lines, "\"value\":\"9\",\"read\":\"9\""));

	/* compare --by knob: 9 against 7, a verdict table (exit 0, 1 or 3, never 2) */
	rc = cli_run(NULL, (const char *const[]){ "compare", "--by", "knob", dir, NULL });

	assert_true(rc == 0 || rc == 1 || rc == 3);
	assert_non_null(strstr(out, "[knob=7]"));
	assert_non_null(strstr(out, "[knob=9]"));
	assert_non_null(strstr(out, "verdict"));
	/* --by knob on a directory without a knob: a usage error */
	assert_int_equal(cli_run(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "2",
		"--out", strcat(dir, "-plain"), NULL }), 0);
	assert_int_equal(cli_run(NULL, (const char *const[]){ "compare", "--by", "knob", dir,
		NULL }), 2);
	assert_non_null(strstr(out, "not a run --knob directory"));
}

/* A long run killed with sig once the knob holds its value: the original returns. */
static void kill_mid_run(int sig)
{
	char dir[256];
	pid_t pid;
	bool set = false;

	snprintf(dir, sizeof(dir), "%s/sig%d", tmp, sig);
	snprintf(arg, sizeof(arg), "%s=8", knob);
	pid = cli_spawn(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "1000000",
		"--knob", arg, "--out", dir, NULL });
	for (int i = 0; i < 2400 && !set; i++) {	/* a deadline, not a timing check */
		set = !strcmp(cli_read_line(knob), "8");
		usleep(set ? 0 : 50000);
	}
	kill(pid, sig);
	assert_int_equal(cli_wait(pid), 128 + sig);
	assert_true(set);
	/* SIGKILL: the guard restores as soon as it sees the pipe close */
	for (int i = 0; i < 100 && strcmp(cli_read_line(knob), "5"); i++)
		usleep(20000);
	assert_string_equal(cli_read_line(knob), "5");
}

static void test_sigterm_restores(void **state)
{
	(void)state;
	kill_mid_run(SIGTERM);
}

static void test_sigkill_restores(void **state)
{
	(void)state;
	kill_mid_run(SIGKILL);
}

static void bad(const char *knob_arg, const char *msg)
{
	char dir[256];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/bad", tmp);
	assert_int_equal(cli_run(NULL, (const char *const[]){ "run", ONE_CELL, "--knob",
		knob_arg, "--out", dir, NULL }), 2);
	assert_non_null(strstr(out, msg));
	assert_int_not_equal(stat(dir, &st), 0);	/* nothing written */
}

static void test_bad_input(void **state)
{
	char dir_arg[192], two[192];

	(void)state;
	bad("/nonexistent/knob=1", "no such file");
	snprintf(dir_arg, sizeof(dir_arg), "%s=1", tmp);	/* a directory */
	bad(dir_arg, "no such file");
	snprintf(arg, sizeof(arg), "%s=", knob);
	bad(arg, "want PATH=V1,V2");
	snprintf(arg, sizeof(arg), "%s=1,1", knob);
	bad(arg, "given twice");
	snprintf(arg, sizeof(arg), "%s=1", knob);
	snprintf(two, sizeof(two), "%s=2", knob);
	assert_int_equal(cli_run(NULL, (const char *const[]){ "run", ONE_CELL, "--knob", arg,
		"--knob", two, NULL }), 2);
	assert_non_null(strstr(out, "only one --knob"));
	assert_string_equal(cli_read_line(knob), "5");
}

/* A real procfs knob, as root: set, read back, restored; a value the kernel refuses: 2. */
static void test_procfs_knob(void **state)
{
	char before[256], dir[256], res[300];
	const char *lines;

	(void)state;
	if (geteuid() != 0 || access(STAT_INTERVAL, W_OK))
		skip();
	snprintf(before, sizeof(before), "%s", cli_read_line(STAT_INTERVAL));
	bad(STAT_INTERVAL "=2,abc", "the kernel refused 'abc'");
	assert_string_equal(cli_read_line(STAT_INTERVAL), before);
	snprintf(dir, sizeof(dir), "%s/procfs", tmp);
	snprintf(res, sizeof(res), "%s/results.jsonl", dir);
	assert_int_equal(cli_run(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "2",
		"--knob", STAT_INTERVAL "=2,3", "--out", dir, NULL }), 0);
	assert_string_equal(cli_read_line(STAT_INTERVAL), before);
	lines = slurp(res);
	assert_non_null(strstr(lines, "\"path\":\"" STAT_INTERVAL "\",\"value\":\"2\",\"read\":\"2\""));
	assert_non_null(strstr(lines, "\"path\":\"" STAT_INTERVAL "\",\"value\":\"3\",\"read\":\"3\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_values_set_and_restored, setup),
		cmocka_unit_test_setup(test_sigterm_restores, setup),
		cmocka_unit_test_setup(test_sigkill_restores, setup),
		cmocka_unit_test_setup(test_bad_input, setup),
		cmocka_unit_test(test_procfs_knob),
	};

	if (!tmp_make("knob"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
