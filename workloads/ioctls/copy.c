// SPDX-License-Identifier: MIT
/* UFFDIO_COPY: copy a source batch into missing pages. */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

static int copy_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_copy a = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len };
	int ret = ioctl(uffd, UFFDIO_COPY, &a);

	*done = a.copy;
	return ret ? -errno : 0;
}

TIMED_PASS(copy, struct uffdio_copy, UFFDIO_COPY,
	   a.dst = (uintptr_t)p->area + off,
	   a.copy, { .src = (uintptr_t)p->src, .len = p->step })

const struct ioctl_ops ioctl_copy = {
	.name = "copy",
	.ioctl_name = "UFFDIO_COPY",
	.nr = UFFDIO_COPY,
	.bit = _UFFDIO_COPY,
	.mode = REG_MISSING,
	.targets = MEM_ALL,
	.controls = MEM_ANON_PATH,
	.desc = "copy a source buffer into missing pages",
	.resolves_faults = true,
	.src = SRC_BATCH,
	.expect = { .content = CONTENT_SOURCE, .pagemap_set = PM_PRESENT },
	.reset = iop_reset_type,
	.prepare = iop_fill_src,
	.pass = timed_pass_copy,
	.issue = copy_issue,
};
