/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_IOCTLS_UAPI_H
#define UFFDBENCH_IOCTLS_UAPI_H

/*
 * The userfaultfd uapi, with what the build machine's header may predate
 * (Debian 12 ships 6.1's), as include/uapi/linux/userfaultfd.h defines it.
 * An ioctl newer than that header defines its struct and feature bit in its
 * own file, under #ifndef.  A kernel that lacks one answers EINVAL or
 * ENOTTY: a skipped cell, never a build break.
 */
#include <linux/userfaultfd.h>

#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED		(1 << 13)
#endif

#endif
