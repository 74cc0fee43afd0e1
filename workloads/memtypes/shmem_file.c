// SPDX-License-Identifier: MIT
/* A file on a tmpfs mount ($UFFDBENCH_TMPFS, default /dev/shm), MAP_SHARED. */
#include "memtypes/memtype.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/vfs.h>

static const char *tmpfs_dir(void)
{
	const char *dir = getenv("UFFDBENCH_TMPFS");

	return dir && *dir ? dir : "/dev/shm";
}

static const char *shmem_file_unavailable(void)
{
	struct statfs sfs;

	if (statfs(tmpfs_dir(), &sfs) || sfs.f_type != TMPFS_MAGIC)
		return "no tmpfs at $UFFDBENCH_TMPFS (default /dev/shm)";
	return NULL;
}

static int shmem_file_setup(struct region *r, size_t len)
{
	return mt_file_setup(r, len, tmpfs_dir(), MAP_SHARED);
}

const struct memtype_ops memtype_shmem_file = {
	.name = "shmem-file",
	.desc = "a file on tmpfs ($UFFDBENCH_TMPFS, default /dev/shm), MAP_SHARED",
	.backing = "shmem",
	.shared = true,
	.unavailable = shmem_file_unavailable,
	.setup = shmem_file_setup,
	.reset = mt_punch_hole,
	.populate = mt_populate_alias,
	.punch = mt_punch_file,
	.teardown = mt_unmap,
};
