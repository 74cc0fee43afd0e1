// SPDX-License-Identifier: MIT
/*
 * The remap scenario's machinery (the scenario itself: sc_remap.c): the
 * range and its two windows, the event thread (reads every event, checks it
 * is the one expected, resolves faults with ZEROPAGE) and the copier (COPYs
 * tagged pages wherever the range is now): the table's ops of those kinds
 * (stress/ops.c).
 */
#include "stress/remap.h"
#include "stress/stress.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define TAG_MAGIC (0x5245ull << 48)	/* "RE" */
#define EVENT_WAIT_MS 5000

static uint64_t tag(size_t i, uint64_t gen)
{
	return TAG_MAGIC | (gen & 0xffffffffull) << 16 | i;
}

int remap_fail(struct remap_run *m, int err, const char *what)
{
	stress_fail_op(m->t, NULL, SK_ZAP, err, 0, what);
	__atomic_store_n(&m->stop, 1, __ATOMIC_SEQ_CST);
	return -1;
}

/*
 * Take a freed window back with a PROT_NONE placeholder, never over anybody
 * else's mapping (MAP_FIXED_NOREPLACE): if another thread's mmap got there
 * first, the window moves elsewhere.
 */
int remap_reserve(struct remap_run *m, char **slot)
{
	char *p = mmap(*slot, REMAP_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (p == *slot)
		return 0;
	if (p != MAP_FAILED)
		munmap(p, REMAP_LEN);	/* an old kernel took the address as a hint */
	p = mmap(NULL, REMAP_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return remap_fail(m, errno, "remap: reserving a window");
	*slot = p;
	return 0;
}

/* Replace the range by a placeholder in one step (no gap): an UNMAP event. */
int remap_unmap(struct remap_run *m, char *at)
{
	if (mmap(at, REMAP_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == at)
		return 0;
	return remap_fail(m, errno, "remap: unmapping the range");
}

int remap_map(struct remap_run *m, char *at)
{
	if (mmap(at, REMAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != at)
		return remap_fail(m, errno, "remap: mapping the range");
	if (uffd_register(m->uffd, at, REMAP_LEN, REG_MISSING, NULL))
		return remap_fail(m, errno, "remap: registering the range");
	__atomic_store_n(&m->base, at, __ATOMIC_SEQ_CST);
	return 0;
}

int remap_wait_event(struct remap_run *m)
{
	struct timespec ms = { 0, 1000 * 1000 };

	for (int i = 0; i < EVENT_WAIT_MS; i++) {
		if (!__atomic_load_n(&m->want_event, __ATOMIC_SEQ_CST))
			return 0;
		if (__atomic_load_n(&m->stop, __ATOMIC_SEQ_CST))
			return -1;
		nanosleep(&ms, NULL);
	}
	return remap_fail(m, ETIMEDOUT, "remap: the expected userfaultfd event never came");
}

static void on_fault(struct remap_run *m, uint64_t addr)
{
	struct uffdio_range r = { addr & ~4095ull, 4096 };
	int64_t done;
	int e = stress_mfill(m->uffd, stress_op(UOP_ALL, SK_ZEROPAGE),
			     (char *)(uintptr_t)(addr & ~4095ull), NULL, 4096, &done);

	if (!e)
		return;
	if (e != EEXIST && e != EAGAIN && e != ENOENT)
		remap_fail(m, e, "remap: ZEROPAGE resolving a fault");
	else
		ioctl(m->uffd, UFFDIO_WAKE, &r);	/* it faults again */
}

static void on_event(struct remap_run *m, const struct uffd_msg *e)
{
	uint8_t want = __atomic_load_n(&m->want_event, __ATOMIC_SEQ_CST);
	uint64_t wa = __atomic_load_n(&m->want_a, __ATOMIC_SEQ_CST);
	uint64_t wb = __atomic_load_n(&m->want_b, __ATOMIC_SEQ_CST);
	uint64_t wlen = __atomic_load_n(&m->want_len, __ATOMIC_SEQ_CST);
	uint64_t a = 0, b = 0, len = 0;

	if (e->event == UFFD_EVENT_PAGEFAULT) {
		__atomic_fetch_add(&m->faults, 1, __ATOMIC_RELAXED);
		on_fault(m, e->arg.pagefault.address);
		return;
	}
	__atomic_fetch_add(&m->nr_events, 1, __ATOMIC_RELAXED);
	if (e->event == UFFD_EVENT_REMAP)
		a = e->arg.remap.from, b = e->arg.remap.to, len = e->arg.remap.len;
	else if (e->event == UFFD_EVENT_REMOVE || e->event == UFFD_EVENT_UNMAP)
		a = e->arg.remove.start, b = e->arg.remove.end;
	if (e->event == UFFD_EVENT_UNMAP && a == __atomic_load_n(&m->old_a, __ATOMIC_SEQ_CST) &&
	    b == __atomic_load_n(&m->old_b, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&m->old_a, 0, __ATOMIC_SEQ_CST);	/* once per move */
		return;
	}
	if (e->event != want || a != wa || b != wb || len != wlen) {
		char what[200];

		snprintf(what, sizeof(what), "remap: event %u (%#lx, %#lx, %lu), expected event %u "
			 "(%#lx, %#lx, %lu)", e->event, (unsigned long)a, (unsigned long)b,
			 (unsigned long)len, want, (unsigned long)wa, (unsigned long)wb,
			 (unsigned long)wlen);
		remap_fail(m, 0, what);
		return;
	}
	__atomic_store_n(&m->want_event, 0, __ATOMIC_SEQ_CST);
}

static void *events(void *arg)
{
	struct remap_run *m = arg;
	struct pollfd p = { .fd = m->uffd, .events = POLLIN };
	struct uffd_msg msg[8];

	while (!__atomic_load_n(&m->events_stop, __ATOMIC_SEQ_CST)) {
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(m->uffd, msg, sizeof(msg));
		for (ssize_t k = 0; k < n / (ssize_t)sizeof(msg[0]); k++)
			on_event(m, &msg[k]);
	}
	return NULL;
}

static void *copier(void *arg)
{
	struct remap_run *m = arg;
	uint64_t x = m->copier_seed, *src = (uint64_t *)m->t->src;
	enum uffd_op op = stress_op(UOP_ALL, SK_COPY);

	while (!__atomic_load_n(&m->stop, __ATOMIC_SEQ_CST)) {
		char *base = __atomic_load_n(&m->base, __ATOMIC_SEQ_CST);
		size_t i = (x ^= x << 13, x ^= x >> 7, x ^= x << 17) % REMAP_PAGES;
		uint64_t gen = __atomic_add_fetch(&m->gen, 1, __ATOMIC_SEQ_CST);
		int64_t done;

		for (int w = 0; w < 512; w++)
			src[w] = tag(i, gen);
		int e = stress_mfill(m->uffd, op, base + i * 4096, (char *)src, 4096, &done);
		int k = !e ? 0 : e == EEXIST ? 1 : e == EAGAIN ? 2 : e == ENOENT ? 3 : -1;

		if (k < 0)
			remap_fail(m, e, "remap: COPY answered outside the contract (0, EEXIST, "
				   "EAGAIN while the mm changes, ENOENT where no range is)");
		else
			__atomic_fetch_add(&m->copies[k], 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Every present page: zeros, or its own index's tag throughout; and one read of a hole. */
int remap_check(struct remap_run *m)
{
	const char *base = __atomic_load_n(&m->base, __ATOMIC_SEQ_CST);
	uint64_t newest = __atomic_load_n(&m->gen, __ATOMIC_SEQ_CST) + 1;

	for (size_t i = 0; i < REMAP_PAGES; i++) {
		const volatile uint64_t *w = (const uint64_t *)(base + i * 4096);
		uint64_t first;

		if (!stress_present(m->t->pagemap, base + i * 4096) && i != newest % REMAP_PAGES)
			continue;
		first = w[0];
		stat_add(&m->t->st.k[SK_CHECK].ops, 1);
		stat_add(&m->t->st.k[SK_CHECK].pages, 1);
		stat_add(first ? &m->t->st.pattern_pages : &m->t->st.zero_pages, 1);
		for (int k = 0; k < 512; k++)
			if (w[k] != first || (first && ((first & 0xffff) != i ||
			    (first & ~0xffffffffffffull) != TAG_MAGIC)))
				return remap_fail(m, 0, "remap: a page holds another offset's "
						  "content, or a mix, after a move");
	}
	return 0;
}

int remap_start(struct remap_run *m)
{
	m->uffd = uffd_new(UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE |
			   UFFD_FEATURE_EVENT_UNMAP, NULL);
	if (m->uffd < 0)
		return remap_fail(m, -m->uffd, "remap: userfaultfd with EVENT_REMAP/REMOVE/UNMAP");
	for (int s = 0; s < 2; s++) {
		m->slot[s] = mmap(NULL, REMAP_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m->slot[s] == MAP_FAILED)
			return remap_fail(m, errno, "remap: reserving a window");
	}
	if (remap_map(m, m->slot[0]))
		return -1;
	m->copier_seed = m->t->rng ^ 0x9e3779b97f4a7c15ull;	/* before the copier starts */
	if (pthread_create(&m->events, NULL, events, m))
		return remap_fail(m, EAGAIN, "remap: event thread");
	if (pthread_create(&m->copier, NULL, copier, m)) {
		__atomic_store_n(&m->events_stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(m->events, NULL);
		return remap_fail(m, EAGAIN, "remap: copier thread");
	}
	m->started = true;
	return 0;
}

void remap_stop(struct remap_run *m)
{
	__atomic_store_n(&m->stop, 1, __ATOMIC_SEQ_CST);
	if (m->started) {
		pthread_join(m->copier, NULL);
		__atomic_store_n(&m->events_stop, 1, __ATOMIC_SEQ_CST);
		pthread_join(m->events, NULL);
	}
	if (m->uffd >= 0)
		close(m->uffd);		/* drops the registration: no event on the unmaps */
	stat_add(&m->t->st.k[SK_COPY].ops, m->copies[0] + m->copies[1] + m->copies[2] + m->copies[3]);
	stat_add(&m->t->st.k[SK_COPY].pages, m->copies[0]);
	stat_add(&m->t->st.k[SK_COPY].out[SO_OK], m->copies[0]);
	stat_add(&m->t->st.k[SK_COPY].out[SO_EEXIST], m->copies[1]);
	stat_add(&m->t->st.k[SK_COPY].out[SO_EAGAIN], m->copies[2]);
	stat_add(&m->t->st.k[SK_FAULT].ops, m->faults);
	printf("remap: %lu cycles (mremap, MADV_DONTNEED, munmap), %lu events checked, %lu faults; "
	       "COPY: %lu ok, %lu EEXIST, %lu EAGAIN, %lu ENOENT (no range there)\n",
	       (unsigned long)m->t->st.k[SK_ZAP].ops, (unsigned long)m->nr_events,
	       (unsigned long)m->faults, (unsigned long)m->copies[0], (unsigned long)m->copies[1],
	       (unsigned long)m->copies[2], (unsigned long)m->copies[3]);
	for (int s = 0; s < 2; s++)
		if (m->slot[s] && m->slot[s] != MAP_FAILED)
			munmap(m->slot[s], REMAP_LEN);
}
