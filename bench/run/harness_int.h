/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_HARNESS_INT_H
#define UFFDBENCH_HARNESS_INT_H

/* What run/harness.c (rounds, threads) and run/worker.c (one range's life) share. */
#include "run/harness.h"
#include "core/common.h"

#include <pthread.h>

struct shared {
	const struct cell *cell;
	const struct harness_opts *opts;
	struct cell_result *res;
	pthread_barrier_t barrier;
	pthread_mutex_t start;		/* held while the workers are created */
	int start_failed;		/* one could not be: the others leave (start) */
	uint64_t spin_iters;		/* per ioctl */
	int failed;			/* any worker hit an error (atomic) */
	int go;				/* the serial thread's decision (atomic) */
	unsigned rounds_done;		/* timed rounds recorded (worker 0 counts) */
};

struct worker {
	struct shared *sh;
	unsigned id;
	pthread_t thread;
	struct region r;
	struct ioctl_target t;		/* r, the uffd and the source, for the cell's ioctl */
	int uffd, pagemap_fd;
	int irq_fd;			/* /proc/stat, single-thread cells only; -1 */
	char *src;			/* the source (t.src), or NULL */
	struct pass_result sum;
	struct verify_result verify;
	struct perfctr pc;		/* --perf */
	struct place_verify pv;		/* placement seen after each timed round */
	char error[160];
} __attribute__((aligned(CACHELINE)));

int worker_fail(struct worker *w, const char *what, int err);
int worker_setup(struct worker *w);
void worker_teardown(struct worker *w);
int worker_prepare(struct worker *w, uint64_t gen);
void worker_record(struct worker *w, unsigned round, const struct pass_result *p, int64_t irqs);
void sum_outcomes(struct pass_result *sum, const struct pass_result *p);

#endif
