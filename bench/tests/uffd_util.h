/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_UFFD_UTIL_H
#define UFFDBENCH_TESTS_UFFD_UTIL_H

/*
 * What the tests that drive ioctls in-process share: the kernel's caps,
 * harness options, why a (memory type, ioctl) cannot run here, and a
 * registered range prepared as the harness prepares it (a fixture), to
 * pass over and verify.  Include after <cmocka.h>; main() fills caps with
 * caps_probe(&caps, uffd_probe_mask()).
 */
#include "machine/caps.h"
#include "machine/hugepages.h"
#include "run/harness.h"
#include "verify/verify.h"
#include "workload.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static struct caps caps;
static int no_stop;

/*
 * The memory types to probe: 1 GiB ones only with_1g (caps' "not probed"
 * then skips their cells), and never under TSan, which shadows every byte
 * written: a 1 GiB page filled a few times takes gigabytes.
 */
static inline uint64_t uffd_probe_mask(bool with_1g)
{
	uint64_t mask = 0;

#ifdef __SANITIZE_THREAD__
	with_1g = false;
#endif
	for (unsigned m = 0; m < nr_memtypes; m++)
		if (with_1g || memtypes[m]->huge_size < (1ul << 30))
			mask |= 1ull << m;
	return mask;
}

static inline struct harness_opts opts(unsigned rounds)
{
	return (struct harness_opts){ .rounds = rounds, .warmup = 1, .verify = VERIFY_FULL,
				      .uffd_features = caps_wanted_features(&caps), .stop = &no_stop };
}

/* NULL: (mt, op) runs here with `pages` pages; else why not (caps, huge pages). */
static inline const char *why_not(const struct memtype_ops *mt, enum uffd_op op, size_t pages,
				  char *why, size_t len)
{
	if (caps_skip_reason(&caps, mt, op, why, len))
		return why;
	if (mt->huge_size &&
	    hugepages_ensure(mt->huge_size, memtype_huge_pages_needed(mt, pages), why, len))
		return why;
	return NULL;
}

/* A registered range of mt for op, with its source, as the harness makes it. */
struct fixture {
	struct region r;
	struct ioctl_target t;
	int pagemap;
};

/* Set up, register, reset and prepare (generation 5) `pages` pages; io may be a variant of op's. */
static inline void fixture_setup(struct fixture *f, const char *memtype, enum uffd_op op,
				 const struct ioctl_ops *io, size_t pages)
{
	const struct memtype_ops *mt = memtype_find(memtype);

	f->r = (struct region){ .mt = mt, .fd = -1, .page_size = memtype_page_size(mt) };
	assert_int_equal(mt->setup(&f->r, pages * f->r.page_size), 0);
	f->t = (struct ioctl_target){ .r = &f->r, .op = op, .io = io, .batch = 1 };
	f->t.uffd = uffd_new(caps_wanted_features(&caps), NULL);
	assert_true(f->t.uffd >= 0);
	assert_int_equal(uop_register(f->t.uffd, op, f->r.area, f->r.len, NULL), 0);
	assert_int_equal(ioctl_target_src(&f->t), 0);
	f->pagemap = open("/proc/self/pagemap", O_RDONLY);
	assert_true(f->pagemap >= 0);
	assert_int_equal(io->reset(&f->t), 0);
	assert_int_equal(io->prepare(&f->t, 5), 0);
}

/* One timed pass over the whole range, one page per ioctl: every one succeeds. */
static inline void fixture_pass(struct fixture *f)
{
	struct pass p = { .uffd = f->t.uffd, .op = f->t.op, .area = f->r.area, .len = f->r.len,
			  .step = f->r.page_size, .src = f->t.src };
	struct pass_result res;

	ioctl_pass(&p, &res);
	assert_int_equal(res.ok, f->r.len / f->r.page_size);
}

static inline void fixture_teardown(struct fixture *f)
{
	ioctl_target_free_src(&f->t);
	close(f->pagemap);
	close(f->t.uffd);
	f->r.mt->teardown(&f->r);
}

static inline struct verify_result fixture_verify(struct fixture *f)
{
	struct verify_result v = { 0 };

	assert_int_equal(verify_target(&f->t, 5, VERIFY_FULL, f->pagemap, NULL, &v), 0);
	return v;
}

#endif
