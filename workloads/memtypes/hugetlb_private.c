// SPDX-License-Identifier: MIT
/*
 * 2 MiB hugetlb memfd, MAP_PRIVATE.  MAP_NORESERVE: the private view would
 * otherwise reserve a second set of huge pages beside the file's.
 */
#include "memtypes/memtype.h"

#include <linux/memfd.h>
#include <sys/mman.h>

#define HUGE_2M (2ul << 20)

static const char *hugetlb_private_unavailable(void)
{
	return mt_hugetlb_unavailable(HUGE_2M);
}

static int hugetlb_private_setup(struct region *r, size_t len)
{
	return mt_memfd_setup(r, len, MFD_HUGETLB | MFD_HUGE_2MB, MAP_PRIVATE | MAP_NORESERVE);
}

const struct memtype_ops memtype_hugetlb_private = {
	.name = "hugetlb-private",
	.desc = "2 MiB hugetlb memfd, MAP_PRIVATE; CONTINUE -EINVAL with the series",
	.backing = "hugetlb",
	.shared = false,
	.huge_size = HUGE_2M,
	.unavailable = hugetlb_private_unavailable,
	.setup = hugetlb_private_setup,
	.reset = mt_zap_and_punch,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
