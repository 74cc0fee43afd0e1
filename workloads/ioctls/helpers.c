// SPDX-License-Identifier: MIT
/* The pieces the ioctl tables are assembled from: untimed resets and fills. */
#include "ioctls/ioctl.h"
#include "memtypes/memtype.h"
#include "ioctls/uapi.h"
#include "core/pattern.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

int ioctl_target_src(struct ioctl_target *t)
{
	size_t len = t->io->src == SRC_RANGE ? t->r->len : t->batch * t->r->page_size;

	t->src = NULL;
	t->src_len = 0;
	if (t->io->src == SRC_NONE)
		return 0;
	t->src = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->src == MAP_FAILED) {
		t->src = NULL;
		return -errno;
	}
	/* MOVE moves what the source holds: base pages, as the view has. */
	madvise(t->src, len, MADV_NOHUGEPAGE);
	t->src_len = len;
	return 0;
}

void ioctl_target_free_src(struct ioctl_target *t)
{
	if (t->src)
		munmap(t->src, t->src_len);
	t->src = NULL;
	t->src_len = 0;
}

int iop_reset_type(struct ioctl_target *t)
{
	return t->r->mt->reset(t->r);
}

/*
 * A poison marker lives in the page table, not in the file: punching the
 * file leaves it (shmem, 6.18), so zap the view's page tables first.
 */
int iop_reset_zap(struct ioctl_target *t)
{
	int ret = mt_zap(t->r);

	return ret ? ret : t->r->mt->reset(t->r);
}

/*
 * A write-protected shmem or hugetlb page that is punched leaves a uffd-wp
 * marker, which would make the next round's fill fault: unprotect first.
 */
int iop_reset_unprotect(struct ioctl_target *t)
{
	int ret = iop_protect(t, false);

	return ret ? ret : t->r->mt->reset(t->r);
}

int iop_none(struct ioctl_target *t, uint64_t gen)
{
	(void)t;
	(void)gen;
	return 0;
}

int iop_fill_src(struct ioctl_target *t, uint64_t gen)
{
	size_t ps = t->r->page_size, pages = t->src_len / ps;

	if (t->no_pattern)
		return madvise(t->src, t->src_len, MADV_POPULATE_WRITE) ? -errno : 0;

	for (size_t j = 0; j < pages; j++)
		pattern_fill(t->src + j * ps, ps, pattern_tag(gen, j));
	return 0;
}

int iop_populate_cache(struct ioctl_target *t, uint64_t gen)
{
	return t->r->mt->populate ? t->r->mt->populate(t->r, gen) : -EOPNOTSUPP;
}

/*
 * Fault the pages in with MADV_POPULATE_WRITE first: a hugetlb pool another
 * process emptied is then an error (-ENOMEM, -EFAULT), not a SIGBUS on the
 * write after a punch dropped the range's reservations.
 */
int iop_populate_view(struct ioctl_target *t, uint64_t gen)
{
	size_t ps = t->r->page_size;

	if (madvise(t->r->area, t->r->len, MADV_POPULATE_WRITE))
		return -errno;
	if (t->no_pattern)
		return 0;

	for (size_t i = 0; i < t->r->len / ps; i++)
		pattern_fill(t->r->area + i * ps, ps, pattern_tag(gen, i));
	return 0;
}

int iop_protect(struct ioctl_target *t, bool on)
{
	struct uffdio_writeprotect a = {
		.range = { .start = (uintptr_t)t->r->area, .len = t->r->len },
		.mode = on ? UFFDIO_WRITEPROTECT_MODE_WP : 0,
	};

	return ioctl(t->uffd, UFFDIO_WRITEPROTECT, &a) ? -errno : 0;
}
