// SPDX-License-Identifier: MIT
/*
 * The other process of the pool-exhaustion scenario: on 'd' it takes every
 * free unreserved huge page of one size (a MAP_HUGETLB mapping, populated),
 * on 'r' it gives them back; it answers each command with the pages it
 * holds, and exits when its command pipe closes (or its parent dies).
 */
#include "stress/drainer.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mman.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

static int size_flag(size_t size)
{
	return size >= (1ul << 30) ? MAP_HUGE_1GB : MAP_HUGE_2MB;
}

/*
 * A pool counter, without stdio or malloc: this runs in the child of a fork
 * from a threaded process, where another thread may have held their locks.
 */
static long pool_read(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* The drainer, a forked child that never execs: it ends with _exit(). */
static void __attribute__((noreturn)) serve(int cmd, int ack, size_t size,
					   const char path[2][96])
{
	char *p = MAP_FAILED;
	long n = 0;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (read(cmd, &c, 1) == 1) {
		if (c == 'd' && p == MAP_FAILED) {
			n = pool_read(path[0]) - pool_read(path[1]);
			if (n > 0)
				p = mmap(NULL, n * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
					 MAP_HUGETLB | size_flag(size) | MAP_POPULATE, -1, 0);
		} else if (c == 'r' && p != MAP_FAILED) {
			munmap(p, n * size);
			p = MAP_FAILED;
		}
		n = p == MAP_FAILED ? 0 : n;
		if (write(ack, &n, sizeof(n)) != sizeof(n))
			break;
	}
	_exit(0);
}

int drainer_start(struct drainer *d, size_t size)
{
	static const char *const file[2] = { "free_hugepages", "resv_hugepages" };
	char path[2][96];
	int cmd[2], ack[2];

	for (int i = 0; i < 2; i++)	/* now: the child may not use stdio */
		snprintf(path[i], sizeof(path[i]), "/sys/kernel/mm/hugepages/hugepages-%zukB/%s",
			 size >> 10, file[i]);
	if (pipe(cmd))
		return -errno;
	if (pipe(ack)) {
		close(cmd[0]), close(cmd[1]);
		return -errno;
	}
	d->pid = fork();
	if (d->pid == 0) {
		close(cmd[1]), close(ack[0]);
		serve(cmd[0], ack[1], size, (const char (*)[96])path);
	}
	close(cmd[0]), close(ack[1]);
	d->cmd = cmd[1], d->ack = ack[0], d->held = 0;
	if (d->pid < 0) {
		drainer_stop(d);
		return -EAGAIN;
	}
	return 0;
}

/* 0, or -1 if the process is gone. */
int drainer_tell(struct drainer *d, bool drain)
{
	char c = drain ? 'd' : 'r';

	if (d->cmd < 0 || write(d->cmd, &c, 1) != 1 ||
	    read(d->ack, &d->held, sizeof(d->held)) != sizeof(d->held))
		return -1;
	return 0;
}

/*
 * Every drainer's command pipe closes before any is waited for: a drainer
 * forked later holds a copy of the earlier ones' pipes, so an earlier one
 * sees the end only once the later one has gone.
 */
void drainer_close(struct drainer *d)
{
	if (d->cmd >= 0)
		close(d->cmd);
	if (d->ack >= 0)
		close(d->ack);
	d->cmd = d->ack = -1;
}

void drainer_stop(struct drainer *d)
{
	drainer_close(d);
	if (d->pid > 0)
		while (waitpid(d->pid, NULL, 0) < 0 && errno == EINTR)
			;
	d->pid = -1;
}
