// SPDX-License-Identifier: MIT
/*
 * Running one fault configuration.  Handlers and faulting threads are
 * started once, pinned, and live through every round:
 *
 *   round: prepare (untimed: reset, refill) | go barrier | faulting threads
 *          touch while the main thread watches | handlers go idle | verify
 *
 * The main thread never blocks without a timeout while anyone faults: it
 * wakes every 100 ms to look for a signal, a handler that failed, or a
 * faulting thread stuck in one fault for --watchdog seconds.  Any of them
 * ends the round: the range is unregistered, which wakes every blocked
 * fault, so the faulting threads return and the run ends with its reason.
 */
#include "fault/state.h"
#include "core/common.h"
#include "machine/hugepages.h"
#include "core/alloc.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define TICK_NS		100000000ull	/* the main thread's watch interval */
#define ABANDON_NS	5000000000ull	/* after an abort, how long threads get to return */
#define QUIESCE_NS	1000000000ull
#define STOP_NS		2000000000ull	/* how long handlers get to exit */
#define KICK_US		200		/* between kicks of a handler that has not answered */

static struct fault_state *state_of(struct fault_ctx *ctx)
{
	return (struct fault_state *)((char *)ctx - offsetof(struct fault_state, ctx));
}

static void pin(struct fault_state *s, int cpu, const char *who, unsigned id)
{
	int ret;

	if (!s->env->topo || cpu < 0)
		return;
	ret = topo_bind_thread(s->env->topo, cpu);
	if (ret)
		fault_abort(s, false, "%s %u: cannot pin to CPU %d: %s", who, id, cpu,
			    errno_name(ret));
}

/*
 * start_threads() holds s->lock until every thread exists: a thread passes
 * this gate only then, and leaves at once if one could not be created (the
 * go barrier would never fill).
 */
static bool started(struct fault_state *s)
{
	bool failed;

	pthread_mutex_lock(&s->lock);
	failed = s->start_failed;
	pthread_mutex_unlock(&s->lock);
	return !failed;
}

static void *faulter_main(void *arg)
{
	struct fault_thread *f = arg;
	struct fault_state *s = state_of(f->ctx);

	if (!started(s))
		return NULL;
	pin(s, f->cpu, "faulting thread", f->id);
	prctl(PR_SET_TIMERSLACK, 1ul);
	__atomic_store_n(&f->tid, gettid(), __ATOMIC_RELEASE);
	if (s->cfg->wait == WAIT_SIGBUS)
		fault_sigbus_attach(&s->fh[f->id], f);
	__atomic_fetch_add(&s->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		pthread_barrier_wait(&s->go);
		if (__atomic_load_n(&s->quit, __ATOMIC_ACQUIRE))
			break;
		fault_touch_round(f);
		pthread_mutex_lock(&s->lock);
		if (++s->finished == s->cfg->faulters)
			pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	fault_sigbus_attach(NULL, NULL);
	return NULL;
}

static void *handler_thread(void *arg)
{
	struct fault_handler *h = arg;
	struct fault_state *s = state_of(h->ctx);

	if (!started(s))
		return NULL;
	pin(s, h->cpu, "handler", h->id);
	__atomic_fetch_add(&s->ready, 1, __ATOMIC_RELEASE);
	return fault_handler_main(h);
}

/* Join the threads that were started before one could not be; they left at the gate. */
static int start_failed(struct fault_state *s, int err)
{
	const struct fault_cfg *c = s->cfg;

	s->start_failed = 1;
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < s->started_f; i++)
		pthread_join(s->ft[i].thread, NULL);
	for (unsigned i = 0; i < s->started_h; i++)
		pthread_join(s->fh[i].thread, NULL);
	s->started_f = s->started_h = 0;
	snprintf(s->res->reason, sizeof(s->res->reason),
		 "cannot start %u faulting and %u handler threads: %s", c->faulters, c->handlers,
		 errno_name(err));
	s->res->status = FAULT_FAILED;
	return -1;
}

/* Every thread, pinned and waiting; 0, or -1 with the cell failed (resources). */
static int start_threads(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	sigset_t set, old;
	int err = 0;

	/* Signals go to the main thread; the others see them as ctx.signal. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_mutex_lock(&s->lock);
	for (; !err && s->started_h < c->handlers; s->started_h += !err) {
		struct fault_handler *h = &s->fh[s->started_h];

		err = pthread_create(&h->thread, NULL, handler_thread, h);
		if (!err)
			pthread_getcpuclockid(h->thread, &s->hclock[s->started_h]);
	}
	for (; !err && s->started_f < c->faulters; s->started_f += !err)
		err = pthread_create(&s->ft[s->started_f].thread, NULL, faulter_main,
				     &s->ft[s->started_f]);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return start_failed(s, err);
	pthread_mutex_unlock(&s->lock);
	while (__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE) < c->faulters + c->handlers)
		usleep(1000);
	return 0;
}

static uint64_t handler_cpu(struct fault_state *s, unsigned i)
{
	struct timespec ts;

	if (clock_gettime(s->hclock[i], &ts))
		return s->hcpu_mark[i];		/* the thread has exited */
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void watch(struct fault_state *s)
{
	uint64_t now = now_ns(), limit = s->cfg->watchdog * 1e9;
	int sig = __atomic_load_n(s->env->signal, __ATOMIC_RELAXED);

	if (sig)
		fault_abort(s, true, "interrupted by signal %d", sig);
	if (__atomic_load_n(&s->ctx.handler_failed, __ATOMIC_ACQUIRE))
		for (unsigned i = 0; i < fault_resolvers(s->cfg); i++)
			if (__atomic_load_n(&s->fh[i].failed, __ATOMIC_ACQUIRE))
				fault_abort(s, false, "%s", s->fh[i].error);
	for (unsigned i = 0; i < s->cfg->faulters; i++) {
		uint64_t since = __atomic_load_n(&s->ft[i].touch_since, __ATOMIC_RELAXED);

		if (since && now > since + limit)
			fault_abort(s, false, "watchdog: faulting thread %u waited %.1f s in one fault "
				    "(--watchdog %g s): handlers stalled or gone", i,
				    (now - since) / 1e9, s->cfg->watchdog);
	}
}

/* Wait for every faulting thread to finish the round, watching meanwhile. */
static void wait_round(struct fault_state *s)
{
	struct timespec ts;
	uint64_t t;

	pthread_mutex_lock(&s->lock);
	while (s->finished < s->cfg->faulters) {
		t = now_ns() + TICK_NS;
		ts = (struct timespec){ .tv_sec = t / 1000000000ull, .tv_nsec = t % 1000000000ull };
		pthread_cond_timedwait(&s->cond, &s->lock, &ts);
		if (s->finished == s->cfg->faulters)
			break;
		pthread_mutex_unlock(&s->lock);
		watch(s);
		if (fault_aborted(s)) {
			fault_wake_all(s);	/* again: a fault may have been on its way */
			if (now_ns() - fault_aborted(s) > ABANDON_NS) {
				s->res->abandoned = true;
				return;
			}
		}
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
}

static bool exited(const struct fault_handler *h)
{
	return __atomic_load_n(&h->exited, __ATOMIC_ACQUIRE);
}

/*
 * Handlers still resolving a stale event must be done before the range is
 * reset: each must echo a new quiesce_req from the top of its loop, holding
 * no event.  A kick ends a wait at once; one that lands just before the
 * handler enters its wait is lost, so it is repeated until the echo comes.
 */
static void quiesce(struct fault_state *s)
{
	uint64_t t0 = now_ns(), gen = ++s->quiesce_gen;

	for (unsigned i = 0; i < s->started_h; i++)
		__atomic_store_n(&s->fh[i].quiesce_req, gen, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < s->started_h; i++) {
		struct fault_handler *h = &s->fh[i];

		while (__atomic_load_n(&h->quiesce_ack, __ATOMIC_ACQUIRE) != gen && !exited(h)) {
			if (now_ns() - t0 > QUIESCE_NS) {
				fault_abort(s, false, "handler %u still busy 1 s after the round", i);
				return;
			}
			fault_kick(h);
			usleep(KICK_US);
		}
	}
}

static void run_round(struct fault_state *s, uint64_t gen, uint64_t deadline)
{
	/* release: handlers stamp the hot pages fault_prepare() refilled (handler.c) */
	__atomic_store_n(&s->ctx.gen, gen, __ATOMIC_RELEASE);
	s->finished = 0;
	for (unsigned i = 0; i < s->started_h; i++)
		s->hcpu_mark[i] = handler_cpu(s, i);
	s->ctx.t_go = now_ns();
	s->ctx.deadline = deadline;
	pthread_barrier_wait(&s->go);
	wait_round(s);
	if (s->res->abandoned)
		return;
	quiesce(s);
	for (unsigned i = 0; i < s->started_h; i++)
		s->res->h[i].cpu_ns += handler_cpu(s, i) - s->hcpu_mark[i];
}

static void run_rounds(struct fault_state *s)
{
	/* --duration is wall time: rounds, and the resets and checks between them */
	uint64_t deadline = now_ns() + (uint64_t)(s->cfg->duration * 1e9);
	bool complete;
	int sig;

	for (uint64_t gen = 1; !fault_aborted(s); gen++) {
		if (fault_prepare(s, gen)) {
			fault_abort(s, false, "%s", s->res->reason);
			break;
		}
		run_round(s, gen, deadline);
		if (s->res->abandoned)
			return;
		complete = fault_account_round(s);
		sig = __atomic_load_n(s->env->signal, __ATOMIC_RELAXED);
		if (sig)
			fault_abort(s, true, "interrupted by signal %d", sig);
		if (fault_aborted(s))
			break;	/* a round cut short by an abort is not verified */
		fault_verify_round(s);
		if (!complete || now_ns() >= deadline)
			break;
	}
}

static void stop_threads(struct fault_state *s)
{
	uint64_t t0;

	__atomic_store_n(&s->quit, 1, __ATOMIC_RELEASE);
	pthread_barrier_wait(&s->go);
	for (unsigned i = 0; i < s->started_f; i++)
		pthread_join(s->ft[i].thread, NULL);
	__atomic_store_n(&s->ctx.stop, 1, __ATOMIC_RELEASE);
	t0 = now_ns();
	for (unsigned i = 0; i < s->started_h; i++) {
		struct fault_handler *h = &s->fh[i];

		while (!exited(h) && now_ns() - t0 < STOP_NS) {
			fault_kick(h);
			usleep(KICK_US);
		}
		if (!exited(h))
			s->res->abandoned = true;
		else
			pthread_join(h->thread, NULL);
	}
}

/* The kick signal, and SIGBUS in SIGBUS mode, for the configuration's lifetime. */
static int install_signals(struct fault_state *s)
{
	int ret = fault_kick_install();

	if (ret) {
		snprintf(s->res->reason, sizeof(s->res->reason), "sigaction: %s", errno_name(ret));
		s->res->status = FAULT_FAILED;
		return -1;
	}
	s->kick_installed = true;
	if (s->cfg->wait != WAIT_SIGBUS)
		return 0;
	ret = fault_sigbus_install();
	if (ret) {
		snprintf(s->res->reason, sizeof(s->res->reason), "sigaction(SIGBUS): %s",
			 errno_name(ret));
		s->res->status = FAULT_FAILED;
		return -1;
	}
	s->sigbus_installed = true;
	return 0;
}

/* After every thread returned (an abandoned run exits the process instead). */
static void restore_signals(struct fault_state *s)
{
	if (s->sigbus_installed)
		fault_sigbus_restore();
	if (s->kick_installed)
		fault_kick_restore();
}

void fault_run(const struct fault_cfg *c, const struct fault_env *e, struct fault_result *r)
{
	struct fault_state *s = xcalloc(1, sizeof(*s));
	uint64_t t0 = now_ns();

	fault_result_init(c, r);
	r->policy = e->topo ? pin_policy_name(e->policy) : "none";
	if (fault_plan_cpus(c, e, r->faulter_cpus, r->handler_cpus, &r->oversubscribed,
			    r->reason, sizeof(r->reason))) {
		r->status = FAULT_FAILED;
		free(s);
		return;
	}
	if (c->mt->huge_size &&
	    hugepages_ensure(c->mt->huge_size, memtype_huge_pages_needed(c->mt, r->pages),
			     r->reason, sizeof(r->reason))) {
		r->status = FAULT_SKIPPED;
		free(s);
		return;
	}
	fault_state_init(s, c, e, r);
	if (!install_signals(s) && !fault_setup(s) && !start_threads(s)) {
		run_rounds(s);
		if (!r->abandoned)
			stop_threads(s);
	}
	fault_collect(s);
	r->elapsed_ms = (now_ns() - t0) / 1e6;
	if (r->abandoned)
		return;
	restore_signals(s);
	fault_state_free(s);
}
