// SPDX-License-Identifier: MIT
#include "verify/verify.h"
#include "core/pattern.h"
#include "core/sigbus.h"
#include "core/uffd.h"
#include "memtypes/memtype.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* The pagemap entry of addr; 0 if it cannot be read (as a missing page). */
static uint64_t pagemap_entry(int pagemap_fd, const void *addr)
{
	uint64_t entry;
	off_t off = (uintptr_t)addr / (uintptr_t)getpagesize() * sizeof(entry);

	if (pread(pagemap_fd, &entry, sizeof(entry), off) != sizeof(entry))
		return 0;
	return entry;
}

/* Is the file's page cache holding this page?  (shmem: mincore asks it.) */
static bool in_page_cache(const struct region *r, size_t i)
{
	unsigned char vec = 0;

	if (mincore(r->alias + i * r->page_size, getpagesize(), &vec))
		return false;
	return vec & 1;
}

static long check_content(const char *page, size_t len, enum ioctl_content content,
			  unsigned batch, uint64_t gen, size_t i, bool stamped)
{
	if (stamped && (content == CONTENT_SOURCE || content == CONTENT_PAGE))
		return pattern_check_stamped(page, len, gen, i);
	if (content == CONTENT_SOURCE)
		return pattern_check(page, len, pattern_tag(gen, i % batch));
	if (content == CONTENT_PAGE)
		return pattern_check(page, len, pattern_tag(gen, i));
	return zero_check(page, len);
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

/* What a pagemap bit the ioctl promised says when it is wrong. */
static const char *bit_error(uint64_t bit, bool want)
{
	if (bit == PM_PRESENT)
		return want ? "not present" : "present";
	if (bit == PM_UFFD_WP)
		return want ? "not write-protected (pagemap uffd-wp bit clear)" :
			      "still write-protected (pagemap uffd-wp bit set)";
	if (bit == PM_SWAP)
		return want ? "without a marker (pagemap swap bit clear)" : "with a marker";
	return want ? "lacks a pagemap bit" : "has a pagemap bit";
}

/* The pagemap bits x promised; false (a mismatch noted) if one is wrong. */
static bool check_pagemap(const struct ioctl_expect *x, uint64_t entry, size_t i,
			  const char *op, struct verify_result *v)
{
	for (int b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;

		if ((x->pagemap_set & bit) && !(entry & bit))
			mismatch(v, "page %zu %s after %s", i, bit_error(bit, true), op);
		else if ((x->pagemap_clear & bit) && (entry & bit))
			mismatch(v, "page %zu %s after %s", i, bit_error(bit, false), op);
		else
			continue;
		return false;
	}
	return true;
}

static void check_page(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		       int pagemap_fd, size_t i, struct verify_result *v, bool stamped)
{
	const struct ioctl_expect *x = &ioctls[op]->expect;
	const char *page = r->area + i * r->page_size;
	long bad;

	v->pages_checked++;
	if (!check_pagemap(x, pagemap_entry(pagemap_fd, page), i, uop_name(op), v))
		return;
	if (x->content == CONTENT_SIGBUS) {
		if (sigbus_probe(page) != 1)
			mismatch(v, "page %zu: read without SIGBUS after %s", i, uop_name(op));
		return;
	}
	bad = check_content(page, r->page_size, x->content, batch, gen, i, stamped);
	if (bad >= 0) {
		mismatch(v, "page %zu: wrong byte at %ld after %s (gen %lu)", i, bad, uop_name(op),
			 (unsigned long)gen);
		return;
	}
	if (r->mt->shared && r->alias) {
		bad = check_content(r->alias + i * r->page_size, r->page_size, x->content, batch,
				    gen, i, stamped);
		if (bad >= 0)
			mismatch(v, "page %zu: shared view differs at byte %ld after %s", i, bad,
				 uop_name(op));
		return;
	}
	if (!r->mt->shared && !r->mt->huge_size && r->alias && ioctls[op]->resolves_faults &&
	    !ioctls[op]->from_page_cache && in_page_cache(r, i))
		mismatch(v, "page %zu: private %s reached the file's page cache", i, uop_name(op));
}

void verify_page(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 int pagemap_fd, size_t i, struct verify_result *v)
{
	check_page(r, op, batch, gen, pagemap_fd, i, v, false);
}

void verify_page_stamped(const struct region *r, enum uffd_op op, uint64_t gen, int pagemap_fd,
			 size_t i, struct verify_result *v)
{
	check_page(r, op, 1, gen, pagemap_fd, i, v, true);
}

/* Calls fn on the pages a mode checks: all, or VERIFY_SAMPLES spread out. */
static void for_each_checked(size_t pages, enum verify_mode mode,
			     void (*fn)(const void *, size_t, void *), const void *a, void *b)
{
	size_t stride = 1;

	if (mode == VERIFY_SAMPLE && pages > VERIFY_SAMPLES)
		stride = (pages - 1) / (VERIFY_SAMPLES - 1);
	for (size_t i = 0; i < pages; i += stride)
		fn(a, i, b);
	if ((pages - 1) % stride)
		fn(a, pages - 1, b);
}

struct pass_args {
	const struct region *r;
	enum uffd_op op;
	unsigned batch;
	uint64_t gen;
	int pagemap_fd;
};

static void pass_page(const void *a, size_t i, void *v)
{
	const struct pass_args *p = a;

	verify_page(p->r, p->op, p->batch, p->gen, p->pagemap_fd, i, v);
}

void verify_pass(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 enum verify_mode mode, int pagemap_fd, struct verify_result *v)
{
	struct pass_args a = { r, op, batch, gen, pagemap_fd };

	for_each_checked(r->len / r->page_size, mode, pass_page, &a, v);
}

struct target_args {
	const struct ioctl_target *t;
	int pagemap_fd;
	verify_sigbus_why *why;
	bool after_reset;
};

/* Why page i raised SIGBUS after the reset: the caller's reason, or the marker. */
static const char *sigbus_cause(const struct target_args *ta)
{
	const char *why = ta->why ? ta->why(ta->t->r) : NULL;

	return why ? why : "the marker survived";
}

static void target_page(const void *a, size_t i, void *v)
{
	const struct target_args *ta = a;
	const struct ioctl_target *t = ta->t;
	size_t off = i * t->r->page_size;

	if (ta->after_reset) {
		if (pagemap_entry(ta->pagemap_fd, t->r->area + off) & (PM_PRESENT | PM_SWAP))
			mismatch(v, "page %zu: the reset left it mapped or marked after %s", i,
				 t->io->name);
		else if (sigbus_probe(t->r->area + off) == 1)
			mismatch(v, "page %zu: SIGBUS after the reset: %s", i, sigbus_cause(ta));
		return;
	}
	if (pagemap_entry(ta->pagemap_fd, t->src + off) & PM_PRESENT)
		mismatch(v, "page %zu: still in the source after %s", i, t->io->name);
}

/*
 * Markers are checked by touching pages, which on a registered range would
 * wait for a fault handler if the marker were missing: touch them with the
 * range unregistered, where a missing page simply maps.
 */
int verify_target(struct ioctl_target *t, uint64_t gen, enum verify_mode mode,
		  int pagemap_fd, verify_sigbus_why *why, struct verify_result *v)
{
	const struct ioctl_expect *x = &t->io->expect;
	bool touches = x->content == CONTENT_SIGBUS || x->reset_clears;
	struct target_args a = { t, pagemap_fd, why, false };
	size_t pages = t->r->len / t->r->page_size;
	int ret;

	if (touches && (ret = uffd_unregister(t->uffd, t->r->area, t->r->len)))
		return ret;
	verify_pass(t->r, t->op, t->batch, gen, mode, pagemap_fd, v);
	if (x->source_empty && t->src)
		for_each_checked(pages, mode, target_page, &a, v);
	if (!touches)
		return 0;
	ret = t->io->reset(t);
	if (ret)
		return ret;
	if (x->reset_clears) {
		a.after_reset = true;
		for_each_checked(pages, mode, target_page, &a, v);
		ret = t->io->reset(t);
	}
	return ret ? ret : uop_register(t->uffd, t->op, t->r->area, t->r->len, NULL);
}
