/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_H
#define UFFDBENCH_FAULT_H

/*
 * The fault-driven workload: faulting threads touch pages of a registered
 * range (workloads/faults/touch.c); handler threads wait for the fault
 * events in one of three styles (workloads/faults/wait.c), read them and
 * resolve them (workloads/faults/handler.c) — or, in SIGBUS mode, each
 * faulting thread resolves its own fault from its SIGBUS handler
 * (workloads/faults/sigbus.c).  bench/fault/run.c sets everything up, runs
 * the rounds and watches.
 */
#include "core/common.h"
#include "core/histogram.h"
#include "ioctls/ioctl.h"

#include <linux/userfaultfd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fault_pattern { PAT_SEQ, PAT_RANDOM, PAT_STRIDE, PAT_NR };
enum fault_inject { INJ_NONE, INJ_STALL, INJ_DIE };

/*
 * How faults reach whoever resolves them: a blocking read() of the uffd;
 * poll() then a non-blocking read(); epoll_wait() over every uffd then a
 * non-blocking read(); or no handler thread at all: UFFD_FEATURE_SIGBUS, the
 * faulting thread's SIGBUS handler resolves its fault and the access retries.
 */
enum fault_wait { WAIT_READ, WAIT_POLL, WAIT_EPOLL, WAIT_SIGBUS, WAIT_NR };

#define FAULT_MAX_EVENTS 64		/* events one read() may return */

#define CACHE_ALIGNED __attribute__((aligned(CACHELINE)))

/* One faulting thread's counts; summed over threads for the result. */
struct touch_stats {
	uint64_t touches, faults, hits;
	uint64_t touch_errors;		/* a read touch saw the wrong word */
	uint64_t late;			/* open loop: still busy at the intended start */
	uint64_t lag_sum, lag_max;	/* open loop: actual - intended start, ns */
	struct hist lat;		/* faults: resume - start (intended start in open loop) */
	struct hist svc;		/* faults: resume - actual start */
	struct hist all;		/* every touch, resume - start (intended start in open loop) */
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

/* One uffd and the part of the range it registered. */
struct fault_part {
	int uffd;
	char *lo, *hi;
};

/*
 * A handler thread, or in SIGBUS mode a faulting thread's in-line resolver
 * (no thread of its own: it runs in the faulting thread's signal handler).
 */
struct fault_handler {
	struct fault_ctx *ctx;
	unsigned id;
	int cpu;
	pthread_t thread;
	int uffd;			/* the part being served (epoll: the ready one) */
	char *lo, *hi;
	struct fault_part own;		/* the part its uffd registered */
	char *hot;			/* ctx->hot: its COPY source, window pages, stamped per fault */
	/* the main thread's "between rounds" handshake (see fault_handler_main) */
	CACHE_ALIGNED uint64_t quiesce_req;	/* set by the main thread */
	CACHE_ALIGNED uint64_t quiesce_ack;	/* echoed by the handler, holding no event */
	int exited;
	int failed;			/* error[] is set (atomic, release) */
	CACHE_ALIGNED uint64_t events, ioctls, pages;
	uint64_t reads;			/* read() calls that returned events */
	uint64_t waits;			/* poll()/epoll_wait() calls that returned */
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
	const char *src;		/* COPY: the source, laid out as area (range_src) */
	bool hot;			/* COPY from each resolver's hot pages, stamped */
	size_t page_size, pages;
	enum uffd_op op;
	bool write;			/* write touches (else read) */
	unsigned window;		/* pages per resolving ioctl, a power of two */
	enum fault_inject inject;
	struct fault_thread *faulters;
	unsigned nr_faulters;
	enum fault_wait wait;
	unsigned events;		/* events read at most per read() */
	const struct fault_part *parts;	/* every uffd, for epoll */
	unsigned nr_parts;
	int epfd;			/* WAIT_EPOLL: one epoll set over every part's uffd */
	int stop;			/* handlers must exit (atomic) */
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
extern const char *const fault_wait_names[WAIT_NR];

/* Handler thread body: wait, read, resolve until ctx->stop (needs fault_kick_install). */
void *fault_handler_main(void *arg);
/* The signal that interrupts a handler's wait: install (0 or -errno), restore, send. */
int fault_kick_install(void);
void fault_kick_restore(void);
int fault_kick(const struct fault_handler *h);
/* workloads/faults/wait.c: wait in the context's style and read up to ctx->events. */
int fault_wait_read(struct fault_handler *h, struct uffd_msg *msgs);
/* handler.c: one fault event, counted for its faulting thread and resolved; 0 or -1. */
int fault_handle(struct fault_handler *h, const struct uffd_msg *msg);
/* handler.c: resolve the fault at addr (page aligned) with h's part; 0 or -1. */
int fault_resolve(struct fault_handler *h, char *addr);
/* handler.c: record h's first error (for the main thread); -1, or 0 when aborting. */
int fault_handler_error(struct fault_handler *h, const char *what, int err);

/* workloads/faults/sigbus.c: SIGBUS mode. */
int fault_sigbus_install(void);		/* 0 or -errno */
void fault_sigbus_restore(void);
/* The calling faulting thread resolves its faults with h (NULL: stop). */
void fault_sigbus_attach(struct fault_handler *h, struct fault_thread *f);

#endif
