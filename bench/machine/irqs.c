// SPDX-License-Identifier: MIT
/* The machine's interrupt count, from /proc/stat (see irqs.h). */
#include "machine/irqs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * "intr" follows one line per CPU: 32 KiB holds it on machines of a few
 * hundred CPUs.  Larger ones go without (-ENOENT), which only costs the
 * rule its interrupt grouping.
 */
#define STAT_HEAD 32768

int irqs_open(void)
{
	int fd = open("/proc/stat", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int parse_intr(const char *buf, uint64_t *n)
{
	const char *p = strstr(buf, "\nintr ");
	char *end;

	if (!p)
		return -ENOENT;
	errno = 0;
	*n = strtoull(p + 6, &end, 10);
	if (errno || end == p + 6 || (*end != ' ' && *end != '\n'))
		return -ENOENT;
	return 0;
}

int irqs_read(int fd, uint64_t *n)
{
	char buf[STAT_HEAD + 1];
	ssize_t got = pread(fd, buf, STAT_HEAD, 0);

	if (got < 0)
		return -errno;
	buf[got] = '\0';
	return parse_intr(buf, n);
}
