/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_CLI_UTIL_H
#define UFFDBENCH_TESTS_CLI_UTIL_H

/*
 * Running the uffdbench binary from a cmocka test, as a user would: the
 * binary is $UFFDBENCH_BIN (check.sh points it at each build's) or the
 * in-tree one; its stdout and stderr land in tmp/out.log and then in out.
 * Include after <cmocka.h>.
 */
#include "tmp_util.h"

#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static char out[1 << 16];	/* what the last finished run printed */

static inline const char *cli_bin(void)
{
	const char *b = getenv("UFFDBENCH_BIN");

	return b && *b ? b : SRCDIR "/bench/uffdbench";
}

/*
 * Start `uffdbench [SUB] ARGS...` (args NULL-terminated), output to tmp/out.log;
 * own_group: in a process group of its own (pid), as a service manager
 * starts it, for kill(-pid, ...).
 */
static inline pid_t cli_spawn_pg(const char *sub, const char *const *args, bool own_group)
{
	posix_spawnattr_t attr;
	posix_spawn_file_actions_t fa;
	char *argv[64], log[128];
	pid_t pid;
	int n = 0;

	argv[n++] = (char *)cli_bin();
	if (sub)
		argv[n++] = (char *)sub;
	while (*args && n < 63)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/out.log", tmp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&attr);
	if (own_group) {
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
		posix_spawnattr_setpgroup(&attr, 0);
	}
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, &attr, argv, environ), 0);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static inline pid_t cli_spawn(const char *sub, const char *const *args)
{
	return cli_spawn_pg(sub, args, false);
}

/* For a status already waited for: read the output into out; the exit status. */
static inline int cli_wait_status(int status)
{
	char log[128];
	int fd;
	ssize_t n;

	snprintf(log, sizeof(log), "%s/out.log", tmp);
	fd = open(log, O_RDONLY);
	n = fd >= 0 ? read(fd, out, sizeof(out) - 1) : 0;
	out[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Wait for pid, read its output into out; its exit status (128 + signal). */
static inline int cli_wait(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return cli_wait_status(status);
}

static inline int cli_run(const char *sub, const char *const *args)
{
	return cli_wait(cli_spawn(sub, args));
}

/* cmocka group teardown: remove tmp and everything the runs left in it. */
static inline int cli_cleanup(void **state)
{
	(void)state;
	return tmp_remove();
}

/* A small file's text without its trailing newlines ("" when unreadable); a static buffer. */
static inline const char *cli_read_line(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

static inline void cli_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* How many lines path holds (0 when unreadable). */
static inline long cli_lines_in(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int c;

	while (f && (c = fgetc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* The first line of dir/results.jsonl, parsed; fails the test when there is none. */
static inline json_t *cli_first_result(const char *dir)
{
	char path[300], line[1 << 16];
	json_t *o = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	if (fgets(line, sizeof(line), f))
		o = json_loads(line, 0, NULL);
	fclose(f);
	assert_non_null(o);
	return o;
}

static inline bool cli_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * Bad input, case i: `uffdbench [sub] ARGS --out tmp/badI` exits 2 with one
 * line holding says, and writes nothing.  args: NULL-terminated, at most 12.
 */
static inline void cli_expect_bad(const char *sub, const char *const *args, unsigned i,
				  const char *says)
{
	const char *argv[16];
	char dir[256];
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/bad%u", tmp, i);
	while (args[n] && n < 12) {
		argv[n] = args[n];
		n++;
	}
	argv[n++] = "--out";
	argv[n++] = dir;
	argv[n] = NULL;
	assert_int_equal(cli_wait(cli_spawn(sub, argv)), 2);
	if (!strstr(out, says) || strchr(out, '\n') != out + strlen(out) - 1)
		fail_msg("case %u: want one line with '%s', got: %s", i, says, out);
	assert_false(cli_exists(dir));
}

#endif
