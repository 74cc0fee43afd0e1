// SPDX-License-Identifier: MIT
/*
 * Output that did not get there is an error: with stdout on a full device
 * (/dev/full) every command names the failed write on stderr and exits 2,
 * whether it printed a table, JSON, CSV, a help text or a version; so
 * does one whose stdout was closed (>&-).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <string.h>

#define FULL "No space left on device"

static char dir[128];

/* uffdbench ARGS with stdout on path (NULL: closed), stderr into out. */
static int run_to(const char *path, const char *const *args)
{
	posix_spawn_file_actions_t fa;
	char *argv[32], log[128];
	pid_t pid;
	int n = 0;

	argv[n++] = (char *)cli_bin();
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/out.log", tmp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (path)
		posix_spawn_file_actions_addopen(&fa, 1, path, O_WRONLY, 0);
	else
		posix_spawn_file_actions_addclose(&fa, 1);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return cli_wait(pid);
}

static void full(const char *const *args)
{
	assert_int_equal(run_to("/dev/full", args), 2);
	assert_non_null(strstr(out, "cannot write to standard output: " FULL));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);	/* one line */
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/r", tmp);
	return cli_run(NULL, (const char *const[]){ "run", "--memtype", "anon", "--ioctl",
		"copy", "--batch", "1", "--size", "64k", "--rounds", "3", "--out", dir, NULL });
}

static void test_listings(void **state)
{
	(void)state;
	full((const char *const[]){ "list", NULL });
	full((const char *const[]){ "topo", NULL });
	full((const char *const[]){ "help", NULL });
	full((const char *const[]){ "help", "run", NULL });
	full((const char *const[]){ "run", "--help", NULL });
	full((const char *const[]){ "stress", "--help", NULL });
	full((const char *const[]){ "--help", NULL });
	full((const char *const[]){ "--version", NULL });
	full((const char *const[]){ "caps", "--json", "--memtype", "anon", NULL });
	full((const char *const[]){ "caps", "--memtype", "anon", NULL });
}

static void test_run(void **state)
{
	char d[160];

	(void)state;
	snprintf(d, sizeof(d), "%s/full-run", tmp);
	full((const char *const[]){ "run", "--memtype", "anon", "--ioctl", "copy", "--batch",
		"1", "--size", "64k", "--rounds", "2", "--out", d, NULL });
	full((const char *const[]){ "run", "--dry-run", "--memtype", "anon", NULL });
}

static void test_readers(void **state)
{
	(void)state;
	full((const char *const[]){ "export", dir, NULL });
	full((const char *const[]){ "compare", dir, dir, NULL });
	full((const char *const[]){ "compare", "--format", "json", dir, dir, NULL });
}

/* A closed stdout (>&-) fails the summary line's write. */
static void test_closed_stdout(void **state)
{
	char d[160];

	(void)state;
	snprintf(d, sizeof(d), "%s/quiet", tmp);
	assert_int_equal(run_to(NULL, (const char *const[]){ "run", "--memtype", "anon",
		"--ioctl", "copy", "--batch", "1", "--size", "64k", "--rounds", "2", "--quiet",
		"--out", d, NULL }), 2);
	assert_non_null(strstr(out, "cannot write to standard output: Bad file descriptor"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listings),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_readers),
		cmocka_unit_test(test_closed_stdout),
	};

	if (!tmp_make("write-errors") || setup(NULL))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
