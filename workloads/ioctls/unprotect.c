// SPDX-License-Identifier: MIT
/*
 * UFFDIO_WRITEPROTECT clearing protection (mode 0, waking no one: nothing
 * waits) over populated pages the prepare step protected.  A control.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>
#include <sys/ioctl.h>

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

const struct ioctl_ops ioctl_unprotect = {
	.name = "unprotect",
	.ioctl_name = "UFFDIO_WRITEPROTECT",
	.nr = UFFDIO_WRITEPROTECT,
	.bit = _UFFDIO_WRITEPROTECT,
	.mode = REG_WP,
	.feature = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	.desc = "clear write protection of protected pages (MODE_WP; uffd-wp bit gone)",
	.control = true,
	.writes_view = true,
	.pass_mode = 0,
	.expect = { .content = CONTENT_PAGE, .pagemap_set = PM_PRESENT,
		    .pagemap_clear = PM_UFFD_WP },
	.reset = iop_reset_unprotect,
	.prepare = protect_view,
	.pass = pass_writeprotect,
	.issue = unprotect_issue,
};
