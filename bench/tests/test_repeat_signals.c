// SPDX-License-Identifier: MIT
/*
 * run --repeat N and signals aimed at the parent alone: SIGTERM to its pid
 * (a service manager, `kill PID`) reaches the running repeat, and the
 * parent says how many repeats finished; SIGKILL of the parent takes the
 * running repeat with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

/* One cell, about a second or more a repeat here (more under sanitizers). */
#define ONE_CELL "--memtype", "anon", "--ioctl", "zeropage", "--batch", "1", "--size", "8M"

/* A child of pid other than not, waiting up to 120 s for one; 0 if none came. */
static pid_t child_other_than(pid_t pid, pid_t not)
{
	char path[64], buf[64];
	pid_t child = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	for (int i = 0; i < 2400 && !child; i++) {
		FILE *f = fopen(path, "r");

		if (f && fgets(buf, sizeof(buf), f))
			child = atoi(buf);
		if (child == not)
			child = 0;
		if (f)
			fclose(f);
		if (!child)
			usleep(50000);
	}
	return child;
}

/* waitpid with a deadline: the status (128 + signal), or -1 after secs. */
static int wait_for(pid_t pid, int secs)
{
	int status;

	for (int i = 0; i < secs * 20; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		usleep(50000);
	}
	return -1;
}

/*
 * SIGTERM to the parent's pid during repeat 2: it stops there and says 1
 * finished.  A repeat is 2,000 rounds (seconds, more under TSan), so that
 * on a loaded machine repeat 2 cannot finish before the signal reaches it.
 */
static void test_sigterm_reaches_repeat(void **state)
{
	char dir[256], path[300];
	pid_t pid, first;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/term", tmp);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	pid = cli_spawn(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "2000",
		"--repeat", "3", "--out", dir, NULL });
	/* repeat 1 has written its one line and repeat 2's process is there (deadlines) */
	first = child_other_than(pid, 0);
	if (!first)
		kill(pid, SIGKILL);
	assert_true(first > 0);
	for (int i = 0; i < 2400 && cli_lines_in(path) < 1; i++)
		usleep(50000);
	child_other_than(pid, first);
	kill(pid, SIGTERM);
	assert_int_equal(cli_wait(pid), 128 + SIGTERM);
	/* repeat 2 stopped between rounds: its cell was never finished, so never written */
	if (cli_lines_in(path) != 1)	/* seen twice in make check under TSan: say what ran */
		print_message("run said:\n%s\n", out);
	assert_int_equal(cli_lines_in(path), 1);
	assert_non_null(strstr(out, "interrupted"));
	assert_non_null(strstr(out, "after 1 of 3 repeats"));
	assert_null(strstr(out, "3 repeats in"));
}

/* SIGKILL of the parent: the running repeat ends too (we adopt it to see). */
static void test_sigkill_takes_repeat(void **state)
{
	char dir[256];
	pid_t pid, child;
	int status;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	snprintf(dir, sizeof(dir), "%s/kill", tmp);
	pid = cli_spawn(NULL, (const char *const[]){ "run", ONE_CELL, "--rounds", "1000000",
		"--repeat", "2", "--out", dir, NULL });
	child = child_other_than(pid, 0);
	kill(pid, SIGKILL);
	cli_wait(pid);
	assert_true(child > 0);
	status = wait_for(child, 30);
	if (status < 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		fail_msg("the repeat went on running after its parent was killed");
	}
	assert_int_equal(status, 128 + SIGTERM);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigterm_reaches_repeat),
		cmocka_unit_test(test_sigkill_takes_repeat),
	};

	if (!tmp_make("repsig"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
