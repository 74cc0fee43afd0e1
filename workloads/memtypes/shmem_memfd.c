// SPDX-License-Identifier: MIT
/* memfd, MAP_SHARED: the series turns its per-page calls indirect. */
#include "memtypes/memtype.h"

#include <sys/mman.h>

static int shmem_memfd_setup(struct region *r, size_t len)
{
	return mt_memfd_setup(r, len, 0, MAP_SHARED);
}

const struct memtype_ops memtype_shmem_memfd = {
	.name = "shmem-memfd",
	.desc = "memfd, MAP_SHARED; COPY/ZEROPAGE/CONTINUE become indirect calls",
	.backing = "shmem",
	.shared = true,
	.setup = shmem_memfd_setup,
	.reset = mt_punch_hole,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
