// SPDX-License-Identifier: MIT
/* results.jsonl: one line per cell, appended and flushed as each cell ends. */
#include "results/results.h"
#include "core/common.h"
#include "core/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void default_dir(char *buf, size_t len, const char *label)
{
	char host[64] = "host", date[32];
	struct utsname u;
	time_t t = time(NULL);

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(buf, len, "results/%s-%s-%s%s%s", date, host, u.release,
		 label && *label ? "-" : "", label && *label ? label : "");
}

int results_create(struct results *r, const char *out, const char *label, bool append,
		   char *err, size_t errlen)
{
	char path[PATH_MAX + 16];
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (append ? 0 : O_EXCL);
	int ret;

	memset(r, 0, sizeof(*r));
	if (out)
		snprintf(r->dir, sizeof(r->dir), "%s", out);
	else
		default_dir(r->dir, sizeof(r->dir), label);
	ret = mkdir_p(r->dir);
	if (ret) {
		snprintf(err, errlen, "cannot create results directory %s: %s", r->dir, strerror(-ret));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/results.jsonl", r->dir);
	r->fd = open(path, flags, 0644);
	if (r->fd < 0) {
		snprintf(err, errlen, errno == EEXIST ? "%s already holds results (choose another --out)"
						      : "cannot write %s: %s",
			 errno == EEXIST ? r->dir : path, strerror(errno));
		return -1;
	}
	return 0;
}

int results_append_line(int fd, json_t *o)
{
	char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	size_t len;
	ssize_t n;

	json_decref(o);
	if (!line)
		return -ENOMEM;
	len = strlen(line);
	line[len++] = '\n';	/* over the NUL: the buffer holds len + 1 bytes */
	n = write(fd, line, len);
	free(line);
	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EIO;
	return fdatasync(fd) ? -errno : 0;
}

void results_close(struct results *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
}
