// SPDX-License-Identifier: MIT
/* UFFDIO_ZEROPAGE: map zeroed pages into missing pages. */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>
#include <sys/ioctl.h>

static int zeropage_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_zeropage a = { .range = { .start = (uintptr_t)dst, .len = len } };
	int ret = ioctl(uffd, UFFDIO_ZEROPAGE, &a);

	(void)src;
	*done = a.zeropage;
	return ret ? -errno : 0;
}

const struct ioctl_ops ioctl_zeropage = {
	.name = "zeropage",
	.ioctl_name = "UFFDIO_ZEROPAGE",
	.nr = UFFDIO_ZEROPAGE,
	.bit = _UFFDIO_ZEROPAGE,
	.mode = REG_MISSING,
	.desc = "map zeroed pages into missing pages",
	.resolves_faults = true,
	.expect = { .content = CONTENT_ZERO, .pagemap_set = PM_PRESENT },
	.reset = iop_reset_type,
	.prepare = iop_none,
	.pass = pass_zeropage,
	.issue = zeropage_issue,
};
