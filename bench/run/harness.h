/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_HARNESS_H
#define UFFDBENCH_HARNESS_H

#include "machine/perfctr.h"
#include "machine/placement.h"
#include "run/spec.h"
#include "verify/verify.h"
#include "workload.h"


enum cell_status { CELL_OK, CELL_FAILED, CELL_SKIPPED };

/* One thread's share of one timed round. */
struct thread_round {
	uint64_t t_start, t_end;	/* CLOCK_MONOTONIC ns around the ioctl loop */
	uint64_t ioctls, pages;
	int cpu;			/* where it ran (sched_getcpu after the pass) */
	int node;			/* its CPU node (opts->cpu_node), -1 unknown */
	int64_t irqs;			/* interrupts machine-wide around the pass; -1 unknown */
};

struct cell_result {
	enum cell_status status;
	char reason[256];
	unsigned rounds, threads;	/* timed rounds recorded, threads */
	struct thread_round *tr;	/* [round * threads + thread] */
	struct pass_result outcomes;	/* summed over threads and rounds, warm-up included */
	struct verify_result verify;
	size_t page_size, pages_per_thread;
	double elapsed_ms;
	bool interrupted;		/* stopped by a signal: not a result */
	double inject_ns;
	char knob_read[72];		/* --knob: what the file held before the rounds */
	struct perf_counts perf;	/* --perf: summed over timed rounds and threads */
	struct place_verify place;	/* where pages and threads were, after each round */
};

struct harness_opts {
	unsigned rounds, warmup;
	enum verify_mode verify;
	uint64_t uffd_features;		/* requested in UFFDIO_API */
	double spin_per_ns;		/* spin_calibrate(), for --inject-ns */
	double spin_overhead_ns;	/* what spin() costs beyond its ticks */
	const int *cpus;		/* cpus[thread], or NULL: no pinning */
	int (*pin)(int cpu);		/* pins the calling thread; 0 or -errno */
	int (*cpu_node)(int cpu);	/* the NUMA node of a CPU, or NULL */
	const int *stop;		/* non-zero (atomic): stop between rounds */
	bool perf;			/* per-thread perf counters around the timed pass */
};

/* Measure one cell; res is filled (status, reason, rounds): a thread or
 * barrier that cannot be had fails the cell. */
void harness_run_cell(const struct cell *c, const struct harness_opts *o, struct cell_result *res);
void cell_result_free(struct cell_result *res);
/* TSC ticks of busy-wait that make one ioctl of batch pages ns_per_page slower. */
uint64_t harness_spin_ticks(const struct harness_opts *o, double ns_per_page, unsigned batch);

#endif
