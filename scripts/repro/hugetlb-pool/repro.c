// SPDX-License-Identifier: MIT
/*
 * UFFDIO_COPY into hugetlb while another process has taken every free huge
 * page: the kernel should answer ENOMEM and install nothing.  Run as root.
 * Exit: 0 ENOMEM as documented; 1 another answer (printed); 2 setup failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define HP (2ul << 20)
#define SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define NEED 4			/* huge pages added to the pool, and taken back */

static long nr_orig = -1;
static int uffd, cmd[2], ack[2], bad;

static long pool(const char *f)
{
	char p[128];
	long v = -1;
	FILE *x;

	snprintf(p, sizeof(p), SYSFS "%s", f);
	if ((x = fopen(p, "r")))
		v = fscanf(x, "%ld", &v) == 1 ? v : -1, fclose(x);
	return v;
}

static void set_pool(long n)
{
	FILE *x = fopen(SYSFS "nr_hugepages", "w");

	if (x)
		fprintf(x, "%ld\n", n), fclose(x);
}

/* nr_hugepages back as it was, unless someone else changed it meanwhile */
static void restore(void)
{
	if (nr_orig >= 0 && pool("nr_hugepages") == nr_orig + NEED)
		set_pool(nr_orig);
	nr_orig = -1;
}

static void on_signal(int sig)
{
	restore(), signal(sig, SIG_DFL), raise(sig);
}

/* The other process: 'd' takes every free unreserved huge page, 'r' gives them back. */
static void drainer(void)
{
	char c, *p = MAP_FAILED;
	long n = 0;

	close(cmd[1]), close(ack[0]);	/* EOF on cmd when the parent is gone */
	while (read(cmd[0], &c, 1) == 1) {
		if (c == 'd' && (n = pool("free_hugepages") - pool("resv_hugepages")) > 0)
			p = mmap(NULL, n * HP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
				 MAP_HUGETLB | MAP_POPULATE, -1, 0);
		else if (c == 'r' && p != MAP_FAILED)
			munmap(p, n * HP), p = MAP_FAILED;
		if (write(ack[1], &c, 1) != 1)
			break;
	}
	_exit(0);
}

static void drain(char c)
{
	if (write(cmd[1], &c, 1) != 1 || read(ack[0], &c, 1) != 1)
		exit(2);
	printf("  -- the other process %s: free %ld, reserved %ld\n", c == 'd' ? "drained the pool" :
	       "gave the pages back", pool("free_hugepages"), pool("resv_hugepages"));
}

static char *map(int fd, int flags, int mode)
{
	char *p = mmap(NULL, HP, PROT_READ | PROT_WRITE, flags, fd, 0);
	struct uffdio_register r = { .range = { (uintptr_t)p, HP }, .mode = mode };

	if (p == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &r))
		perror("mmap/register"), exit(2);
	return p;
}

static int present(void *a)	/* is a page mapped there? (pagemap bit 63) */
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	e = fd >= 0 && pread(fd, &e, 8, (uintptr_t)a / 4096 * 8) == 8 ? e : 0;
	close(fd);
	return !!(e >> 63);
}

/* One ioctl: what it answered, and what the contract says it should have. */
static void step(const char *what, unsigned long req, void *arg, __s64 *res, int want)
{
	int e = ioctl(uffd, req, arg) ? errno : 0;

	bad |= e != want;
	printf("%-44s -> %-6s (%lld)%s%s\n", what, e ? strerrorname_np(e) : "0", (long long)*res,
	       e != want ? "   expected " : "", e != want ? (want ? strerrorname_np(want) : "0") : "");
}

#define COPY(what, to, want) do { struct uffdio_copy c = { .dst = (uintptr_t)(to), \
	.src = (uintptr_t)src, .len = HP }; step(what, UFFDIO_COPY, &c, &c.copy, want); } while (0)
#define CONTINUE(what, to, want) do { struct uffdio_continue c = { .range = { \
	(uintptr_t)(to), HP } }; step(what, UFFDIO_CONTINUE, &c, &c.mapped, want); } while (0)

int main(void)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_MINOR_HUGETLBFS };
	int fs = memfd_create("shared", MFD_HUGETLB), fp = memfd_create("private", MFD_HUGETLB);
	char *src, *shared, *minor, *priv;
	struct utsname u;

	uname(&u);
	printf("kernel %s %s\n", u.release, u.version);
	nr_orig = pool("nr_hugepages");
	signal(SIGINT, on_signal), signal(SIGTERM, on_signal), atexit(restore);
	set_pool(nr_orig + NEED);
	if (nr_orig < 0 || pool("nr_hugepages") != nr_orig + NEED)
		return nr_orig = -1, fprintf(stderr, "cannot add %d huge pages (root?)\n", NEED), 2;
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) || pipe(cmd) || pipe(ack) ||
	    fs < 0 || fp < 0 || ftruncate(fs, HP) || ftruncate(fp, HP))
		return perror("setup"), 2;
	if (!fork())
		drainer();
	close(cmd[0]), close(ack[1]);
	src = mmap(NULL, HP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(src, 0x5a, HP);
	shared = map(fs, MAP_SHARED, UFFDIO_REGISTER_MODE_MISSING);
	minor = map(fs, MAP_SHARED, UFFDIO_REGISTER_MODE_MINOR);	/* same file */
	priv = map(fp, MAP_PRIVATE | MAP_NORESERVE, UFFDIO_REGISTER_MODE_MISSING);

	COPY("shared: COPY (the pool has pages)", shared, 0);
	fallocate(fs, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, HP);
	printf("  -- punched the shared page (its reservation goes with it)\n");
	drain('d');
	COPY("shared: COPY, pool exhausted", shared, ENOMEM);
	COPY("shared: COPY again", shared, ENOMEM);
	printf("  shared page mapped: %d\n", present(shared));
	CONTINUE("shared: CONTINUE (page in the page cache?)", minor, EFAULT);
	COPY("private NORESERVE: COPY, pool exhausted", priv, ENOMEM);
	COPY("private NORESERVE: COPY again", priv, ENOMEM);
	printf("  private page mapped: %d\n", present(priv));
	drain('r');
	COPY("shared: COPY (the pool has pages again)", shared, 0);
	COPY("private: COPY (the pool has pages again)", priv, 0);
	puts(bad ? "RESULT: answers outside the contract (see 'expected')" :
		   "RESULT: ENOMEM as documented");
	close(cmd[1]);
	return bad;
}
