/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_TMP_UTIL_H
#define UFFDBENCH_TESTS_TMP_UTIL_H

/*
 * A test program's scratch directory: made once (group setup), paths in it,
 * removed with everything in it (group teardown).  Shared by cli_util.h,
 * plot_util.h and the tests that run commands in-process.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static char tmp[64];		/* the test's scratch directory */

/* mkdtemp /tmp/uffdbench-NAME.XXXXXX into tmp; false if it cannot. */
static inline bool tmp_make(const char *name)
{
	snprintf(tmp, sizeof(tmp), "/tmp/uffdbench-%s.XXXXXX", name);
	return mkdtemp(tmp) != NULL;
}

/* tmp/NAME, in one of 8 rotating buffers (several may stand in one call). */
static inline char *tmp_path(const char *name)
{
	static char paths[8][192];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", tmp, name);
	return p;
}

/* Remove tmp and everything in it: 0, or the shell's status. */
static inline int tmp_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

#endif
