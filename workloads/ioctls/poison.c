// SPDX-License-Identifier: MIT
/*
 * UFFDIO_POISON (6.6): install poison markers on missing pages; touching
 * one raises SIGBUS.  The series moves its capability check, so it is a
 * cell of series-check.  The marker is a page-table entry: the reset zaps
 * the view before the memory type's own reset (a shmem punch leaves it),
 * and verification checks, unregistered, that a touch after the reset no
 * longer raises SIGBUS.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

/* What the build's uapi header may predate (6.1's: Debian 12). */
#ifndef _UFFDIO_POISON
#define _UFFDIO_POISON			(0x08)
struct uffdio_poison {
	struct uffdio_range range;
#define UFFDIO_POISON_MODE_DONTWAKE		((__u64)1 << 0)
	__u64 mode;
	__s64 updated;
};
#define UFFDIO_POISON	_IOWR(UFFDIO, _UFFDIO_POISON, struct uffdio_poison)
#endif
#ifndef UFFD_FEATURE_POISON
#define UFFD_FEATURE_POISON			(1 << 14)
#endif

static int poison_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_poison a = { .range = { .start = (uintptr_t)dst, .len = len } };
	int ret = ioctl(uffd, UFFDIO_POISON, &a);

	(void)src;
	*done = a.updated;
	return ret ? -errno : 0;
}

TIMED_PASS(poison, struct uffdio_poison, UFFDIO_POISON,
	   a.range.start = (uintptr_t)p->area + off,
	   a.updated, { .range.len = p->step })

const struct ioctl_ops ioctl_poison = {
	.name = "poison",
	.ioctl_name = "UFFDIO_POISON",
	.nr = UFFDIO_POISON,
	.bit = _UFFDIO_POISON,
	.mode = REG_MISSING,
	.feature = UFFD_FEATURE_POISON,
	.targets = MEM_ALL,
	.controls = 0,
	.desc = "install poison markers on missing pages (touching one: SIGBUS)",
	/* hugetlb's pagemap shows no marker (no swap bit): SIGBUS is the test */
	.expect = { .content = CONTENT_SIGBUS, .pagemap_clear = PM_PRESENT,
		    .reset_clears = true },
	.reset = iop_reset_zap,
	.prepare = iop_none,
	.pass = timed_pass_poison,
	.issue = poison_issue,
};
