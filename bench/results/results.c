// SPDX-License-Identifier: MIT
/* results.jsonl: one line per cell, appended and flushed as each cell ends. */
#include "results/results.h"
#include "core/common.h"
#include "core/stats.h"
#include "machine/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int results_check_label(const char *label, char *err, size_t errlen)
{
	if (label && (strchr(label, '/') || strstr(label, "..")))
		return seterr(err, errlen, "bad --label '%s': it becomes part of a directory name, "
			      "so it may not contain '/' or '..'", label);
	/* with the date, host and release, a name must fit in NAME_MAX (255) */
	if (label && strlen(label) > RESULTS_LABEL_MAX)
		return seterr(err, errlen, "bad --label '%.20s...': %zu characters, at most %d",
			      label, strlen(label), RESULTS_LABEL_MAX);
	return 0;
}

/*
 * results/<date>-<host>-<release>[-label], made here: a run started in the
 * same second as another (same date) takes <date>.2, .3, ... instead, so two
 * runs never share a directory.  mkdir is the claim: atomic between them.
 */
static int make_default_dir(struct results *r, const char *label)
{
	char host[64] = "host", date[32], nth[16] = "";
	struct utsname u;
	time_t t = time(NULL);
	int ret = mkdir_p_made("results", &r->made);

	if (ret)
		return ret;
	gethostname(host, sizeof(host) - 1);
	uname(&u);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", localtime(&t));
	for (unsigned k = 1; k <= 1000; k++) {
		if (k > 1)
			snprintf(nth, sizeof(nth), ".%u", k);
		snprintf(r->dir, sizeof(r->dir), "results/%s%s-%s-%s%s%s", date, nth, host,
			 u.release, label && *label ? "-" : "", label && *label ? label : "");
		ret = mkdir_made(r->dir, &r->made);
		if (ret != -EEXIST)
			return ret;
	}
	return -EEXIST;
}

static int make_out_dir(struct results *r, const char *out)
{
	snprintf(r->dir, sizeof(r->dir), "%s", out);
	return mkdir_p_made(r->dir, &r->made);
}

int results_create(struct results *r, const char *out, const char *label, bool append,
		   char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (append ? 0 : O_EXCL);
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (results_check_label(label, err, errlen))
		return -1;
	ret = out ? make_out_dir(r, out) : make_default_dir(r, label);
	if (ret) {
		snprintf(err, errlen, "cannot create results directory %s: %s", r->dir, strerror(-ret));
		made_dirs_undo(&r->made);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/results.jsonl", r->dir);
	r->fd = open(path, flags, 0644);
	if (r->fd < 0) {
		snprintf(err, errlen, errno == EEXIST ? "%s already holds results (choose another --out)"
						      : "cannot write %s: %s",
			 errno == EEXIST ? r->dir : path, strerror(errno));
		made_dirs_undo(&r->made);
		return -1;
	}
	r->own_file = !append;
	return 0;
}

/* Write all of buf at the end of fd (O_APPEND); 0 or -errno. */
static int append_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * One write() of the whole line; a short one (the disk filled up mid-line)
 * is continued only to learn why it stopped.  On any failure the file is cut
 * back to where it was, so it never ends in a torn line and every line
 * before stays readable.  Every line says what its times count: instructions
 * under icount, else ns ("clock").
 */
int results_append_line(int fd, json_t *o)
{
	char *line;
	struct stat st;
	size_t len;
	int ret;

	if (o && !json_object_get(o, "clock"))
		json_object_set_new(o, "clock", json_string(bench_clock_name(bench_clock())));
	line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(o);
	if (!line)	/* out of memory aborts (core/alloc.h): o was not whole */
		return -EINVAL;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	len = strlen(line);
	line[len++] = '\n';	/* over the NUL: the buffer holds len + 1 bytes */
	ret = append_all(fd, line, len);
	if (!ret && fdatasync(fd))
		ret = -errno;
	if (ret && ftruncate(fd, st.st_size)) {
		/* nothing more can be done: the reader names the torn line */
	}
out:
	free(line);
	return ret;
}

void results_close(struct results *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
	made_dirs_keep(&r->made);
}

void results_discard(struct results *r)
{
	char path[PATH_MAX + 16];

	if (r->own_file) {
		snprintf(path, sizeof(path), "%s/results.jsonl", r->dir);
		unlink(path);
		made_dirs_undo(&r->made);
	}
	r->own_file = false;
	results_close(r);
}
