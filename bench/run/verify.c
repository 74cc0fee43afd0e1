// SPDX-License-Identifier: MIT
#include "run/verify.h"
#include "core/pattern.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PM_PRESENT (1ull << 63)

static bool page_present(int pagemap_fd, const void *addr)
{
	uint64_t entry;
	off_t off = (uintptr_t)addr / (uintptr_t)getpagesize() * sizeof(entry);

	if (pread(pagemap_fd, &entry, sizeof(entry), off) != sizeof(entry))
		return false;
	return entry & PM_PRESENT;
}

/* Is the file's page cache holding this page?  (shmem: mincore asks it.) */
static bool in_page_cache(const struct region *r, size_t i)
{
	unsigned char vec = 0;

	if (mincore(r->alias + i * r->page_size, getpagesize(), &vec))
		return false;
	return vec & 1;
}

static long check_content(const char *page, size_t len, enum uffd_op op, unsigned batch,
			  uint64_t gen, size_t i)
{
	switch (op) {
	case UOP_COPY:
		return pattern_check(page, len, pattern_tag(gen, i % batch));
	case UOP_CONTINUE:
		return pattern_check(page, len, pattern_tag(gen, i));
	default:
		return zero_check(page, len);
	}
}

static void __attribute__((format(printf, 2, 3)))
mismatch(struct verify_result *v, const char *fmt, ...)
{
	va_list ap;

	if (v->mismatches++)
		return;
	va_start(ap, fmt);
	vsnprintf(v->first_error, sizeof(v->first_error), fmt, ap);
	va_end(ap);
}

void verify_page(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 int pagemap_fd, size_t i, struct verify_result *v)
{
	const char *page = r->area + i * r->page_size;
	long bad;

	v->pages_checked++;
	if (!page_present(pagemap_fd, page)) {
		mismatch(v, "page %zu not present after %s", i, uop_name(op));
		return;
	}
	bad = check_content(page, r->page_size, op, batch, gen, i);
	if (bad >= 0) {
		mismatch(v, "page %zu: wrong byte at %ld after %s (gen %lu)", i, bad, uop_name(op),
			 (unsigned long)gen);
		return;
	}
	if (r->mt->shared && r->alias) {
		bad = check_content(r->alias + i * r->page_size, r->page_size, op, batch, gen, i);
		if (bad >= 0)
			mismatch(v, "page %zu: shared view differs at byte %ld after %s", i, bad,
				 uop_name(op));
		return;
	}
	if (!r->mt->shared && !r->mt->huge_size && r->alias && op != UOP_CONTINUE &&
	    in_page_cache(r, i))
		mismatch(v, "page %zu: private %s reached the file's page cache", i, uop_name(op));
}

void verify_pass(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 enum verify_mode mode, int pagemap_fd, struct verify_result *v)
{
	size_t pages = r->len / r->page_size;
	size_t stride = 1;

	if (mode == VERIFY_SAMPLE && pages > VERIFY_SAMPLES)
		stride = (pages - 1) / (VERIFY_SAMPLES - 1);
	for (size_t i = 0; i < pages; i += stride)
		verify_page(r, op, batch, gen, pagemap_fd, i, v);
	if ((pages - 1) % stride)
		verify_page(r, op, batch, gen, pagemap_fd, pages - 1, v);
}
