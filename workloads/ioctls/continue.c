// SPDX-License-Identifier: MIT
/* UFFDIO_CONTINUE: map pages the page cache already holds (minor faults). */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int continue_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_continue a = { .range = { .start = (uintptr_t)dst, .len = len } };
	int ret = ioctl(uffd, UFFDIO_CONTINUE, &a);

	(void)src;
	*done = a.mapped;
	return ret ? -errno : 0;
}

TIMED_PASS(continue, struct uffdio_continue, UFFDIO_CONTINUE,
	   a.range.start = (uintptr_t)p->area + off,
	   a.mapped, { .range.len = p->step })

/*
 * Each round starts from an empty file and refills it: every round maps
 * fresh pages, so rounds sample physical placement (which moves results by
 * up to 30% here) instead of repeating one process's luck.
 */
const struct ioctl_ops ioctl_continue = {
	.name = "continue",
	.ioctl_name = "UFFDIO_CONTINUE",
	.nr = UFFDIO_CONTINUE,
	.bit = _UFFDIO_CONTINUE,
	.mode = REG_MINOR,
	.targets = MEM_SHMEM | MEM_SHMEM_PRIVATE | MEM_HUGETLB | MEM_HUGETLB_PRIVATE,
	.controls = MEM_ANON,
	.desc = "map pages already in the page cache (minor faults)",
	.resolves_faults = true,
	.from_page_cache = true,
	.expect = { .content = CONTENT_PAGE, .pagemap_set = PM_PRESENT },
	.reset = iop_reset_type,
	.prepare = iop_populate_cache,
	.pass = timed_pass_continue,
	.issue = continue_issue,
};
