// SPDX-License-Identifier: MIT
/* 2 MiB hugetlb memfd, MAP_SHARED. */
#include "memtypes/memtype.h"

#include <linux/memfd.h>
#include <sys/mman.h>

#define HUGE_2M (2ul << 20)

static const char *hugetlb_unavailable(void)
{
	return mt_hugetlb_unavailable(HUGE_2M);
}

static int hugetlb_setup(struct region *r, size_t len)
{
	return mt_memfd_setup(r, len, MFD_HUGETLB | MFD_HUGE_2MB, MAP_SHARED);
}

const struct memtype_ops memtype_hugetlb = {
	.name = "hugetlb",
	.desc = "2 MiB hugetlb memfd, MAP_SHARED (ZEROPAGE unsupported by design)",
	.backing = "hugetlb",
	.shared = true,
	.huge_size = HUGE_2M,
	.unavailable = hugetlb_unavailable,
	.setup = hugetlb_setup,
	.reset = mt_punch_hole,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
