// SPDX-License-Identifier: MIT
/* MAP_SHARED|MAP_ANONYMOUS: shmem without a visible file. */
#include "memtypes/memtype.h"

#include <errno.h>
#include <sys/mman.h>

/* No fd to punch: MADV_REMOVE frees the backing shmem pages. */
static int shmem_anon_reset(struct region *r)
{
	return madvise(r->area, r->len, MADV_REMOVE) ? -errno : 0;
}

const struct memtype_ops memtype_shmem_anon = {
	.name = "shmem-anon",
	.desc = "MAP_SHARED|MAP_ANONYMOUS (shmem behind the scenes)",
	.backing = "shmem",
	.shared = true,
	.setup = mt_anon_shared_setup,
	.reset = shmem_anon_reset,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
