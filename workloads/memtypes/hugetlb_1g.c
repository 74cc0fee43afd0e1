// SPDX-License-Identifier: MIT
/* 1 GiB hugetlb memfd, MAP_SHARED, where the CPU and kernel have the size. */
#include "memtypes/memtype.h"

#include <linux/memfd.h>
#include <sys/mman.h>

#define HUGE_1G (1ul << 30)

static const char *hugetlb_1g_unavailable(void)
{
	return mt_hugetlb_unavailable(HUGE_1G);
}

static int hugetlb_1g_setup(struct region *r, size_t len)
{
	return mt_memfd_setup(r, len, MFD_HUGETLB | MFD_HUGE_1GB, MAP_SHARED);
}

const struct memtype_ops memtype_hugetlb_1g = {
	.name = "hugetlb-1g",
	.desc = "1 GiB hugetlb memfd, MAP_SHARED, where the machine has 1 GiB pages",
	.backing = "hugetlb",
	.shared = true,
	.huge_size = HUGE_1G,
	.unavailable = hugetlb_1g_unavailable,
	.setup = hugetlb_1g_setup,
	.reset = mt_punch_hole,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
