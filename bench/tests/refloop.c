// SPDX-License-Identifier: MIT
/*
 * The minimal reference loop: the same ioctls as `uffdbench run`, with
 * nothing around them (no harness, threads, barriers or verification), so
 * scripts/fidelity can check that the harness does not distort what it
 * measures.  Pinned to CPU 0 like the harness's first thread.
 *
 *   refloop anon|shmem copy|zeropage|continue BATCH ROUNDS [SIZE_MIB]
 *
 * Prints the median ns/page over ROUNDS timed passes (after one warm-up).
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ul

static unsigned long ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ul + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

int main(int argc, char **argv)
{
	int shmem, op, fd = -1, uffd, dev;
	unsigned long batch, rounds, len, step, t0;
	char *area, *alias = NULL, *src;
	double *res;
	cpu_set_t cpu;

	if (argc < 5)
		return fprintf(stderr, "usage: refloop anon|shmem copy|zeropage|continue BATCH ROUNDS [SIZE_MIB]\n"), 2;
	shmem = !strcmp(argv[1], "shmem");
	op = !strcmp(argv[2], "copy") ? 0 : !strcmp(argv[2], "zeropage") ? 1 : 2;
	batch = strtoul(argv[3], NULL, 10);
	rounds = strtoul(argv[4], NULL, 10);
	len = (argc > 5 ? strtoul(argv[5], NULL, 10) : 64) << 20;
	step = batch * PAGE;
	len = len < step ? step : len / step * step;
	res = calloc(rounds, sizeof(*res));
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	sched_setaffinity(0, sizeof(cpu), &cpu);

	if (shmem) {
		fd = memfd_create("refloop", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, len))
			die("memfd");
		area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		alias = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	} else {
		area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (area == MAP_FAILED || alias == MAP_FAILED)
		die("mmap");
	madvise(area, len, MADV_NOHUGEPAGE);
	src = aligned_alloc(PAGE, step);
	memset(src, 0x5a, step);
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	uffd = dev >= 0 ? ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC | O_NONBLOCK) : -1;
	struct uffdio_api api = { .api = UFFD_API,
		.features = shmem ? UFFD_FEATURE_MISSING_SHMEM | UFFD_FEATURE_MINOR_SHMEM : 0 };
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd");
	struct uffdio_register reg = { .range = { (unsigned long)area, len },
		.mode = op == 2 ? UFFDIO_REGISTER_MODE_MINOR : UFFDIO_REGISTER_MODE_MISSING };
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("register");

	for (unsigned long r = 0; r <= rounds; r++) {
		if (op == 2) {	/* fresh page cache pages, as the harness does */
			fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, len);
			memset(alias, (int)r, len);
			madvise(area, len, MADV_DONTNEED);
		} else if (shmem) {
			fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, len);
		} else {
			madvise(area, len, MADV_DONTNEED);
		}
		t0 = ns();
		for (unsigned long off = 0; off < len; off += step) {
			struct uffdio_copy c = { (unsigned long)area + off, (unsigned long)src, step };
			struct uffdio_zeropage z = { .range = { (unsigned long)area + off, step } };
			struct uffdio_continue k = { .range = { (unsigned long)area + off, step } };
			int ret = op == 0 ? ioctl(uffd, UFFDIO_COPY, &c) :
				  op == 1 ? ioctl(uffd, UFFDIO_ZEROPAGE, &z) :
					    ioctl(uffd, UFFDIO_CONTINUE, &k);
			if (ret)
				die("ioctl");
		}
		if (r)
			res[r - 1] = (double)(ns() - t0) / (len / PAGE);
	}
	qsort(res, rounds, sizeof(*res), cmp);
	printf("%.2f\n", rounds % 2 ? res[rounds / 2] : (res[rounds / 2 - 1] + res[rounds / 2]) / 2);
	return 0;
}
