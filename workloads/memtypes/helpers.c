// SPDX-License-Identifier: MIT
/* The pieces the memory-type tables are assembled from. */
#include "memtypes/memtype.h"
#include "core/pattern.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/*
 * Transparent huge pages would change what a "page" is under the ioctl
 * (shmem_enabled=always makes shmem allocate huge folios): keep the measured
 * ranges on base pages so every kernel is measured doing the same work.
 */
static void no_thp(struct region *r)
{
	if (!r->mt->huge_size)
		madvise(r->area, r->len, MADV_NOHUGEPAGE);
}

static int map_fd(struct region *r, int map_flags)
{
	r->area = mmap(NULL, r->len, PROT_READ | PROT_WRITE, map_flags, r->fd, 0);
	if (r->area == MAP_FAILED)
		goto fail;
	r->alias = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->alias == MAP_FAILED)
		goto fail_alias;
	no_thp(r);
	return 0;

fail_alias:
	munmap(r->area, r->len);
fail:
	r->area = r->alias = NULL;
	return -errno;
}

int mt_memfd_setup(struct region *r, size_t len, unsigned mfd_flags, int map_flags)
{
	int ret;

	r->len = len;
	r->fd = memfd_create("uffdbench", MFD_CLOEXEC | mfd_flags);
	if (r->fd < 0)
		return -errno;
	if (ftruncate(r->fd, len))
		goto fail;
	ret = map_fd(r, map_flags);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	return 0;
fail:
	ret = -errno;
	close(r->fd);
	r->fd = -1;
	return ret;
}

/*
 * MAP_SHARED|MAP_ANONYMOUS has no fd; mremap() with old_size 0 makes a
 * second mapping of the same shmem object, which serves as the alias.
 */
int mt_anon_shared_setup(struct region *r, size_t len)
{
	r->len = len;
	r->fd = -1;
	r->area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->area == MAP_FAILED)
		goto fail;
	r->alias = mremap(r->area, 0, len, MREMAP_MAYMOVE);
	if (r->alias == MAP_FAILED) {
		int err = -errno;

		munmap(r->area, len);
		r->area = r->alias = NULL;
		return err;
	}
	no_thp(r);
	return 0;
fail:
	r->area = r->alias = NULL;
	return -errno;
}

/* A real file on a tmpfs mount, unlinked at once so a crash leaves nothing. */
int mt_file_setup(struct region *r, size_t len, const char *dir, int map_flags)
{
	char path[4096];
	struct statfs sfs;
	int ret;

	if (statfs(dir, &sfs))
		return -errno;
	if (sfs.f_type != TMPFS_MAGIC)
		return -ENOTSUP;
	snprintf(path, sizeof(path), "%s/uffdbench.XXXXXX", dir);
	r->len = len;
	r->fd = mkostemp(path, O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	unlink(path);
	if (ftruncate(r->fd, len)) {
		ret = -errno;
		goto fail;
	}
	ret = map_fd(r, map_flags);
	if (!ret)
		return 0;
fail:
	close(r->fd);
	r->fd = -1;
	return ret;
}

int mt_punch_hole(struct region *r)
{
	if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, r->len))
		return -errno;
	return 0;
}

int mt_zap(struct region *r)
{
	return madvise(r->area, r->len, MADV_DONTNEED) ? -errno : 0;
}

int mt_punch_zap(struct region *r, size_t i, size_t n)
{
	size_t ps = r->page_size;

	return madvise(r->area + i * ps, n * ps, MADV_DONTNEED) ? -errno : 0;
}

/* Private copies first (a private view), then the file's pages. */
int mt_punch_file(struct region *r, size_t i, size_t n)
{
	size_t ps = r->page_size;
	int ret = r->mt->shared ? 0 : mt_punch_zap(r, i, n);

	if (ret)
		return ret;
	if (r->fd >= 0)
		ret = fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, i * ps, n * ps);
	else
		ret = madvise(r->area + i * ps, n * ps, MADV_REMOVE);
	return ret ? -errno : 0;
}

/* A private view of a file: drop the private copies, then the file's pages. */
int mt_zap_and_punch(struct region *r)
{
	int ret = mt_zap(r);

	return ret ? ret : mt_punch_hole(r);
}

/*
 * CONTINUE needs pages in the page cache that the registered view does not
 * map: write them through the alias, then zap the registered view.
 */
int mt_populate_alias(struct region *r, uint64_t gen)
{
	/* an emptied hugetlb pool: an error here rather than a SIGBUS below */
	if (madvise(r->alias, r->len, MADV_POPULATE_WRITE))
		return -errno;
	for (size_t i = 0; i < r->len / r->page_size; i++)
		pattern_fill(r->alias + i * r->page_size, r->page_size, pattern_tag(gen, i));
	return mt_zap(r);
}

void mt_unmap(struct region *r)
{
	if (r->area)
		munmap(r->area, r->len);
	if (r->alias)
		munmap(r->alias, r->len);
	if (r->fd >= 0)
		close(r->fd);
	r->area = r->alias = NULL;
	r->fd = -1;
}

const char *mt_hugetlb_unavailable(size_t huge_size)
{
	static __thread char why[96];
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%zukB", huge_size >> 10);
	if (access(path, F_OK) == 0)
		return NULL;
	snprintf(why, sizeof(why), "no %zu MiB hugetlb page size on this machine", huge_size >> 20);
	return why;
}
