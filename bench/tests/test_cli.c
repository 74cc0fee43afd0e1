// SPDX-License-Identifier: MIT
/*
 * The CLI as a user meets it: help, bad input (exit 2, nothing written), a
 * real run's files, interruption (finished cells kept, nr_hugepages put
 * back after SIGTERM and after SIGKILL).  $UFFDBENCH_BIN names the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"
#include "machine/hugepages.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


#define RUN(...) cli_run(NULL, (const char *const[]){ __VA_ARGS__, NULL })

static void test_help(void **state)
{
	static const char *const cmds[] = { "list", "caps", "run", "topo", "compare" };

	(void)state;
	assert_int_equal(RUN("--help"), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cmds); i++) {
		assert_int_equal(RUN(cmds[i], "--help"), 0);
		assert_non_null(strstr(out, "usage: uffdbench"));
	}
	assert_int_equal(RUN("frobnicate"), 2);
	assert_non_null(strstr(out, "unknown command"));
}

static void test_list(void **state)
{
	(void)state;
	assert_int_equal(RUN("list"), 0);
	for (const char *const *n = (const char *const[]){ "anon", "shmem-memfd", "shmem-anon",
		"shmem-file", "shmem-private", "hugetlb", "hugetlb-private", "hugetlb-1g",
		"continue", "quick", "series-check", "full", NULL }; *n; n++)
		assert_non_null(strstr(out, *n));
}

/* Each bad input: exit 2, one line naming the problem, no results directory. */
static void test_bad_input(void **state)
{
	static const struct { const char *args[8]; const char *says; } cases[] = {
		{ { "--memtype", "nosuch" }, "unknown memory type 'nosuch'" },
		{ { "--ioctl", "nosuch" }, "unknown ioctl" },
		{ { "--batch", "0" }, "bad batch" },
		{ { "--batch", "64", "--size", "64k" }, "larger than the range" },
		{ { "--size", "1T", "--memtype", "anon" }, "does not fit" },
		{ { "--suite", "nosuch" }, "unknown suite" },
		{ { "--rounds", "0" }, "bad rounds" },
		{ { "--threads", "4096" }, "thread" },
		{ { "--policy", "random" }, "unknown --policy" },
		{ { "stray" }, "unexpected argument" },
	};
	char dir[256], cmd[512];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *args[16] = { "run" };
		int n = 1;

		snprintf(dir, sizeof(dir), "%s/bad%u", tmp, i);
		for (int j = 0; cases[i].args[j]; j++)
			args[n++] = cases[i].args[j];
		args[n++] = "--out";
		args[n++] = dir;
		assert_int_equal(cli_wait(cli_spawn(NULL, args)), 2);
		if (!strstr(out, cases[i].says))
			fail_msg("case %u: want '%s' in: %s", i, cases[i].says, out);
		assert_false(cli_exists(dir));
	}
	/* a results directory that cannot be written */
	assert_int_equal(RUN("run", "--memtype", "anon", "--out", "/proc/uffdbench"), 2);
	assert_non_null(strstr(out, "results directory"));
	snprintf(cmd, sizeof(cmd), "%s/bad", tmp);
	assert_int_equal(RUN("compare", cmd, cmd), 2);
}

static json_t *load_line(FILE *f)
{
	char line[1 << 16];
	json_error_t jerr;

	if (!fgets(line, sizeof(line), f))
		return NULL;
	return json_loads(line, 0, &jerr);
}

/*
 * Is any thread of pid blocked in read(0, ...)?  /proc/PID/task/T/syscall
 * starts with the syscall number and its first argument: "0 0x0 " is a read
 * of fd 0.  Exact, where a deadline would confuse a slow run (TSan on a
 * loaded machine) with a hang.
 */
static bool reads_stdin(pid_t pid)
{
	char path[320], line[64];
	struct dirent *d;
	bool found = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	while (dir && !found && (d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/syscall", pid, d->d_name);
		f = fopen(path, "r");
		found = f && fgets(line, sizeof(line), f) && !strncmp(line, "0 0x0 ", 6);
		if (f)
			fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

/*
 * A run on a terminal, as a user types it: stdin is a pty that nobody
 * writes to.  Anything that reads stdin hangs there; CI's stdin is not a
 * terminal, so only this test sees it.  It fails as soon as the run sits in
 * a read of stdin for a second, and after 10 minutes whatever it waits for.
 */
/* out holds exactly one line, and it has want. */
static void one_line(const char *want)
{
	if (!strstr(out, want) || strchr(out, '\n') != out + strlen(out) - 1)
		fail_msg("\"%s\": wanted one line with \"%s\"", out, want);
}

/* Messages name the value given, in one line; a bare uffdbench says one. */
static void test_messages(void **state)
{
	(void)state;
	assert_int_equal(RUN(NULL), 2);
	one_line("no command given");
	assert_int_equal(RUN("run", "--memtype", "anon", "--cpu-node", "-1", "--dry-run"), 2);
	one_line("'-1'");
	assert_int_equal(RUN("run", "--memtype", "anon", "--cpu-node", "0-", "--dry-run"), 2);
	one_line("'0-'");
	assert_int_equal(RUN("fault", "--faulters", "-1"), 2);
	one_line("'-1'");
	assert_int_equal(RUN("capacity", "--target-rate", "10", "--handlers", "1-"), 2);
	one_line("'1-'");
	assert_int_equal(RUN("run", "--suite", ""), 2);
	one_line("unknown suite '' (an empty name");
	assert_int_equal(RUN("compare", "--bogus", "a", "b"), 2);
	one_line("--bogus");
	assert_int_equal(RUN("plot", "--bogus", "a"), 2);
	one_line("--bogus");
	assert_int_equal(RUN("list", "--names", "suites", "--suite-dir", "/nonexistent"), 2);
	one_line("/nonexistent: No such file or directory");
}

static void test_run_on_terminal(void **state)
{
	char dir[256], buf[4096];
	int master, status = 0, ticks = 0, in_read = 0;
	pid_t pid;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tty", tmp);
	pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(cli_bin(), cli_bin(), "run", "--memtype", "anon", "--ioctl", "zeropage",
		      "--batch", "1", "--size", "64k", "--rounds", "5", "--out", dir, (char *)NULL);
		_exit(127);
	}
	fcntl(master, F_SETFL, O_NONBLOCK);
	while (waitpid(pid, &status, WNOHANG) == 0 && ticks++ < 6000 && in_read < 10) {
		while (read(master, buf, sizeof(buf)) > 0)
			;	/* drain, so the child never blocks on output */
		in_read = reads_stdin(pid) ? in_read + 1 : 0;
		usleep(100 * 1000);
	}
	if (in_read >= 10 || ticks >= 6000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("%s", in_read >= 10 ? "run on a terminal blocks reading stdin" :
			 "run on a terminal did not finish in 10 minutes");
	}
	close(master);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_run_files(void **state)
{
	char dir[256], path[300];
	json_t *o, *env;
	json_error_t jerr;
	FILE *f;
	int lines = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	assert_int_equal(RUN("run", "--memtype", "shmem-memfd,anon", "--ioctl", "continue",
			     "--batch", "1,8", "--size", "256k", "--rounds", "3", "--out", dir), 0);
	assert_non_null(strstr(out, "skipped: kernel: register(minor) on anon"));
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while ((o = load_line(f))) {
		const char *mt = json_string_value(json_object_get(o, "memtype"));
		const char *st = json_string_value(json_object_get(o, "status"));

		assert_int_equal(json_integer_value(json_object_get(o, "schema")), 1);
		if (!strcmp(mt, "anon")) {
			assert_string_equal(st, "skipped");
			assert_non_null(json_object_get(o, "reason"));
		} else {
			assert_string_equal(st, "ok");
			assert_int_equal(json_array_size(json_object_get(o, "rounds")), 3);
			assert_true(json_real_value(json_object_get(json_object_get(
				json_object_get(o, "summary"), "ns_per_page"), "median")) > 0);
		}
		json_decref(o);
		lines++;
	}
	fclose(f);
	assert_int_equal(lines, 4);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, &jerr);
	assert_non_null(env);
	assert_non_null(json_object_get(json_object_get(env, "kernel"), "release"));
	json_decref(env);
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	assert_true(cli_exists(path));
	/* the same directory again would mix two runs */
	assert_int_equal(RUN("run", "--memtype", "anon", "--out", dir), 2);
	assert_non_null(strstr(out, "already holds results"));
}

/*
 * A skipped cell keeps its injected delay: two delays of one skipped cell
 * are two lines compare can read, not a duplicate (exit 2).
 */
static void test_skipped_inject_cells(void **state)
{
	char dir[256];
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/skipinj", tmp);
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "continue,zeropage", "--batch",
			     "1", "--size", "256k", "--rounds", "2", "--inject-ns", "0,50", "--out",
			     dir), 0);
	rc = RUN("compare", "--by", "inject", dir);
	assert_int_not_equal(rc, 2);
	assert_null(strstr(out, "duplicate"));
}

/* Under icount a single-thread round records the interrupts in its pass; on a wall clock not. */
static void test_irqs_under_icount(void **state)
{
	const char *clocks[] = { "icount", "wall" };
	char dir[256], path[300];

	(void)state;
	for (int i = 0; i < 2; i++) {
		json_t *o, *r;
		FILE *f;

		snprintf(dir, sizeof(dir), "%s/irqs-%s", tmp, clocks[i]);
		setenv("UFFDBENCH_CLOCK", clocks[i], 1);
		assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "zeropage", "--batch",
				     "64", "--size", "256k", "--rounds", "3", "--out", dir), 0);
		unsetenv("UFFDBENCH_CLOCK");
		snprintf(path, sizeof(path), "%s/results.jsonl", dir);
		f = fopen(path, "r");
		assert_non_null(f);
		o = load_line(f);
		fclose(f);
		assert_non_null(o);
		r = json_array_get(json_object_get(o, "rounds"), 0);
		assert_non_null(r);
		if (i == 0)
			assert_true(json_is_integer(json_object_get(r, "irqs")) &&
				    json_integer_value(json_object_get(r, "irqs")) >= 0);
		else
			assert_null(json_object_get(r, "irqs"));
		json_decref(o);
	}
}

/* SIGINT between cells: finished cells stay, each a whole line, exit 130. */
static void test_interrupt_keeps_cells(void **state)
{
	char dir[256], path[300];
	pid_t pid;
	json_t *o;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/intr", tmp);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	pid = cli_spawn(NULL, (const char *const[]){ "run", "--memtype", "shmem-memfd", "--batch",
		"1,2,4,8,16,32,64,128", "--size", "8M", "--rounds", "200", "--out", dir, NULL });
	/* a deadline, not a timing check: sanitizer builds on a busy machine are slow */
	for (int i = 0; i < 3000 && cli_lines_in(path) < 1; i++)
		usleep(50000);
	kill(pid, SIGINT);
	assert_int_equal(cli_wait(pid), 130);
	assert_non_null(strstr(out, "interrupted"));
	assert_true(cli_lines_in(path) >= 1 && cli_lines_in(path) < 24);
	f = fopen(path, "r");
	while ((o = load_line(f))) {
		assert_string_equal(json_string_value(json_object_get(o, "status")), "ok");
		json_decref(o);
	}
	assert_true(feof(f));
	fclose(f);
}

static void kill_mid_hugetlb(int sig)
{
	long before = hugepages_read(2ul << 20, "nr_hugepages");
	bool raised = false;
	char dir[256], size[32];
	pid_t pid;

	/* more pages than are free now, so the run must raise the pool */
	snprintf(size, sizeof(size), "%ldM", 2 * (hugepages_read(2ul << 20, "free_hugepages") + 16));
	snprintf(dir, sizeof(dir), "%s/hp%d", tmp, sig);
	pid = cli_spawn(NULL, (const char *const[]){ "run", "--memtype", "hugetlb", "--ioctl", "copy",
		"--batch", "1", "--size", size, "--rounds", "100000", "--out", dir, NULL });
	/* wait until the run has raised the pool (a deadline, not a timing check) */
	for (int i = 0; i < 3000 && !raised; i++) {
		raised = hugepages_read(2ul << 20, "nr_hugepages") > before;
		usleep(raised ? 0 : 50000);
	}
	/* the run is killed whatever happened: a failed check must not leave it behind */
	kill(pid, sig);
	cli_wait(pid);
	assert_true(raised);
	/* SIGKILL: the guard process restores as soon as it sees the pipe close */
	for (int i = 0; i < 100 && hugepages_read(2ul << 20, "nr_hugepages") != before; i++)
		usleep(20000);
	assert_int_equal(hugepages_read(2ul << 20, "nr_hugepages"), before);
}

static void test_hugepages_restored(void **state)
{
	(void)state;
	if (geteuid() != 0 || hugepages_read(2ul << 20, "nr_hugepages") < 0)
		skip();
	kill_mid_hugetlb(SIGTERM);
	kill_mid_hugetlb(SIGKILL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_run_on_terminal),
		cmocka_unit_test(test_run_files),
		cmocka_unit_test(test_skipped_inject_cells),
		cmocka_unit_test(test_irqs_under_icount),
		cmocka_unit_test(test_interrupt_keeps_cells),
		cmocka_unit_test(test_hugepages_restored),
	};

	if (!tmp_make("cli"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
