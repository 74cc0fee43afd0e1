// SPDX-License-Identifier: MIT
/*
 * memfd, MAP_PRIVATE: COPY/ZEROPAGE take the anonymous path (control);
 * CONTINUE is allowed before the series and -EINVAL after (a functional change).
 */
#include "memtypes/memtype.h"

#include <sys/mman.h>

static int shmem_private_setup(struct region *r, size_t len)
{
	return mt_memfd_setup(r, len, 0, MAP_PRIVATE);
}

const struct memtype_ops memtype_shmem_private = {
	.name = "shmem-private",
	.desc = "memfd, MAP_PRIVATE; COPY control, probe for CONTINUE's new VM_SHARED check",
	.backing = "shmem",
	.shared = false,
	.setup = shmem_private_setup,
	.reset = mt_zap_and_punch,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
