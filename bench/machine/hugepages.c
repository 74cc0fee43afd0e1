// SPDX-License-Identifier: MIT
#include "machine/hugepages.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_POOLS 4

static struct pool {
	char path[256];		/* .../nr_hugepages, or a run --knob file */
	char orig[72];		/* its value before we touched it */
} pools[MAX_POOLS];
static volatile sig_atomic_t nr_pools;
static int guard_fd = -1;

static void pool_path(size_t page_size, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "/sys/kernel/mm/hugepages/hugepages-%zukB/%s", page_size >> 10, file);
}

long hugepages_read(size_t page_size, const char *file)
{
	char path[128], buf[32];

	pool_path(page_size, file, path, sizeof(path));
	if (read_text_file(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/* async-signal-safe: open/write/close only */
static void write_value(const char *path, const char *value)
{
	/* O_TRUNC: sysfs and procfs ignore it; a regular file (tests) needs it */
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0) {
		/* nothing more can be done from here */
	}
	close(fd);
}

void hugepages_restore(void)
{
	for (int i = 0; i < nr_pools; i++)
		write_value(pools[i].path, pools[i].orig);
	if (guard_fd >= 0 && write(guard_fd, "R\n", 2) == 2)
		nr_pools = 0;
}

/*
 * The guard: a child blocked reading a pipe.  Before a pool is changed its
 * path and value go down the pipe; "R" means the parent restored them.  When
 * the pipe closes without "R" (the parent died), the guard restores.
 */
static void guard_main(int fd)
{
	char buf[4096], *line, *save = NULL, *pending[MAX_POOLS * 4];
	int npending = 0;
	size_t len = 0;
	ssize_t n;

	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_NAME, "uffdbench-guard");
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	/* "R" cancels everything before it: the parent put those back itself. */
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "R"))
			npending = 0;
		else if (npending < MAX_POOLS * 4)
			pending[npending++] = line;
	}
	for (int i = 0; i < npending; i++) {
		char *sp = strchr(pending[i], ' ');

		if (sp) {
			*sp = '\0';
			write_value(pending[i], sp + 1);
		}
	}
	_exit(0);
}

/*
 * In the child: leave the run's session and process group, so that a kill of
 * the whole group (a service manager's stop, `kill -9 -- -PGID`) spares the
 * guard; then say so on ack and become the guard.
 */
static void guard_child(int p[2], int ack)
{
	/* Hold nothing of the run's: a pipe reading its output must see EOF
	 * when the run ends, not when the guard does. */
	int null = open("/dev/null", O_RDWR);

	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	close(p[1]);
	if (setsid() < 0 || write(ack, "S", 1) != 1)
		_exit(1);
	close_range(3, p[0] - 1, 0);
	close_range(p[0] + 1, ~0u, 0);
	guard_main(p[0]);
}

/* The guard is known to be in its own session when it wrote its byte. */
static int wait_guard(pid_t pid, int ack)
{
	char c;
	ssize_t n;

	while ((n = read(ack, &c, 1)) < 0 && errno == EINTR)
		;
	if (n == 1)
		return 0;
	waitpid(pid, NULL, 0);
	return -ECHILD;
}

static int start_guard(void)
{
	int p[2], a[2], ret;
	pid_t pid;

	if (guard_fd >= 0)
		return 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	if (pipe2(a, O_CLOEXEC)) {
		ret = -errno;
		goto close_p;
	}
	stdout_flush();
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto close_a;
	}
	if (pid == 0) {
		close(a[0]);
		guard_child(p, a[1]);
	}
	close(a[1]);
	a[1] = -1;
	ret = wait_guard(pid, a[0]);
	if (ret)
		goto close_a;
	close(a[0]);
	close(p[0]);
	guard_fd = p[1];
	return 0;
close_a:
	close(a[0]);
	if (a[1] >= 0)
		close(a[1]);
close_p:
	close(p[0]);
	close(p[1]);
	return ret;
}

int guard_remember(const char *path, const char *orig)
{
	struct pool *pl;
	char line[sizeof(pl->path) + sizeof(pl->orig) + 2];
	int n;

	for (int i = 0; i < nr_pools; i++)
		if (!strcmp(pools[i].path, path))
			return 0;
	if (nr_pools == MAX_POOLS || strlen(path) >= sizeof(pl->path) ||
	    strlen(orig) >= sizeof(pl->orig) || strchr(path, ' ') || strchr(orig, '\n') ||
	    start_guard())
		return -1;
	pl = &pools[nr_pools];
	snprintf(pl->path, sizeof(pl->path), "%s", path);
	snprintf(pl->orig, sizeof(pl->orig), "%s", orig);
	n = snprintf(line, sizeof(line), "%s %s\n", pl->path, pl->orig);
	if (write(guard_fd, line, n) != n)
		return -1;
	nr_pools++;
	return 0;
}

int hugepages_check(size_t page_size, unsigned long need, char *why, size_t whylen)
{
	long freep = hugepages_read(page_size, "free_hugepages");

	if (freep < 0) {
		snprintf(why, whylen, "no %zu kB huge pages on this machine", page_size >> 10);
		return -1;
	}
	if ((unsigned long)freep >= need || geteuid() == 0)
		return 0;
	snprintf(why, whylen, "%ld of %lu free %zu kB huge pages, and raising vm.nr_hugepages needs root",
		 freep, need, page_size >> 10);
	return -1;
}

int hugepages_ensure(size_t page_size, unsigned long need, char *why, size_t whylen)
{
	long nr = hugepages_read(page_size, "nr_hugepages");
	long freep = hugepages_read(page_size, "free_hugepages");
	char path[128], val[32];

	if (nr < 0 || freep < 0) {
		snprintf(why, whylen, "no %zu kB huge pages on this machine", page_size >> 10);
		return -1;
	}
	if ((unsigned long)freep >= need)
		return 0;
	if (geteuid() != 0) {
		snprintf(why, whylen, "needs %lu free %zu kB huge pages, %ld %s free; "
			 "raising vm.nr_hugepages needs root",
			 need, page_size >> 10, freep, freep == 1 ? "is" : "are");
		return -1;
	}
	pool_path(page_size, "nr_hugepages", path, sizeof(path));
	snprintf(val, sizeof(val), "%ld", nr);
	if (guard_remember(path, val)) {
		snprintf(why, whylen, "cannot arrange to restore %s", path);
		return -1;
	}
	snprintf(val, sizeof(val), "%lu", nr + (need - freep));
	write_text_file(path, val);
	freep = hugepages_read(page_size, "free_hugepages");
	if (freep < 0 || (unsigned long)freep < need) {
		snprintf(why, whylen, "the kernel gave only %ld of %lu free %zu kB huge pages",
			 freep, need, page_size >> 10);
		return -1;
	}
	return 0;
}
