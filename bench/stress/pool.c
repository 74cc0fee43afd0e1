// SPDX-License-Identifier: MIT
/*
 * The huge page pool is one per machine.  When another process takes pages
 * from it during the run, a hugetlb COPY or fault can fail for want of a
 * page, and what the kernel reports then (ENOMEM, SIGBUS, a page that is
 * "there" or "not there") cannot be told apart from a bug by the contract
 * checks.  The run sizes the pool so that it never runs dry on its own, so
 * the pool counts as shared with another process when: pages were in use
 * before the run; more are in use than the run can hold; a hugetlb ioctl
 * failed with ENOMEM or a read raised SIGBUS; or no unreserved page is free
 * when a hugetlb check fails.  Then a failure on a hugetlb type is a
 * suspect -- printed and counted, not a failure -- and its type is
 * withdrawn from the run (its ranges unregistered, which also wakes any
 * thread left waiting on one of its faults).
 */
#include "stress/stress.h"
#include "core/common.h"
#include "machine/hugepages.h"

#include <stdio.h>

static struct huge_watch *watch_of(struct stress_ctx *c, size_t size)
{
	for (unsigned i = 0; i < c->nr_hw; i++)
		if (c->hw[i].size == size)
			return &c->hw[i];
	return NULL;
}

/* Before anything touches the pools: pages some other process holds. */
void stress_pool_baseline(struct stress_ctx *c)
{
	static const size_t sizes[] = { 2ul << 20, 1ul << 30 };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes) && i < ARRAY_SIZE(c->hw); i++) {
		long nr = hugepages_read(sizes[i], "nr_hugepages");
		long free = hugepages_read(sizes[i], "free_hugepages");

		c->hw[c->nr_hw++] = (struct huge_watch){ .size = sizes[i],
			.before = nr > free && free >= 0 ? nr - free : 0 };
	}
}

void stress_pool_watch(struct stress_ctx *c, size_t size, unsigned long ours)
{
	struct huge_watch *w = watch_of(c, size);

	if (w)
		w->ours = ours;
}

/* Pages of this size in use that are not (or cannot all be) the run's. */
static long foreign_pages(const struct huge_watch *w)
{
	long nr = hugepages_read(w->size, "nr_hugepages");
	long free = hugepages_read(w->size, "free_hugepages");

	if (!w->ours || nr < 0 || free < 0)
		return 0;
	return w->before ? (long)w->before : nr - free - (long)w->ours;
}

/* No unreserved page free: the run's own sizing never gets there. */
static bool pool_dry(const struct huge_watch *w)
{
	long free = hugepages_read(w->size, "free_hugepages");
	long resv = hugepages_read(w->size, "resv_hugepages");

	return free >= 0 && resv >= 0 && free - resv <= 0;
}

static void note_shared(struct huge_watch *w, const char *why)
{
	if (__atomic_exchange_n(&w->shared, 1, __ATOMIC_SEQ_CST))
		return;
	fprintf(stderr, "uffdbench: note: the %zu kB huge page pool is shared with another process "
		"(%s): from now on a hugetlb anomaly is a suspect, not a failure\n", w->size >> 10, why);
}

static void check_one(struct huge_watch *w)
{
	char why[96];
	long n = foreign_pages(w);

	if (n <= 0 || __atomic_load_n(&w->shared, __ATOMIC_RELAXED))
		return;
	snprintf(why, sizeof(why), "%ld pages in use that are not this run's", n);
	note_shared(w, why);
}

/* A hugetlb ioctl failed with ENOMEM, or a read raised SIGBUS. */
void stress_pool_starved(struct stress_ctx *c, const struct stress_type *st)
{
	struct huge_watch *w = watch_of(c, st->mt->huge_size);

	if (w)
		note_shared(w, "it ran dry");
}

/* Main thread, every tick. */
void stress_pool_check(struct stress_ctx *c)
{
	if (c->o.sc->own_pool)
		return;
	for (unsigned i = 0; i < c->nr_hw; i++)
		check_one(&c->hw[i]);
}

bool stress_withdrawn(const struct stress_type *st)
{
	return __atomic_load_n(&st->withdrawn, __ATOMIC_RELAXED);
}

static struct stress_type *type_of(struct stress_ctx *c, int index)
{
	for (unsigned i = 0; i < c->nr_types; i++)
		if (memtype_index(c->type[i].mt) == index)
			return &c->type[i];
	return NULL;
}

/* A failure on a hugetlb type while the pool is shared: true (handled here). */
bool stress_suspect(struct stress_ctx *c, const struct stress_failure *f)
{
	struct stress_type *st = f->type >= 0 ? type_of(c, f->type) : NULL;
	struct huge_watch *w = st && st->mt->huge_size ? watch_of(c, st->mt->huge_size) : NULL;
	char buf[768];

	if (!w || c->o.sc->own_pool)
		return false;	/* a scenario that drains the pool itself judges every answer */
	check_one(w);
	if (pool_dry(w))
		note_shared(w, "no unreserved page free");
	if (!__atomic_load_n(&w->shared, __ATOMIC_SEQ_CST))
		return false;
	stress_format_failure(c, f, buf, sizeof(buf));
	if (!__atomic_fetch_add(&c->suspects, 1, __ATOMIC_SEQ_CST))
		snprintf(c->suspect_first, sizeof(c->suspect_first), "%s", buf);
	if (!__atomic_exchange_n(&st->withdrawn, 1, __ATOMIC_SEQ_CST))
		fprintf(stderr, "uffdbench: suspect (huge page pool shared): %s; %s withdrawn from "
			"the run\n", buf, st->mt->name);
	return true;
}

/* Main thread: unregister what was withdrawn, waking any thread stuck on it. */
void stress_unregister_withdrawn(struct stress_ctx *c)
{
	for (unsigned i = 0; i < c->nr_types; i++) {
		struct stress_type *st = &c->type[i];

		if (st->unregistered || !stress_withdrawn(st))
			continue;
		for (int k = 0; k < RANGE_NR; k++) {
			struct srange *rg = &st->range[k];

			if (!rg->pages)
				continue;
			uffd_unregister(st->uffd, rg->r.area, rg->r.len);
			if (rg->alias_registered)
				uffd_unregister(st->uffd, rg->r.alias, rg->r.len);
		}
		st->unregistered = true;
	}
}
