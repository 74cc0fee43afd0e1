// SPDX-License-Identifier: MIT
/*
 * UFFDIO_WRITEPROTECT, setting protection over populated pages of a range
 * registered MODE_WP (shmem and hugetlb: WP_HUGETLBFS_SHMEM, 5.19).  The
 * series does not touch it: a control.  Verified by pagemap's uffd-wp bit.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int writeprotect_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_writeprotect a = { .range = { .start = (uintptr_t)dst, .len = len },
					 .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	int ret = ioctl(uffd, UFFDIO_WRITEPROTECT, &a);

	(void)src;
	*done = ret ? -errno : (int64_t)len;
	return ret ? -errno : 0;
}

TIMED_PASS(writeprotect, struct uffdio_writeprotect, UFFDIO_WRITEPROTECT,
	   a.range.start = (uintptr_t)p->area + off,
	   (int64_t)p->step, { .range.len = p->step, .mode = UFFDIO_WRITEPROTECT_MODE_WP })

const struct ioctl_ops ioctl_writeprotect = {
	.name = "writeprotect",
	.ioctl_name = "UFFDIO_WRITEPROTECT",
	.nr = UFFDIO_WRITEPROTECT,
	.bit = _UFFDIO_WRITEPROTECT,
	.mode = REG_WP,
	.feature = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	.targets = MEM_ALL,
	.controls = MEM_ALL,
	.desc = "write-protect populated pages (MODE_WP; pagemap uffd-wp bit)",
	.writes_view = true,
	.expect = { .content = CONTENT_PAGE, .pagemap_set = PM_PRESENT | PM_UFFD_WP },
	.reset = iop_reset_unprotect,
	.prepare = iop_populate_view,
	.pass = timed_pass_writeprotect,
	.issue = writeprotect_issue,
};
