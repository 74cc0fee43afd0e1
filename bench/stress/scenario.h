/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STRESS_SCENARIO_H
#define UFFDBENCH_STRESS_SCENARIO_H

/*
 * A stress scenario: which threads race, what the workers issue, which
 * memory types take part, and what the scenario adds -- its own thread with
 * its own checks.  One file each (bench/stress/sc_*.c), listed in
 * stress_scenarios[] (uffdbench list, stress --scenario NAME).
 */
#include <stdbool.h>
#include <stddef.h>

struct stress_ctx;

#define SC_OPT (~0u)	/* a thread count from the options (--threads; --fork) */

struct stress_scenario {
	const char *name, *desc;
	unsigned workers, zappers, populaters, touchers, checkers, handlers, forkers;
	unsigned worker_kinds;	/* 1 << SK_*: kinds of op the workers issue; 0: all */
	bool punch_only;	/* the zappers always punch holes */
	bool fork;		/* fork children whatever --fork says */
	unsigned fork_pause_ms;	/* most time between two children */
	bool own_pool;		/* drains the huge page pool itself: no suspects */
	bool thp;		/* anon ranges MADV_HUGEPAGE, at least 2 huge pages long */
	const char *backing;	/* only memory types of this backing, or NULL */
	/* before setup: 0, or -1 with why (the scenario cannot run here: exit 2) */
	int (*prepare)(struct stress_ctx *c, char *why, size_t len);
	void *(*thread)(void *arg);	/* one more thread (a struct stress_thread), or NULL */
};

extern const struct stress_scenario *const stress_scenarios[];
extern const unsigned nr_stress_scenarios;
const struct stress_scenario *stress_scenario_find(const char *name);

extern const struct stress_scenario sc_default, sc_pool_exhaustion, sc_punch_storm,
	sc_remap, sc_thp_split, sc_fork_storm;

#endif
