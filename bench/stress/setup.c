// SPDX-License-Identifier: MIT
/*
 * Which memory types take part (what caps saw work, huge pages that can be
 * had), their two ranges each, one userfaultfd per type, and taking it all
 * down again.  The MISSING range serves the ops registered MISSING (COPY and
 * ZEROPAGE), the MINOR range those registered MINOR (CONTINUE), and its alias
 * is registered MISSING too, so the page cache is refilled with the op that
 * fills a missing page from a source (COPY): a page appears whole or not at
 * all.
 */
#include "stress/stress.h"
#include "core/common.h"
#include "machine/hugepages.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_BATCH_BASE 16
#define HUGE_1G (1ul << 30)
#define THP_PAGES 1536		/* thp-split: 6 MiB of base pages, at least two aligned THPs */

static void skip(struct stress_ctx *c, const char *name, const char *why)
{
	size_t n = strlen(c->skipped);

	appendf(c->skipped, sizeof(c->skipped), &n, "%s%s: %s", n ? "; " : "", name, why);
}

static unsigned working_ops(struct stress_ctx *c, const struct memtype_ops *mt, char *why,
			    size_t len)
{
	unsigned ops = 0;

	for (int op = 0; op < UOP_NR; op++)
		if ((stress_ops_of(SK_IOCTLS) & (1u << op)) &&
		    !caps_skip_reason(&c->caps, mt, op, why, len))
			ops |= 1u << op;
	return ops;
}

static size_t range_pages(const struct stress_ctx *c, const struct memtype_ops *mt)
{
	size_t p = c->o.pages / 64;

	if (!mt->huge_size)
		return c->o.sc->thp && c->o.pages < THP_PAGES ? THP_PAGES : c->o.pages;
	if (mt->huge_size >= HUGE_1G)
		return 1;
	return p < 2 ? 2 : p;
}

/* A type the scenario does not use: why, or NULL. */
static const char *not_in_scenario(const struct stress_ctx *c, const struct memtype_ops *mt,
				   unsigned ops)
{
	const struct stress_scenario *sc = c->o.sc;

	if (sc->backing && strcmp(mt->backing, sc->backing))
		return "not a memory type of this scenario";
	if (sc->worker_kinds && !(ops & stress_ops_of(sc->worker_kinds)))
		return "none of this scenario's ioctls works on it";
	return NULL;
}

/* The types asked for that caps saw at least one ioctl work on. */
static void choose_types(struct stress_ctx *c)
{
	char why[160];

	for (unsigned i = 0; i < nr_memtypes && i < CAPS_MAX_MEMTYPES; i++) {
		const struct memtype_ops *mt = memtypes[i];
		struct stress_type *st = &c->type[c->nr_types];
		unsigned ops;

		if (!(c->o.memtypes & (1ull << i)))
			continue;
		ops = working_ops(c, mt, why, sizeof(why));
		if (ops && mt->huge_size >= HUGE_1G && !c->o.named_1g) {
			/* a 4-minute default run checked 138k pages with it, millions without */
			skip(c, mt->name, "only when --memtype names it: each 1 GiB copy takes "
			     "about a second and starves the other types");
			continue;
		}
		if (ops && not_in_scenario(c, mt, ops)) {
			if (c->o.named)
				skip(c, mt->name, not_in_scenario(c, mt, ops));
			continue;
		}
		if (!ops) {
			skip(c, mt->name, why);
			continue;
		}
		*st = (struct stress_type){ .mt = mt, .ops = ops, .uffd = -1,
			.page_size = memtype_page_size(mt) };
		st->max_batch = mt->huge_size ? (mt->huge_size >= HUGE_1G ? 1 : 2) : MAX_BATCH_BASE;
		for (int op = 0; op < UOP_NR; op++)
			if (ops & (1u << op))
				st->range[stress_op_range(op)].pages = range_pages(c, mt);
		c->nr_types++;
	}
}

/* Huge pages for every hugetlb type of one size at once; the types drop out if not. */
static void ensure_huge(struct stress_ctx *c, size_t size, unsigned margin)
{
	unsigned long need = 0;
	char why[160];
	bool ok;

	for (unsigned i = 0; i < c->nr_types; i++)
		if (c->type[i].mt->huge_size == size)
			for (int k = 0; k < RANGE_NR; k++)
				need += memtype_huge_pages_needed(c->type[i].mt,
								  c->type[i].range[k].pages);
	if (!need)
		return;
	/* a COPY whose source faults allocates a temporary page: a margin */
	ok = !hugepages_ensure(size, need + margin, why, sizeof(why));
	if (ok)
		stress_pool_watch(c, size, need + margin);
	for (unsigned i = 0; i < c->nr_types; i++) {
		struct stress_type *st = &c->type[i];

		if (st->mt->huge_size != size)
			continue;
		st->huge_ready = ok;
		if (ok)
			continue;
		st->range[RANGE_MISSING].pages = st->range[RANGE_MINOR].pages = 0;
		skip(c, st->mt->name, why);
	}
}

static void drop_unready(struct stress_ctx *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->nr_types; i++)
		if (c->type[i].range[0].pages + c->type[i].range[1].pages)
			c->type[n++] = c->type[i];
	c->nr_types = n;
}

static int setup_range(struct stress_type *st, enum range_kind k, unsigned type_index)
{
	struct srange *rg = &st->range[k];
	size_t bytes = rg->pages * sizeof(*rg->ps);

	rg->st = st;
	rg->kind = k;
	rg->rid = type_index * RANGE_NR + k;
	rg->r = (struct region){ .mt = st->mt, .fd = -1, .page_size = st->page_size };
	rg->ps = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rg->ps == MAP_FAILED) {
		rg->ps = NULL;
		return -errno;
	}
	/* A minor range starts as holes, which a read turns into zero pages. */
	for (size_t i = 0; k == RANGE_MINOR && i < rg->pages; i++)
		rg->ps[i].zero_gen = 1;
	return st->mt->setup(&rg->r, rg->pages * st->page_size);
}

/* Map every range; 0, or -1 with err. */
int stress_setup(struct stress_ctx *c, char *err, size_t errlen)
{
	unsigned fillers = c->o.threads + c->o.handlers + 2;
	int ret;

	choose_types(c);
	ensure_huge(c, 2ul << 20, fillers);
	ensure_huge(c, HUGE_1G, 1);
	drop_unready(c);
	if (!c->nr_types) {
		snprintf(err, errlen, "no memory type can run here (%s)", c->skipped);
		return -1;
	}
	for (unsigned i = 0; i < c->nr_types; i++) {
		struct stress_type *st = &c->type[i];
		size_t src = st->page_size * st->max_batch;

		c->src_len = src > c->src_len ? src : c->src_len;
		for (int k = 0; k < RANGE_NR; k++) {
			if (!st->range[k].pages)
				continue;
			ret = setup_range(st, k, memtype_index(st->mt));
			if (!ret && c->o.sc->thp && !st->mt->huge_size)
				madvise(st->range[k].r.area, st->range[k].r.len, MADV_HUGEPAGE);
			if (ret) {
				snprintf(err, errlen, "cannot map %s (%s range): %s", st->mt->name,
					 stress_range_name(k), errno_name(ret));
				return -1;
			}
		}
	}
	return 0;
}

static int register_type(struct stress_ctx *c, struct stress_type *st, char *err, size_t errlen)
{
	struct srange *miss = &st->range[RANGE_MISSING], *minor = &st->range[RANGE_MINOR];
	int ret = 0;

	st->uffd = uffd_new(c->features, NULL);
	if (st->uffd < 0) {
		snprintf(err, errlen, "userfaultfd for %s: %s", st->mt->name, errno_name(st->uffd));
		return -1;
	}
	if (miss->pages)
		ret = uffd_register(st->uffd, miss->r.area, miss->r.len, REG_MISSING, NULL);
	if (!ret && minor->pages)
		ret = uffd_register(st->uffd, minor->r.area, minor->r.len, REG_MINOR, NULL);
	if (ret) {
		snprintf(err, errlen, "register %s: %s", st->mt->name, errno_name(ret));
		return -1;
	}
	/* refilled by the op that fills a missing page from a source */
	if (minor->pages && minor->r.alias && stress_op(UOP_ALL, SK_COPY) >= 0)
		minor->alias_registered = !uffd_register(st->uffd, minor->r.alias, minor->r.len,
							 REG_MISSING, NULL);
	return 0;
}

int stress_register(struct stress_ctx *c, char *err, size_t errlen)
{
	for (unsigned i = 0; i < c->nr_types; i++)
		if (register_type(c, &c->type[i], err, errlen))
			return -1;
	return 0;
}

void stress_teardown(struct stress_ctx *c)
{
	for (unsigned i = 0; i < c->nr_types; i++) {
		struct stress_type *st = &c->type[i];

		if (st->uffd >= 0)
			close(st->uffd);
		st->uffd = -1;
		for (int k = 0; k < RANGE_NR; k++) {
			struct srange *rg = &st->range[k];

			if (rg->r.area || rg->r.fd >= 0)
				st->mt->teardown(&rg->r);
			if (rg->ps)
				munmap(rg->ps, rg->pages * sizeof(*rg->ps));
			rg->ps = NULL;
		}
	}
}

struct srange *stress_find_range(struct stress_ctx *c, int uffd, uint64_t addr, bool *alias)
{
	for (unsigned i = 0; i < c->nr_types; i++) {
		struct stress_type *st = &c->type[i];

		if (st->uffd != uffd)
			continue;
		for (int k = 0; k < RANGE_NR; k++) {
			struct srange *rg = &st->range[k];
			uintptr_t a = (uintptr_t)rg->r.area, b = (uintptr_t)rg->r.alias;

			if (!rg->pages)
				continue;
			*alias = false;
			if (addr >= a && addr < a + rg->r.len)
				return rg;
			*alias = true;
			if (rg->alias_registered && addr >= b && addr < b + rg->r.len)
				return rg;
		}
	}
	return NULL;
}
