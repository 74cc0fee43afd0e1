/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_IOCTLS_UAPI_H
#define UFFDBENCH_IOCTLS_UAPI_H

/*
 * The userfaultfd uapi, with what the build machine's header may predate
 * (Debian 12 ships 6.1's): UFFDIO_MOVE (6.8), UFFDIO_POISON (6.6) and their
 * feature bits, as include/uapi/linux/userfaultfd.h defines them.  A kernel
 * that lacks one answers EINVAL or ENOTTY: a skipped cell, never a build break.
 */
#include <linux/userfaultfd.h>

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

#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED		(1 << 13)
#endif
#ifndef UFFD_FEATURE_POISON
#define UFFD_FEATURE_POISON			(1 << 14)
#endif
#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE			(1 << 16)
#endif

#endif
