// SPDX-License-Identifier: MIT
/*
 * UFFDIO_MOVE (6.8): move anonymous pages from a source range into missing
 * pages of the registered one, remapping instead of copying.  Private
 * anonymous memory only: shared memory is refused (EINVAL).  Each round
 * refills the source (untimed); afterwards the source must be empty.
 */
#include "ioctls/ioctl.h"
#include "ioctls/uapi.h"
#include "workload.h"

#include <errno.h>

/* What the build's uapi header may predate (6.1's: Debian 12). */
#ifndef _UFFDIO_MOVE
#define _UFFDIO_MOVE			(0x05)
struct uffdio_move {
	__u64 dst;
	__u64 src;
	__u64 len;
#define UFFDIO_MOVE_MODE_DONTWAKE		((__u64)1 << 0)
#define UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES	((__u64)1 << 1)
	__u64 mode;
	__s64 move;
};
#define UFFDIO_MOVE	_IOWR(UFFDIO, _UFFDIO_MOVE, struct uffdio_move)
#endif
#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE			(1 << 16)
#endif

static int move_issue(int uffd, char *dst, const char *src, size_t len, int64_t *done)
{
	struct uffdio_move a = { .dst = (uintptr_t)dst, .src = (uintptr_t)src, .len = len };
	int ret = ioctl(uffd, UFFDIO_MOVE, &a);

	*done = a.move;
	return ret ? -errno : 0;
}

TIMED_PASS(move, struct uffdio_move, UFFDIO_MOVE,
	   (a.dst = (uintptr_t)p->area + off, a.src = (uintptr_t)p->src + off),
	   a.move, { .len = p->step })

const struct ioctl_ops ioctl_move = {
	.name = "move",
	.ioctl_name = "UFFDIO_MOVE",
	.nr = UFFDIO_MOVE,
	.bit = _UFFDIO_MOVE,
	.mode = REG_MISSING,
	.feature = UFFD_FEATURE_MOVE,
	.targets = MEM_ANON,
	.controls = MEM_ALL,
	.desc = "move anonymous pages from a source range into missing pages",
	.src = SRC_RANGE,
	.expect = { .content = CONTENT_PAGE, .pagemap_set = PM_PRESENT, .source_empty = true },
	.reset = iop_reset_type,
	.prepare = iop_fill_src,
	.pass = timed_pass_move,
	.issue = move_issue,
};
