// SPDX-License-Identifier: MIT
/*
 * The harness: one worker thread per range, each pinned to its own CPU with
 * its own userfaultfd, meeting at barriers so that every thread's timed pass
 * overlaps every other's and no reset or check runs while anyone is timed.
 *
 *   round:  prepare (untimed) | A | decide | B | timed pass | C | verify, record
 */
#include "run/harness_int.h"
#include "machine/irqs.h"
#include "core/attr_mark.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The serial thread decides for everyone, so no thread waits at a barrier alone. */
static bool round_go(struct shared *sh)
{
	int ret = pthread_barrier_wait(&sh->barrier);

	if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_store_n(&sh->go, !__atomic_load_n(sh->opts->stop, __ATOMIC_RELAXED) &&
				 !__atomic_load_n(&sh->failed, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
	pthread_barrier_wait(&sh->barrier);
	return __atomic_load_n(&sh->go, __ATOMIC_RELAXED);
}

/*
 * The pass (counted: with --perf's counters), and the interrupts that landed
 * in it when the worker can count them (*irqs, else -1).  The reads sit
 * outside the pass's clock and its counters.
 */
static void counted_pass(struct worker *w, bool counted, const struct pass *pass,
			 struct pass_result *p, int64_t *irqs)
{
	uint64_t before, after;
	bool known = w->irq_fd >= 0 && !irqs_read(w->irq_fd, &before);
	/* one thread: the attribution plugin's window (core/attr_mark.h) */
	bool marked = counted && w->sh->cell->threads == 1;

	if (counted)
		perfctr_start(&w->pc);
	if (marked)
		attr_mark_begin();
	ioctl_pass(pass, p);
	if (marked)
		attr_mark_end();
	if (counted)
		perfctr_stop(&w->pc);
	*irqs = known && !irqs_read(w->irq_fd, &after) ? (int64_t)(after - before) : -1;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	const struct harness_opts *o = sh->opts;
	unsigned total = o->warmup + o->rounds;
	struct pass_result p;
	struct pass pass;
	int64_t irqs;
	int ret;

	pthread_mutex_lock(&sh->start);
	ret = sh->start_failed;
	pthread_mutex_unlock(&sh->start);
	if (ret)
		return NULL;	/* run_threads could not create every worker */
	if (o->pin && o->cpus && (ret = o->pin(o->cpus[w->id])))
		worker_fail(w, "pin", ret);
	else
		worker_setup(w);
	pass = (struct pass){ .uffd = w->uffd, .op = sh->cell->op, .area = w->r.area,
			      .len = w->r.len, .step = sh->cell->batch * w->r.page_size,
			      .src = w->src, .spin_iters = sh->spin_iters };
	for (unsigned round = 0; round < total; round++) {
		bool counted = round >= o->warmup;

		if (!w->error[0])
			worker_prepare(w, round);
		if (!round_go(sh))
			break;
		counted_pass(w, counted, &pass, &p, &irqs);
		pthread_barrier_wait(&sh->barrier);
		worker_record(w, round, &p, irqs);
	}
	worker_teardown(w);
	return NULL;
}

static void describe_outcomes(const struct pass_result *o, char *buf, size_t len)
{
	snprintf(buf, len, "ioctl results outside success: %lu EEXIST, %lu EAGAIN, %lu short, %lu other%s%s",
		 (unsigned long)o->eexist, (unsigned long)o->eagain, (unsigned long)o->short_done,
		 (unsigned long)o->other, o->other ? " (last " : "",
		 o->other ? errno_name(o->other_errno) : "");
	if (o->other)
		strncat(buf, ")", len - strlen(buf) - 1);
}

/* Fold the workers into the cell's result and decide its status. */
static void collect(struct worker *w, unsigned n, struct cell_result *res)
{
	const char *error = NULL;
	struct pass_result *o = &res->outcomes;

	for (unsigned i = 0; i < n; i++) {
		sum_outcomes(o, &w[i].sum);
		res->verify.pages_checked += w[i].verify.pages_checked;
		if (w[i].verify.mismatches && !res->verify.mismatches)
			memcpy(res->verify.first_error, w[i].verify.first_error,
			       sizeof(res->verify.first_error));
		res->verify.mismatches += w[i].verify.mismatches;
		perf_counts_merge(&res->perf, &w[i].pc.sum);
		place_verify_merge(&res->place, &w[i].pv);
		if (w[i].error[0] && !error)
			error = w[i].error;
	}
	res->status = CELL_FAILED;
	if (error)
		snprintf(res->reason, sizeof(res->reason), "%s", error);
	else if (o->eexist || o->eagain || o->short_done || o->other)
		describe_outcomes(o, res->reason, sizeof(res->reason));
	else if (res->verify.mismatches)
		snprintf(res->reason, sizeof(res->reason), "verify: %lu bad pages, first: %s",
			 (unsigned long)res->verify.mismatches, res->verify.first_error);
	else
		res->status = CELL_OK;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Create n workers behind the start gate; the number created, *err why not all. */
static unsigned start_workers(struct worker *w, struct shared *sh, unsigned n, int *err)
{
	sigset_t old;
	unsigned started = 0;

	/* Signals go to the main thread; workers see them only as opts->stop. */
	block_signals(&old);
	for (*err = 0; started < n; started++) {
		w[started].sh = sh;
		w[started].id = started;
		*err = pthread_create(&w[started].thread, NULL, worker_main, &w[started]);
		if (*err)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started;
}

/*
 * One worker runs on the calling thread: the process stays single-threaded,
 * as a minimal loop is, so the kernel's fdget() keeps its fast path.  With a
 * second thread every ioctl pays an atomic get/put of the file reference
 * (about 30 ns here): that is part of what N-thread cells measure.
 */
static void run_inline(struct worker *w, struct shared *sh)
{
	cpu_set_t saved;
	bool restore = !sched_getaffinity(0, sizeof(saved), &saved);

	w->sh = sh;
	w->id = 0;
	worker_main(w);
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
}

/*
 * A worker that cannot be created fails the cell (a resource, not bad
 * input): the ones already created leave at the start gate instead of
 * waiting at a barrier that can never fill.
 */
static void run_threads(struct worker *w, struct shared *sh, unsigned n)
{
	unsigned started;
	int err;

	pthread_mutex_lock(&sh->start);
	started = start_workers(w, sh, n, &err);
	if (started < n) {
		sh->start_failed = 1;
		snprintf(w[started].error, sizeof(w[started].error), "cannot start %u threads: %s",
			 n, errno_name(err));
	}
	pthread_mutex_unlock(&sh->start);
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
}

void harness_run_cell(const struct cell *c, const struct harness_opts *o, struct cell_result *res)
{
	struct shared sh = { .cell = c, .opts = o, .res = res, .start = PTHREAD_MUTEX_INITIALIZER };
	uint64_t t0 = now_ns();
	char knob_read[sizeof(res->knob_read)];
	struct worker *w;
	int ret;

	memcpy(knob_read, res->knob_read, sizeof(knob_read));	/* measure_cell's */
	memset(res, 0, sizeof(*res));
	memcpy(res->knob_read, knob_read, sizeof(knob_read));
	res->threads = c->threads;
	res->page_size = memtype_page_size(c->mt);
	res->pages_per_thread = c->size / res->page_size;
	res->inject_ns = c->inject_ns;
	res->tr = xcalloc((size_t)o->rounds * c->threads, sizeof(*res->tr));
	w = xaligned_alloc(CACHELINE, c->threads * sizeof(*w));
	memset(w, 0, c->threads * sizeof(*w));
	sh.spin_iters = harness_spin_ticks(o, c->inject_ns, c->batch);
	ret = pthread_barrier_init(&sh.barrier, NULL, c->threads);
	if (ret) {
		res->status = CELL_FAILED;
		snprintf(res->reason, sizeof(res->reason), "pthread_barrier_init: %s",
			 errno_name(ret));
		free(w);
		return;
	}
	if (c->threads == 1) {
		run_inline(w, &sh);
		attr_mark_cell();
	} else {
		run_threads(w, &sh, c->threads);
	}
	pthread_barrier_destroy(&sh.barrier);
	res->rounds = sh.rounds_done;
	res->interrupted = __atomic_load_n(o->stop, __ATOMIC_RELAXED);
	collect(w, c->threads, res);
	res->elapsed_ms = (now_ns() - t0) / 1e6;
	free(w);
}

uint64_t harness_spin_ticks(const struct harness_opts *o, double ns_per_page, unsigned batch)
{
	double ns = ns_per_page * batch - o->spin_overhead_ns;

	return ns_per_page > 0 && ns > 0 ? ns * o->spin_per_ns + 0.5 : 0;
}

void cell_result_free(struct cell_result *res)
{
	free(res->tr);
	res->tr = NULL;
}
