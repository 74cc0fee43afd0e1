// SPDX-License-Identifier: MIT
/*
 * The files beside results.jsonl: env.json (the machine) and caps.json (what
 * the kernel allows), written by one function for run, fault and stress,
 * each atomically (a temporary name, fsync, rename), so a directory never
 * holds half of one.
 */
#include "results/sidecar.h"
#include "core/common.h"
#include "machine/env.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

/* Make the rename durable; not every filesystem can fsync a directory. */
static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

/* Write text and a newline to tmp, fsync, close; on failure no tmp is left. */
static int write_tmp(const char *tmp, const char *text)
{
	int fd, ret;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, text, strlen(text));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* dir/name from a temporary beside it: renamed over, or (replace false) linked. */
static int write_json(const char *dir, const char *name, json_t *obj, bool replace)
{
	char tmp[PATH_MAX], path[PATH_MAX], *text;
	int ret;

	if (!dir || !name || !*name || strchr(name, '/') ||
	    !(json_is_object(obj) || json_is_array(obj)))
		return -EINVAL;
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	text = json_dumps(obj, JSON_INDENT(2));
	if (!text)	/* out of memory aborts (core/alloc.h): obj cannot be encoded */
		return -EINVAL;
	ret = write_tmp(tmp, text);
	if (ret)
		goto out_free;
	/* link() fails with EEXIST rather than replace: the check and the write are one */
	if (replace ? rename(tmp, path) : link(tmp, path))
		ret = -errno;
	if (ret || !replace)
		unlink(tmp);
	if (!ret)
		fsync_dir(dir);
out_free:
	free(text);
	return ret;
}

int json_write_atomic(const char *dir, const char *name, json_t *obj)
{
	return write_json(dir, name, obj, true);
}

int json_write_new(const char *dir, const char *name, json_t *obj)
{
	return write_json(dir, name, obj, false);
}

/* dir/name: 0, or -errno with err naming the file and why. */
static int write_named(const char *dir, const char *name, json_t *obj, char *err, size_t errlen)
{
	/* a NULL obj: its builder met a value JSON cannot hold (memory aborts) */
	int ret = obj ? json_write_atomic(dir, name, obj) : -EINVAL;

	if (ret)
		snprintf(err, errlen, "cannot write %s/%s: %s", dir, name, strerror(-ret));
	return ret;
}

int results_write_env_caps(struct results *r, const struct caps *caps, int argc, char **argv,
			   char *err, size_t errlen)
{
	json_t *env = env_capture(argc, argv), *cj = caps_to_json(caps);
	char path[PATH_MAX + 16];
	size_t n;
	int ret;

	ret = write_named(r->dir, "env.json", env, err, errlen);
	if (!ret) {
		ret = write_named(r->dir, "caps.json", cj, err, errlen);
		if (ret) {
			snprintf(path, sizeof(path), "%s/env.json", r->dir);
			unlink(path);
		}
	}
	json_decref(env);
	json_decref(cj);
	if (!ret)
		return 0;
	/* a directory with env.json and no results would refuse the rerun */
	results_discard(r);
	n = strlen(err);
	appendf(err, errlen, &n, "; nothing was kept");
	return ret;
}
