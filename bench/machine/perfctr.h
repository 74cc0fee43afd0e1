/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_PERFCTR_H
#define UFFDBENCH_PERFCTR_H

/*
 * run --perf: per-thread counters from perf_event_open around the timed
 * pass.  The software counters (task-clock, context switches, CPU
 * migrations, page faults) open everywhere perf_event_open does; the
 * hardware ones (cycles, instructions, branches, branch misses, iTLB misses)
 * only where a PMU answers.  A counter that cannot be opened is recorded as
 * missing with its reason, never silently dropped.
 *
 * The counters form two groups (software, hardware), each reset, enabled and
 * disabled by one ioctl on its leader: the work just outside the timed loop
 * is 2-4 ioctls before it and 1-2 after, none inside.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum perfctr_id {
	PC_TASK_CLOCK, PC_CONTEXT_SWITCHES, PC_CPU_MIGRATIONS, PC_PAGE_FAULTS,
	PC_CYCLES, PC_INSTRUCTIONS, PC_BRANCHES, PC_BRANCH_MISSES, PC_ITLB_MISSES,
	PC_NR
};

#define PC_NR_SW	4	/* the first PC_NR_SW are software counters */
#define PC_NO_PMU	(-1)	/* err[]: a hardware counter on a machine without a PMU */

/* A cell's counts (or one thread's), summed over the timed rounds added. */
struct perf_counts {
	bool on;			/* counters were opened */
	bool scaled;			/* a group was multiplexed: values scaled up */
	uint64_t val[PC_NR];
	int err[PC_NR];			/* 0 counted; errno of the failed open; PC_NO_PMU */
};

/*
 * One worker thread's counters.  All-zero is a valid closed state: start,
 * stop and add look at opened, never at fd[] (0 would be stdin).
 */
struct perfctr {
	bool opened;
	int fd[PC_NR];			/* -1: missing (see sum.err) */
	int leader[2];			/* software, hardware group; -1: none */
	uint64_t enabled[2], running[2];	/* at the last read */
	struct perf_counts sum;
};

const char *perfctr_name(enum perfctr_id id);
/* Open the calling thread's counters, disabled; failures land in p->sum.err. */
void perfctr_open(struct perfctr *p);
/* Just outside the timed loop: reset and enable; disable. */
void perfctr_start(const struct perfctr *p);
void perfctr_stop(const struct perfctr *p);
/* Add the counts since the last start to p->sum. */
void perfctr_add(struct perfctr *p);
void perfctr_close(struct perfctr *p);
/* Fold one thread's sum into a cell's: values add, a counter missing anywhere is missing. */
void perf_counts_merge(struct perf_counts *dst, const struct perf_counts *src);
/* Why counter id could not be counted ("no hardware PMU", ...). */
const char *perfctr_reason(enum perfctr_id id, int err, char *buf, size_t len);
/* {"counters": {name: per page}, "missing": [{"name", "reason"}], "scaled"} */
json_t *perf_counts_json(const struct perf_counts *c, uint64_t pages);
/* One line: what opens here ("software: ...; missing: cycles (no hardware PMU), ..."). */
void perfctr_describe(const struct perf_counts *c, char *buf, size_t len);

/* For tests: hardware counters fail as they do on a machine without a PMU. */
void perfctr_fake_no_pmu(bool on);

#endif
