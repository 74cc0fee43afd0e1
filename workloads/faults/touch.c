// SPDX-License-Identifier: MIT
/*
 * The faulting side of the fault workload: walk the pages in pattern order,
 * one touch (a read or a write of the page's first word) each, timed from
 * the faulting thread: clock before the touch, clock after it returns.
 *
 * Whether a touch faulted is told by the handlers: on reading a fault event
 * they bump the faulting thread's faults_seen before resolving it, so the
 * count has moved by the time the touch returns.  Touches of pages a
 * prefetch window already brought in are hits, counted but not timed.
 *
 * Open loop (ctx->interval != 0): touch k of a round is intended to start at
 * t_go + phase + k * interval whatever happened before, and its latency is
 * measured from that intended start, so a slow fault delays (and shows in)
 * the touches queued behind it instead of silently lowering the load.
 */
#include "faults/faults.h"
#include "core/common.h"
#include "core/pattern.h"

#include <time.h>

#define SPIN_NS		20000		/* sleep until this close, then spin */
#define SLEEP_CHUNK_NS	50000000	/* re-check for an abort this often */

uint64_t fault_expected_word(enum uffd_op op, uint64_t gen, size_t page)
{
	return ioctls[op]->expect.content == CONTENT_ZERO ? 0 : pattern_word(pattern_tag(gen, page), 0);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static bool stopping(const struct fault_ctx *c)
{
	return __atomic_load_n(&c->abort, __ATOMIC_RELAXED) ||
	       __atomic_load_n(c->signal, __ATOMIC_RELAXED);
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = t / 1000000000ull, .tv_nsec = t % 1000000000ull };

	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* Wait for the intended start; false when the round was aborted meanwhile. */
static bool wait_until(const struct fault_ctx *c, uint64_t t)
{
	uint64_t now = now_ns();

	while (t > now + SPIN_NS) {
		uint64_t wake = t - SPIN_NS;

		if (wake > now + SLEEP_CHUNK_NS)
			wake = now + SLEEP_CHUNK_NS;
		sleep_until(wake);
		if (stopping(c))
			return false;
		now = now_ns();
	}
	while (now_ns() < t)
		cpu_relax();
	return true;
}

static inline bool faulted(struct fault_thread *f)
{
	uint64_t n = __atomic_load_n(&f->faults_seen, __ATOMIC_ACQUIRE);

	if (n == f->seen)
		return false;
	f->seen = n;
	return true;
}

/* want: fault_expected_word() of the page, computed before the clock starts */
static inline void touch(struct fault_thread *f, uint64_t *p, uint64_t want)
{
	const struct fault_ctx *c = f->ctx;

	/* relaxed atomics: plain moves, and race-free for TSan when threads share pages */
	if (c->write)
		__atomic_store_n(p, want, __ATOMIC_RELAXED);
	else if (__atomic_load_n(p, __ATOMIC_RELAXED) != want)
		f->st.touch_errors++;
}

static void account(struct fault_thread *f, uint64_t intended, uint64_t t0, uint64_t t1)
{
	struct touch_stats *st = &f->st;

	st->touches++;
	if (!f->t_start)
		f->t_start = t0;
	f->t_end = t1;
	if (intended) {
		uint64_t lag = t0 > intended ? t0 - intended : 0;

		st->lag_sum += lag;
		if (lag > st->lag_max)
			st->lag_max = lag;
	}
	hist_record(&st->all, t1 - (intended ? intended : t0));	/* hits wait behind slow faults too */
	if (!faulted(f)) {
		st->hits++;
		return;
	}
	st->faults++;
	hist_record(&st->lat, t1 - (intended ? intended : t0));
	hist_record(&st->svc, t1 - t0);
}

void fault_touch_round(struct fault_thread *f)
{
	const struct fault_ctx *c = f->ctx;
	uint64_t base = c->t_go + (c->interval ? f->id * c->interval / c->nr_faulters : 0);
	uint64_t prev_end = 0, intended = 0, t0, t1, want;
	uint64_t *p;

	f->done = 0;
	f->t_start = f->t_end = 0;
	for (size_t k = 0; k < f->n_order; k++) {
		if (c->interval) {
			intended = base + k * c->interval;
			if (intended >= c->deadline)
				break;
			if (prev_end > intended)
				f->st.late++;
			if (!wait_until(c, intended))
				break;
		}
		if (stopping(c))
			break;
		p = (uint64_t *)(c->area + (size_t)f->order[k] * c->page_size);
		want = fault_expected_word(c->op, c->gen, f->order[k]);
		t0 = now_ns();
		__atomic_store_n(&f->touch_since, t0, __ATOMIC_RELAXED);
		touch(f, p, want);
		t1 = now_ns();
		__atomic_store_n(&f->touch_since, 0, __ATOMIC_RELAXED);
		account(f, intended, t0, t1);
		prev_end = t1;
		f->done++;
		if (t1 >= c->deadline)
			break;
	}
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void fault_build_order(uint32_t *order, size_t n, size_t lo, size_t start,
		       enum fault_pattern pat, unsigned stride, uint64_t seed)
{
	uint64_t s = 0x9e3779b97f4a7c15ull * (seed + 1);
	size_t k = 0;

	if (pat == PAT_STRIDE) {
		for (size_t r = 0; r < stride && r < n; r++)
			for (size_t i = r; i < n; i += stride)
				order[k++] = lo + (start + i) % n;
		return;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = lo + (start + i) % n;
	if (pat != PAT_RANDOM)
		return;
	for (size_t i = n - 1; i > 0 && n > 1; i--) {
		size_t j = xorshift(&s) % (i + 1);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}
