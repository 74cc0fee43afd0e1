// SPDX-License-Identifier: MIT
/*
 * Start every thread, let them run for the duration (or until a failure or
 * a signal), then stop them in order: everything that may fault first,
 * while the handlers still serve faults, then the handlers.  A thread that
 * does not come back is a failure (a fault never resolved?); unregistering
 * the ranges wakes it, so the memory can still be taken down.
 */
#include "stress/stress.h"
#include "core/common.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define JOIN_TIMEOUT_S 20
#define PROGRESS_EVERY_NS (60ull * 1000000000ull)
#define TICK_NS (50 * 1000 * 1000)

static const struct {
	void *(*fn)(void *);
	bool fills, pagemap;
} roles[ROLE_NR] = {
	[ROLE_WORKER] = { stress_worker, true, false },
	[ROLE_ZAPPER] = { stress_zapper, false, false },
	[ROLE_POPULATER] = { stress_populater, true, false },
	[ROLE_TOUCHER] = { stress_toucher, false, false },
	[ROLE_CHECKER] = { stress_checker, false, true },
	[ROLE_HANDLER] = { stress_handler, true, false },
	[ROLE_FORKER] = { stress_forker, false, false },
	[ROLE_INJECTOR] = { stress_injector, false, true },
	[ROLE_SCENARIO] = { stress_scenario_thread, true, true },
};

/* How many threads of a role the scenario runs (SC_OPT: as the options say). */
static unsigned role_count(const struct stress_ctx *c, enum stress_role r)
{
	const struct stress_scenario *sc = c->o.sc;

	switch (r) {
	case ROLE_WORKER: return sc->workers == SC_OPT ? c->o.threads : sc->workers;
	case ROLE_ZAPPER: return sc->zappers;
	case ROLE_POPULATER: return sc->populaters;
	case ROLE_TOUCHER: return sc->touchers;
	case ROLE_CHECKER: return sc->checkers;
	case ROLE_HANDLER: return sc->handlers == SC_OPT ? c->o.handlers : sc->handlers;
	case ROLE_FORKER: return sc->forkers == SC_OPT ? c->o.fork : sc->forkers;
	case ROLE_INJECTOR: return c->o.inject;
	case ROLE_SCENARIO: return sc->thread != NULL;
	default: return 0;
	}
}

/* "4 worker, 1 zapper, ..." threads of each role the run has; a static buffer. */
const char *stress_threads_text(const struct stress_ctx *c)
{
	static char buf[256];
	size_t n = 0;

	buf[0] = '\0';
	for (int r = 0; r < ROLE_NR && n < sizeof(buf); r++)
		if (role_count(c, r))
			n += snprintf(buf + n, sizeof(buf) - n, "%s%u %s", n ? ", " : "",
				      role_count(c, r), stress_role_name(r));
	return buf;
}

void *stress_scenario_thread(void *arg)
{
	struct stress_thread *t = arg;

	return t->c->o.sc->thread(t);
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int init_thread(struct stress_ctx *c, struct stress_thread *t, enum stress_role r,
		       unsigned index)
{
	*t = (struct stress_thread){ .c = c, .role = r, .index = index, .slot = t - c->thr,
		.pagemap = -1 };
	t->rng = splitmix64(c->o.seed ^ splitmix64(t->slot + 1)) | 1;
	if (roles[r].pagemap) {
		t->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (t->pagemap < 0)
			return -errno;
	}
	if (!roles[r].fills)
		return 0;
	t->src = mmap(NULL, c->src_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->src == MAP_FAILED) {
		t->src = NULL;
		return -errno;
	}
	return 0;
}

static int alloc_threads(struct stress_ctx *c)
{
	unsigned n = 0, total = 0;
	int ret;

	for (int r = 0; r < ROLE_NR; r++)
		total += role_count(c, r);
	c->thr = xcalloc(total, sizeof(*c->thr));
	c->inflight = xcalloc(total, sizeof(*c->inflight));
	c->nr_thr = total;
	for (unsigned s = 0; s < c->nr_thr; s++)
		c->inflight[s] = UINT64_MAX;
	for (int r = 0; r < ROLE_NR; r++)
		for (unsigned i = 0; i < role_count(c, r); i++) {
			ret = init_thread(c, &c->thr[n++], r, i);
			if (ret)
				return ret;
		}
	return 0;
}

static void free_threads(struct stress_ctx *c)
{
	for (unsigned i = 0; i < c->nr_thr; i++) {
		if (!c->thr[i].c)
			continue;	/* never initialised */
		if (c->thr[i].src)
			munmap(c->thr[i].src, c->src_len);
		if (c->thr[i].pagemap >= 0)
			close(c->thr[i].pagemap);
	}
}

static void *body(void *arg)
{
	struct stress_thread *t = arg;

	roles[t->role].fn(t);
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Signals go to the main thread only: the others start with them blocked. */
static int start_threads(struct stress_ctx *c)
{
	sigset_t block, old;
	int ret = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (unsigned i = 0; i < c->nr_thr && !ret; i++) {
		ret = -pthread_create(&c->thr[i].tid, NULL, body, &c->thr[i]);
		c->thr[i].started = !ret;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

void stress_sum(const struct stress_ctx *c, struct stress_stats *sum)
{
	const size_t n = sizeof(*sum) / sizeof(uint64_t);
	uint64_t *out = (uint64_t *)sum;

	memset(sum, 0, sizeof(*sum));
	for (unsigned t = 0; t < c->nr_thr; t++) {
		uint64_t *in = (uint64_t *)&c->thr[t].st;

		for (size_t i = 0; i < n; i++)
			out[i] += __atomic_load_n(&in[i], __ATOMIC_RELAXED);
	}
}

static void progress(const struct stress_ctx *c, uint64_t now)
{
	double s = (now - c->t_start) / 1e9;
	struct stress_stats sum;

	stress_sum(c, &sum);
	printf("stress: %.0f s of %.0f s: %lu copy, %lu zeropage, %lu continue, %lu faults, "
	       "%lu pages checked, %lu failures\n", s, c->o.duration_ns / 1e9,
	       (unsigned long)sum.k[SK_COPY].ops, (unsigned long)sum.k[SK_ZEROPAGE].ops,
	       (unsigned long)sum.k[SK_CONTINUE].ops, (unsigned long)sum.k[SK_FAULT].ops,
	       (unsigned long)sum.k[SK_CHECK].ops,
	       (unsigned long)__atomic_load_n(&c->sh->nr_failures, __ATOMIC_RELAXED));
	stdout_flush();
}

static void wait_until_done(struct stress_ctx *c)
{
	uint64_t deadline = c->t_start + c->o.duration_ns, next = c->t_start + PROGRESS_EVERY_NS;
	struct timespec tick = { 0, TICK_NS };
	uint64_t now;

	while ((now = now_ns()) < deadline && !__atomic_load_n(&c->stop, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(c->signal, __ATOMIC_SEQ_CST)) {
		stress_pool_check(c);
		stress_unregister_withdrawn(c);
		if (now >= next && c->o.duration_ns >= 2 * PROGRESS_EVERY_NS) {
			progress(c, now);
			next += PROGRESS_EVERY_NS;
		}
		nanosleep(&tick, NULL);
	}
}

static void unregister_all(struct stress_ctx *c)
{
	for (unsigned i = 0; i < c->nr_types; i++)
		for (int k = 0; k < RANGE_NR; k++) {
			struct srange *rg = &c->type[i].range[k];

			if (!rg->pages)
				continue;
			uffd_unregister(c->type[i].uffd, rg->r.area, rg->r.len);
			if (rg->alias_registered)
				uffd_unregister(c->type[i].uffd, rg->r.alias, rg->r.len);
		}
}

/* Join t within the timeout: 0, or -1 (still running). */
static int join(struct stress_thread *t, unsigned timeout_s)
{
	struct timespec ts;

	if (!t->started)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_s;
	if (pthread_timedjoin_np(t->tid, NULL, &ts))
		return -1;
	t->started = false;
	return 0;
}

static void stuck(struct stress_ctx *c, struct stress_thread *t)
{
	struct stress_failure f = { .what = SF_STUCK, .type = -1, .range = -1, .op = SK_FAULT };

	snprintf(f.what_text, sizeof(f.what_text),
		 "the %s thread (slot %u) did not return within %d s of the stop: a fault never resolved?",
		 stress_role_name(t->role), t->slot, JOIN_TIMEOUT_S);
	stress_fail(c, &f);
}

/* 0, or -1 when a thread could not be joined even after unregistering. */
static int stop_all(struct stress_ctx *c)
{
	bool unregistered = false;
	int ret = 0;

	__atomic_store_n(&c->stop, 1, __ATOMIC_SEQ_CST);
	stress_unregister_withdrawn(c);
	for (unsigned i = 0; i < c->nr_thr; i++) {
		struct stress_thread *t = &c->thr[i];

		if (t->role == ROLE_HANDLER || !join(t, JOIN_TIMEOUT_S))
			continue;
		stuck(c, t);
		if (!unregistered)
			unregister_all(c);
		unregistered = true;
		if (join(t, JOIN_TIMEOUT_S))
			ret = -1;
	}
	__atomic_store_n(&c->stop_handlers, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < c->nr_thr; i++)
		if (join(&c->thr[i], JOIN_TIMEOUT_S)) {
			stuck(c, &c->thr[i]);
			ret = -1;
		}
	return ret;
}

/* After the summary: the threads' memory (their counters fed it). */
void stress_free(struct stress_ctx *c)
{
	free(c->thr);
	free(c->inflight);
	c->thr = NULL;
	c->inflight = NULL;
	c->nr_thr = 0;
}

/* 0; -1 when threads are still running (the memory must stay mapped). */
int stress_run(struct stress_ctx *c)
{
	int ret = alloc_threads(c);

	stress_pool_check(c);
	c->t_start = now_ns();
	if (!ret)
		ret = start_threads(c);
	if (ret) {
		struct stress_failure f = { .what = SF_OP, .type = -1, .range = -1,
					    .op = SK_CHECK, .err = -ret };

		snprintf(f.what_text, sizeof(f.what_text), "starting the threads");
		stress_fail(c, &f);
	} else {
		wait_until_done(c);
	}
	ret = stop_all(c);
	c->t_end = now_ns();
	free_threads(c);
	return ret;
}
