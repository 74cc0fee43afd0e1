// SPDX-License-Identifier: MIT
/*
 * UFFDIO_COPY with UFFDIO_COPY_MODE_WP: copy a source batch into missing
 * pages and map them write-protected, as a live migration's or a
 * snapshot's handler does.  The range is registered MISSING and WP (the
 * kernel refuses the mode otherwise); verification reads the copied
 * source and pagemap's uffd-wp bit.  The reset clears the protection
 * first: a punched write-protected shmem page would leave a uffd-wp marker.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int copy_wp_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_copy a = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len,
				 .mode = UFFDIO_COPY_MODE_WP };
	int ret = ioctl(uffd, UFFDIO_COPY, &a);

	*done = a.copy;
	return ret ? -errno : 0;
}

TIMED_PASS(copy_wp, struct uffdio_copy, UFFDIO_COPY,
	   a.dst = (uintptr_t)p->area + off,
	   a.copy, { .src = (uintptr_t)p->src, .len = p->step, .mode = UFFDIO_COPY_MODE_WP })

const struct ioctl_ops ioctl_copy_wp = {
	.name = "copy-wp",
	.ioctl_name = "UFFDIO_COPY",
	.nr = UFFDIO_COPY,
	.bit = _UFFDIO_COPY,
	.mode = REG_MISSING,
	.reg_also = 1u << REG_WP,
	.feature = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	.targets = MEM_ALL,
	.controls = MEM_ANON_PATH,
	.desc = "copy a source buffer into missing pages, write-protected (MODE_WP)",
	.src = SRC_BATCH,
	.expect = { .content = CONTENT_SOURCE, .pagemap_set = PM_PRESENT | PM_UFFD_WP },
	.reset = iop_reset_unprotect,
	.prepare = iop_fill_src,
	.pass = timed_pass_copy_wp,
	.issue = copy_wp_issue,
};
