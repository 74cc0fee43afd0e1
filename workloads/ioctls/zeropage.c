// SPDX-License-Identifier: MIT
/* UFFDIO_ZEROPAGE: map zeroed pages into missing pages. */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int zeropage_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_zeropage a = { .range = { .start = (uintptr_t)dst, .len = len } };
	int ret = ioctl(uffd, UFFDIO_ZEROPAGE, &a);

	(void)src;
	*done = a.zeropage;
	return ret ? -errno : 0;
}

TIMED_PASS(zeropage, struct uffdio_zeropage, UFFDIO_ZEROPAGE,
	   a.range.start = (uintptr_t)p->area + off,
	   a.zeropage, { .range.len = p->step })

const struct ioctl_ops ioctl_zeropage = {
	.name = "zeropage",
	.ioctl_name = "UFFDIO_ZEROPAGE",
	.nr = UFFDIO_ZEROPAGE,
	.bit = _UFFDIO_ZEROPAGE,
	.mode = REG_MISSING,
	.targets = MEM_ANON | MEM_SHMEM | MEM_SHMEM_PRIVATE,
	.controls = MEM_ANON_PATH,
	.desc = "map zeroed pages into missing pages",
	.resolves_faults = true,
	.expect = { .content = CONTENT_ZERO, .pagemap_set = PM_PRESENT },
	.reset = iop_reset_type,
	.prepare = iop_none,
	.pass = timed_pass_zeropage,
	.issue = zeropage_issue,
};
