// SPDX-License-Identifier: MIT
/*
 * The minimal fault round trip, the reference scripts/fault-fidelity sets
 * `uffdbench fault` against: one thread writes the first word of each page
 * of a 64 MiB anonymous range registered MISSING, timing each write; one
 * handler thread blocks in read() on the (blocking) uffd, takes one event
 * and resolves it with UFFDIO_COPY, which wakes the faulting thread.
 * Nothing else: no counting of events, no verification, no watchdog.  The
 * COPY source is one page, hot in the cache (one: what `fault` does by
 * default, stamping that page's first word per fault), or laid out as the
 * range and rewritten before each pass (range: `fault --source range`), so
 * each copies from memory rather than from one hot page.
 *
 *   faultloop same|other SECONDS [SIZE_MIB [one|range]]
 *
 * The faulting thread runs on CPU 0, the handler on CPU 0 (same) or CPU 1
 * (other); the range is zapped between passes (untimed).  Prints the mean
 * and median ns per fault and the number of faults.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ul

static int uffd;
static char *area, *src;
static int one;			/* every COPY from src's first page */

static uint64_t ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void *handler(void *arg)
{
	struct uffd_msg msg;

	pin(*(int *)arg);
	for (;;) {
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			die("read");
		uintptr_t dst = msg.arg.pagefault.address & ~(PAGE - 1);
		struct uffdio_copy c = { .dst = dst, .len = PAGE,
			.src = (uintptr_t)src + (one ? 0 : dst - (uintptr_t)area) };
		if (ioctl(uffd, UFFDIO_COPY, &c))
			die("UFFDIO_COPY");
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int hcpu, dev;
	double seconds;
	size_t len, pages, n = 0, cap;
	uint64_t sum = 0, end;
	uint32_t *lat;
	pthread_t t;
	int pass = 0;

	if (argc < 3 || (strcmp(argv[1], "same") && strcmp(argv[1], "other")) ||
	    (argc > 4 && strcmp(argv[4], "one") && strcmp(argv[4], "range")))
		return fprintf(stderr, "usage: faultloop same|other SECONDS [SIZE_MIB [one|range]]\n"), 2;
	one = argc <= 4 || !strcmp(argv[4], "one");
	hcpu = !strcmp(argv[1], "other");
	seconds = atof(argv[2]);
	len = (argc > 3 ? strtoul(argv[3], NULL, 10) : 64) << 20;
	pages = len / PAGE;
	cap = 1 << 22;
	lat = malloc(cap * sizeof(*lat));
	pin(0);
	prctl(PR_SET_TIMERSLACK, 1ul);
	area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || src == MAP_FAILED || !lat)
		die("mmap");
	madvise(area, len, MADV_NOHUGEPAGE);
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	uffd = dev >= 0 ? ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC) : -1;	/* blocking */
	struct uffdio_api api = { .api = UFFD_API };
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd");
	struct uffdio_register reg = { .range = { (uintptr_t)area, len },
				       .mode = UFFDIO_REGISTER_MODE_MISSING };
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER");
	if (pthread_create(&t, NULL, handler, &hcpu))
		die("pthread_create");
	end = ns() + (uint64_t)(seconds * 1e9);
	while (ns() < end && n < cap) {
		madvise(area, len, MADV_DONTNEED);
		memset(src, ++pass, one ? PAGE : len);
		for (size_t i = 0; i < pages && n < cap; i++) {
			uint64_t t0 = ns(), d;

			*(volatile uint64_t *)(area + i * PAGE) = i;
			d = ns() - t0;
			sum += d;
			lat[n++] = d;
			if (t0 > end)
				break;
		}
	}
	qsort(lat, n, sizeof(*lat), cmp);
	printf("%.1f %u %zu\n", (double)sum / n, lat[n / 2], n);
	return 0;
}
