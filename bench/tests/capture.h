/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_CAPTURE_H
#define UFFDBENCH_TESTS_CAPTURE_H

/*
 * Running a subcommand in the test's own process (cmd_compare, cmd_plot, ...)
 * with its stdout and stderr captured, and reading files back.
 * Include after <cmocka.h>.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A file's text (up to 4 MiB, NUL-terminated) and its length; NULL if absent. */
static inline char *capture_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, 1 << 22);
	assert_non_null(buf);
	n = fread(buf, 1, (1 << 22) - 1, f);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/*
 * `NAME ARGS...` (ap: NULL-terminated char *) through cmd, stdout and stderr
 * into dir/stdout and dir/stderr, then read into *out and *err.  Its status.
 */
static inline int capture_cmd(int (*cmd)(int, char **), const char *name, const char *dir,
			      va_list ap, char **out, char **err)
{
	char *argv[32], op[300], ep[300];
	int argc = 0, s1, s2, fo, fe, status;

	argv[argc++] = (char *)name;
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	snprintf(op, sizeof(op), "%s/stdout", dir);
	snprintf(ep, sizeof(ep), "%s/stderr", dir);
	fflush(stdout);
	fflush(stderr);
	s1 = dup(1);
	s2 = dup(2);
	fo = open(op, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fe = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fo, 1);
	dup2(fe, 2);
	status = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(s1, 1);
	dup2(s2, 2);
	close(s1);
	close(s2);
	close(fo);
	close(fe);
	*out = capture_slurp(op, NULL);
	*err = capture_slurp(ep, NULL);
	assert_non_null(*out);
	assert_non_null(*err);
	return status;
}

#endif
