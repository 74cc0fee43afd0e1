// SPDX-License-Identifier: MIT
/*
 * plot writes into a staging directory inside --out and moves its files
 * there only when every figure and the report were written: a failure
 * (gnuplot, a full disk) leaves --out as it was, directories it created
 * removed, and nothing on stdout (what plot says goes to a buffer, printed
 * on success).
 */
#include "plot/plot.h"
#include "core/common.h"
#include "core/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int plot_stage_begin(struct plot_ctx *c, const char *final, char *err, size_t len)
{
	char tmp[PATH_MAX];
	int ret;

	c->final = final;
	ret = mkdir_p_made(final, &c->made);
	if (ret)
		return seterr(err, len, "cannot create %s: %s", final, strerror(-ret));
	if (snprintf(tmp, sizeof(tmp), "%s/.plot-XXXXXX", final) >= (int)sizeof(tmp) ||
	    !mkdtemp(tmp)) {
		seterr(err, len, "cannot create a directory in %s: %s", final, strerror(errno));
		plot_stage_abort(c);
		return -1;
	}
	c->out = xstrdup(tmp);
	c->log = open_memstream(&c->log_buf, &c->log_len);
	if (!c->log)
		abort();	/* out of memory: the policy of core/alloc.h */
	return 0;
}

/* The staging directory is flat: its files, then itself. */
static void remove_all(struct plot_ctx *c)
{
	DIR *d = opendir(c->out);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(c->out);
}

static int move_all(struct plot_ctx *c, char *err, size_t len)
{
	DIR *d = opendir(c->out);
	struct dirent *e;
	char to[PATH_MAX];
	int ret = 0;

	if (!d)
		return seterr(err, len, "%s: %s", c->out, strerror(errno));
	while (!ret && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(to, sizeof(to), "%s/%s", c->final, e->d_name);
		if (renameat(dirfd(d), e->d_name, AT_FDCWD, to))
			ret = seterr(err, len, "cannot move %s to %s: %s", e->d_name, c->final,
				     strerror(errno));
	}
	closedir(d);
	return ret;
}

int plot_stage_commit(struct plot_ctx *c, char *err, size_t len)
{
	if (move_all(c, err, len))
		return -1;
	rmdir(c->out);
	fclose(c->log);
	c->log = NULL;
	fwrite(c->log_buf, 1, c->log_len, stdout);
	return 0;
}

void plot_stage_abort(struct plot_ctx *c)
{
	if (c->out)
		remove_all(c);
	made_dirs_undo(&c->made);
	if (c->log)
		fclose(c->log);
	c->log = NULL;
}

void plot_stage_free(struct plot_ctx *c)
{
	made_dirs_keep(&c->made);
	if (c->log)
		fclose(c->log);
	c->log = NULL;
	free(c->log_buf);
	free((char *)c->out);
	c->out = NULL;
}
