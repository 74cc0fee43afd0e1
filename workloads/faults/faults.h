/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_H
#define UFFDBENCH_FAULT_H

/*
 * The fault-driven workload: faulting threads touch pages of a registered
 * range (workloads/faults/touch.c); handler threads read the fault events
 * from the userfaultfd and resolve them (workloads/faults/handler.c).
 * bench/fault/run.c sets everything up, runs the rounds and watches.
 */
#include "core/common.h"
#include "core/histogram.h"
#include "ioctls/ioctl.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fault_pattern { PAT_SEQ, PAT_RANDOM, PAT_STRIDE, PAT_NR };
enum fault_inject { INJ_NONE, INJ_STALL, INJ_DIE };

#define CACHE_ALIGNED __attribute__((aligned(CACHELINE)))

/* One faulting thread's counts; summed over threads for the result. */
struct touch_stats {
	uint64_t touches, faults, hits;
	uint64_t touch_errors;		/* a read touch saw the wrong word */
	uint64_t late;			/* open loop: still busy at the intended start */
	uint64_t lag_sum, lag_max;	/* open loop: actual - intended start, ns */
	struct hist lat;		/* faults: resume - start (intended start in open loop) */
	struct hist svc;		/* faults: resume - actual start */
	struct hist all;		/* open loop: every touch, resume - intended start */
};

struct fault_ctx;

struct fault_thread {
	struct fault_ctx *ctx;
	unsigned id;
	int cpu;
	pthread_t thread;
	const uint32_t *order;		/* page indexes, in touch order */
	size_t n_order;
	/* read and written across threads: */
	CACHE_ALIGNED uint64_t faults_seen;	/* handlers: +1 per event of this thread */
	uint64_t touch_since;		/* start of the touch under way, 0 between (watchdog) */
	int tid;			/* gettid(), for the handlers' lookup */
	/* the faulting thread's own: */
	CACHE_ALIGNED uint64_t seen;	/* faults_seen at its last touch */
	size_t done;			/* touches this round */
	uint64_t t_start, t_end;	/* this round: first touch start, last touch end */
	struct touch_stats st;
};

struct fault_handler {
	struct fault_ctx *ctx;
	unsigned id;
	int cpu;
	pthread_t thread;
	int uffd;
	char *lo, *hi;			/* the part its uffd registered */
	CACHE_ALIGNED int busy;		/* reading or resolving (not in poll) */
	int exited;
	CACHE_ALIGNED uint64_t events, ioctls, pages;
	uint64_t eexist;		/* a window ioctl hit a page already there */
	uint64_t partial;		/* a window ioctl stopped part-way */
	uint64_t wakes;			/* UFFDIO_WAKE issued for a fault it did not resolve */
	uint64_t eagain;		/* retried */
	uint64_t unknown;		/* events of no faulting thread, or not page faults */
	char error[160];
};

/* What every thread reads; per-round fields are set before the start barrier. */
struct fault_ctx {
	char *area;			/* the registered range */
	const char *src;		/* COPY: the source, laid out as area */
	size_t page_size, pages;
	enum uffd_op op;
	bool write;			/* write touches (else read) */
	unsigned window;		/* pages per resolving ioctl, a power of two */
	enum fault_inject inject;
	struct fault_thread *faulters;
	unsigned nr_faulters;
	int stopfd;			/* eventfd: readable once handlers must exit */
	const int *signal;		/* non-zero: interrupted (atomic) */
	int abort;			/* the round must end now (atomic) */
	int handler_failed;		/* a handler hit an error (atomic) */
	/* per round */
	uint64_t gen;			/* pattern generation */
	uint64_t t_go, deadline;	/* ns: round start, end of the timed budget */
	uint64_t interval;		/* open loop: ns between a thread's touches, 0 closed */
};

/* The word a touch of page i reads or writes in generation gen. */
uint64_t fault_expected_word(enum uffd_op op, uint64_t gen, size_t page);
/* One round's walk over f->order (or until the deadline or an abort). */
void fault_touch_round(struct fault_thread *f);
/* Fill order[] with pages [lo, lo + n) in pattern order (start: rotation). */
void fault_build_order(uint32_t *order, size_t n, size_t lo, size_t start,
		       enum fault_pattern pat, unsigned stride, uint64_t seed);
/* Handler thread body: poll + read + resolve until ctx->stopfd is readable. */
void *fault_handler_main(void *arg);

#endif
