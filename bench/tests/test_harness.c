// SPDX-License-Identifier: MIT
/*
 * Integration: the harness runs threads (every memory type x ioctl is
 * test_matrix's, from the tables); the harness counts
 * ioctl results outside success; verification catches a wrong byte.
 * Needs root for hugetlb (skipped with the reason otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine/caps.h"
#include "run/harness.h"
#include "machine/hugepages.h"
#include "core/pattern.h"
#include "workload.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct caps caps;
static int no_stop;

static struct harness_opts opts(unsigned rounds)
{
	return (struct harness_opts){ .rounds = rounds, .warmup = 1, .verify = VERIFY_FULL,
				      .uffd_features = caps_wanted_features(&caps), .stop = &no_stop };
}

static struct cell small_cell(const struct memtype_ops *mt, enum uffd_op op, unsigned batch,
			      unsigned threads)
{
	size_t psz = memtype_page_size(mt);

	/* 1 GiB pages are slow to clear and fill: one is enough to show they work */
	unsigned pages = mt->huge_size >= (1ul << 30) ? 1 : mt->huge_size ? 2 : 64;

	return (struct cell){ .mt = mt, .op = op, .batch = batch, .threads = threads,
			      .size = pages * psz };
}

/* Threads: each with its own range; the result holds every thread's round. */
static void test_threads(void **state)
{
	struct harness_opts o = opts(3);
	struct cell c = small_cell(memtype_find("shmem-memfd"), UOP_CONTINUE, 4, 2);
	struct cell_result r;

	(void)state;
	harness_run_cell(&c, &o, &r);
	assert_int_equal(r.status, CELL_OK);
	assert_int_equal(r.threads, 2);
	for (unsigned i = 0; i < r.rounds * r.threads; i++) {
		assert_int_equal(r.tr[i].pages, 64);
		assert_int_equal(r.tr[i].ioctls, 16);
	}
	cell_result_free(&r);
}

/* A second COPY over filled pages is EEXIST for every ioctl: counted, not timed as success. */
static void test_eexist_counted(void **state)
{
	struct region reg = { .mt = memtype_find("anon"), .fd = -1, .page_size = 4096 };
	struct pass_result res;
	char *src = aligned_alloc(4096, 4096);
	struct pass p;
	int uffd;

	(void)state;
	memset(src, 7, 4096);
	assert_int_equal(reg.mt->setup(&reg, 8 * 4096), 0);
	uffd = uffd_new(0, NULL);
	assert_true(uffd >= 0);
	assert_int_equal(uffd_register(uffd, reg.area, reg.len, REG_MISSING, NULL), 0);
	p = (struct pass){ .uffd = uffd, .op = UOP_COPY, .area = reg.area, .len = reg.len,
			   .step = 4096, .src = src };
	ioctl_pass(&p, &res);
	assert_int_equal(res.ok, 8);
	ioctl_pass(&p, &res);
	assert_int_equal(res.ok, 0);
	assert_int_equal(res.eexist, 8);
	close(uffd);
	reg.mt->teardown(&reg);
	free(src);
}

/* Verification reads what the ioctl left: a byte changed through the alias is caught. */
static void test_verify_catches_corruption(void **state)
{
	struct region reg = { .mt = memtype_find("shmem-memfd"), .fd = -1, .page_size = 4096 };
	struct verify_result v = { 0 };
	int pagemap = open("/proc/self/pagemap", O_RDONLY);

	(void)state;
	assert_int_equal(reg.mt->setup(&reg, 16 * 4096), 0);
	for (int i = 0; i < 16; i++)	/* as a perfect CONTINUE pass would leave it */
		pattern_fill(reg.area + i * 4096, 4096, pattern_tag(3, i));
	verify_pass(&reg, UOP_CONTINUE, 1, 3, VERIFY_FULL, pagemap, &v);
	assert_int_equal(v.mismatches, 0);
	assert_int_equal(v.pages_checked, 16);
	reg.alias[5 * 4096 + 100] ^= 1;
	verify_pass(&reg, UOP_CONTINUE, 1, 3, VERIFY_FULL, pagemap, &v);
	assert_int_equal(v.mismatches, 1);
	assert_non_null(strstr(v.first_error, "page 5"));
	/* a page that is not there at all */
	memset(&v, 0, sizeof(v));
	reg.mt->reset(&reg);
	verify_pass(&reg, UOP_ZEROPAGE, 1, 3, VERIFY_SAMPLE, pagemap, &v);
	assert_int_equal(v.mismatches, 16);
	assert_non_null(strstr(v.first_error, "not present"));
	close(pagemap);
	reg.mt->teardown(&reg);
}

/*
 * TSan shadows every byte written: a 1 GiB page filled a few times takes
 * gigabytes (over 6 GiB here, before any cell), so its build leaves the
 * 1 GiB types unprobed, and caps' "not probed" skips their cells.
 */
static uint64_t probe_mask(void)
{
	uint64_t mask = CAPS_ALL;

#ifdef __SANITIZE_THREAD__
	for (unsigned m = 0; m < nr_memtypes; m++)
		if (memtypes[m]->huge_size >= (1ul << 30))
			mask &= ~(1ull << m);
#endif
	return mask;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_eexist_counted),
		cmocka_unit_test(test_verify_catches_corruption),
	};
	int ret;

	if (caps_probe(&caps, probe_mask())) {
		print_message("no userfaultfd here: skipping\n");
		return 0;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	hugepages_restore();
	return ret;
}
