// SPDX-License-Identifier: MIT
/*
 * Kernel health: note where the kernel log is when the run starts and, at
 * the end, look at what was logged since for WARNING:, BUG: and Oops lines.
 * /dev/kmsg (or $UFFDBENCH_KMSG, a file the tests append to) hands out one
 * record per read() and can be seeked to its end; where it cannot be read
 * the check is skipped and the summary says why.
 */
#include "stress/stress.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kmsg_start(struct kmsg_watch *k)
{
	const char *path = getenv("UFFDBENCH_KMSG");

	memset(k, 0, sizeof(*k));
	if (!path || !*path)
		path = "/dev/kmsg";
	snprintf(k->source, sizeof(k->source), "%s", path);
	k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0) {
		snprintf(k->why, sizeof(k->why), "cannot read %s: %s", path, strerror(errno));
		return;
	}
	if (lseek(k->fd, 0, SEEK_END) < 0) {
		snprintf(k->why, sizeof(k->why), "cannot seek %s: %s", path, strerror(errno));
		close(k->fd);
		k->fd = -1;
	}
}

static bool alarming(const char *msg)
{
	return strstr(msg, "WARNING:") || strstr(msg, "BUG:") || strstr(msg, "Oops");
}

/* "6,1234,5678,-;text": the text; a line without the prefix is all text. */
static void one_line(struct kmsg_watch *k, char *line)
{
	char *semi = strchr(line, ';'), *msg = line;

	if (*line == ' ')
		return;		/* a kmsg continuation (KEY=value) */
	if (semi && strspn(line, "0123456789,-+c") == (size_t)(semi - line))
		msg = semi + 1;
	if (!alarming(msg))
		return;
	if (k->nr_lines < ARRAY_SIZE(k->lines))
		snprintf(k->lines[k->nr_lines], sizeof(k->lines[0]), "%s", msg);
	k->nr_lines++;
}

/* Split buf[0, *len) into lines; keep an unfinished last line at the start. */
static void take_lines(struct kmsg_watch *k, char *buf, size_t *len)
{
	char *p = buf, *nl;

	buf[*len] = '\0';
	while ((nl = memchr(p, '\n', buf + *len - p))) {
		*nl = '\0';
		one_line(k, p);
		p = nl + 1;
	}
	*len = buf + *len - p;
	memmove(buf, p, *len);
}

void kmsg_finish(struct kmsg_watch *k)
{
	char buf[8193];
	size_t len = 0;
	ssize_t n;

	if (k->fd < 0)
		return;
	for (;;) {
		if (len == sizeof(buf) - 1)
			len = 0;	/* a line longer than any record: drop it */
		n = read(k->fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;	/* EPIPE: records overwritten before we read them */
		if (n <= 0)
			break;
		len += n;
		take_lines(k, buf, &len);
	}
	if (len) {
		buf[len] = '\0';
		one_line(k, buf);
	}
	close(k->fd);
	k->fd = -1;
}
