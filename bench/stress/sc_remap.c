// SPDX-License-Identifier: MIT
/*
 * remap: a range of anonymous memory registered MISSING on a userfaultfd
 * with UFFD_FEATURE_EVENT_REMAP, _REMOVE and _UNMAP.  The scenario thread
 * moves it (mremap to another window), zaps part of it (MADV_DONTNEED),
 * checks it, unmaps it (a placeholder mapped over it: the window is never
 * free for someone else's mmap to land in) and maps a new one, while a copier COPYs into it wherever it is and
 * an event thread reads every event and resolves faults with ZEROPAGE.
 * Checked: each event names exactly the range or sub-range the operation
 * touched (REMAP: old and new address and length; this kernel follows a
 * REMAP with an UNMAP of the whole old place, which is accepted); a COPY answers 0, EEXIST,
 * EAGAIN (the mm is changing) or ENOENT (no registered range there now);
 * after every cycle each page holds zeros or its own index's pattern.
 */
#include "stress/remap.h"
#include "stress/scenario.h"
#include "stress/stress.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

/* Before the operation: the event it must send (the event thread reads these). */
static void expect(struct remap_run *m, uint8_t event, uint64_t a, uint64_t b, uint64_t len)
{
	__atomic_store_n(&m->want_a, a, __ATOMIC_SEQ_CST);
	__atomic_store_n(&m->want_b, b, __ATOMIC_SEQ_CST);
	__atomic_store_n(&m->want_len, len, __ATOMIC_SEQ_CST);
	__atomic_store_n(&m->want_event, event, __ATOMIC_SEQ_CST);
}

/* One move, one zap, one unmap-and-map, then every page checked. */
static int cycle(struct remap_run *m)
{
	int from = m->base == m->slot[1], dest = !from;
	char *old = m->base, *to = m->slot[dest];
	size_t n = 1 + stress_below(m->t, REMAP_PAGES / 4), i = stress_below(m->t, REMAP_PAGES - n);

	expect(m, UFFD_EVENT_REMAP, (uintptr_t)old, (uintptr_t)to, REMAP_LEN);
	__atomic_store_n(&m->old_b, (uintptr_t)old + REMAP_LEN, __ATOMIC_SEQ_CST);
	__atomic_store_n(&m->old_a, (uintptr_t)old, __ATOMIC_SEQ_CST);
	if (mremap(old, REMAP_LEN, REMAP_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to) == MAP_FAILED)
		return remap_fail(m, errno, "mremap");
	__atomic_store_n(&m->base, to, __ATOMIC_SEQ_CST);
	if (remap_reserve(m, &m->slot[from]) || remap_wait_event(m))
		return -1;
	expect(m, UFFD_EVENT_REMOVE, (uintptr_t)to + i * 4096, (uintptr_t)to + (i + n) * 4096, 0);
	if (madvise(to + i * 4096, n * 4096, MADV_DONTNEED))
		return remap_fail(m, errno, "MADV_DONTNEED");
	if (remap_wait_event(m) || remap_check(m))
		return -1;
	expect(m, UFFD_EVENT_UNMAP, (uintptr_t)to, (uintptr_t)to + REMAP_LEN, 0);
	if (remap_unmap(m, to) || remap_wait_event(m))
		return -1;
	return remap_map(m, m->slot[from]);	/* a new range in the first window */
}

static void *remap_thread(void *arg)
{
	struct remap_run m = { .t = arg, .uffd = -1 };

	if (remap_start(&m))
		return NULL;
	while (!stress_stopping(m.t) && !cycle(&m))
		stat_add(&m.t->st.k[SK_ZAP].ops, 1);
	remap_stop(&m);
	return NULL;
}

static int remap_prepare(struct stress_ctx *c, char *why, size_t len)
{
	const uint64_t need = UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE |
			      UFFD_FEATURE_EVENT_UNMAP;
	struct uffd_source src;
	uint64_t have = 0;

	(void)c;
	if (uffd_probe_api(&have, NULL, &src) || (have & need) != need) {
		snprintf(why, len, "this kernel's userfaultfd lacks EVENT_REMAP/REMOVE/UNMAP");
		return -1;
	}
	return 0;
}

const struct stress_scenario sc_remap = {
	.name = "remap",
	.desc = "mremap/MADV_DONTNEED/munmap racing COPY; EVENT_REMAP/REMOVE/UNMAP checked",
	.workers = 0, .zappers = 0, .populaters = 0, .touchers = 0, .checkers = 0, .handlers = 0,
	.forkers = 0, .backing = "anon", .prepare = remap_prepare, .thread = remap_thread,
};
