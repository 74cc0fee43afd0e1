// SPDX-License-Identifier: MIT
/*
 * UFFDIO_WRITEPROTECT clearing protection (mode 0, waking no one: nothing
 * waits) over populated pages the prepare step protected.  A control.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int unprotect_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_writeprotect a = { .range = { .start = (uintptr_t)dst, .len = len } };
	int ret = ioctl(uffd, UFFDIO_WRITEPROTECT, &a);

	(void)src;
	*done = ret ? -errno : (int64_t)len;
	return ret ? -errno : 0;
}

static int protect_view(struct ioctl_target *t, uint64_t gen)
{
	int ret = iop_populate_view(t, gen);

	return ret ? ret : iop_protect(t, true);
}

TIMED_PASS(unprotect, struct uffdio_writeprotect, UFFDIO_WRITEPROTECT,
	   a.range.start = (uintptr_t)p->area + off,
	   (int64_t)p->step, { .range.len = p->step })

const struct ioctl_ops ioctl_unprotect = {
	.name = "unprotect",
	.ioctl_name = "UFFDIO_WRITEPROTECT",
	.nr = UFFDIO_WRITEPROTECT,
	.bit = _UFFDIO_WRITEPROTECT,
	.mode = REG_WP,
	.feature = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	.targets = MEM_ALL,
	.controls = MEM_ALL,
	.desc = "clear write protection of protected pages (MODE_WP; uffd-wp bit gone)",
	.writes_view = true,
	.expect = { .content = CONTENT_PAGE, .pagemap_set = PM_PRESENT,
		    .pagemap_clear = PM_UFFD_WP },
	.reset = iop_reset_unprotect,
	.prepare = protect_view,
	.pass = timed_pass_unprotect,
	.issue = unprotect_issue,
};
