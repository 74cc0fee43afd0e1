/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STRESS_REMAP_H
#define UFFDBENCH_STRESS_REMAP_H

/* The remap scenario's range, its event thread and its copier (stress/remap.c). */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define REMAP_PAGES 64
#define REMAP_LEN (REMAP_PAGES * 4096ul)

struct stress_thread;

struct remap_run {
	struct stress_thread *t;
	int uffd;
	char *base;		/* atomic: where the range is now */
	char *slot[2];		/* the two windows it moves between */
	uint8_t want_event;	/* atomic: the event the next operation must send; 0 seen */
	uint64_t want_a, want_b, want_len;	/* atomic */
	uint64_t copier_seed;
	uint64_t old_a, old_b;	/* atomic: after a move, an UNMAP of the old place may follow */
	uint64_t gen;		/* atomic: the newest generation copied */
	uint64_t copies[4];	/* atomic: COPY answered 0, EEXIST, EAGAIN, ENOENT */
	uint64_t nr_events, faults;	/* atomic: events checked, faults resolved */
	int stop;		/* atomic: the copier stops; the mover stops cycling */
	int events_stop;	/* atomic: only once the mover is done (it may wait on an event) */
	pthread_t events, copier;
	bool started;
};

int remap_start(struct remap_run *m);		/* 0, or -1 after a failure */
void remap_stop(struct remap_run *m);
int remap_map(struct remap_run *m, char *at);	/* map + register a fresh range at a window */
int remap_reserve(struct remap_run *m, char **slot);	/* placeholder back in a freed window */
int remap_unmap(struct remap_run *m, char *at);	/* the range gone, its window kept */
int remap_wait_event(struct remap_run *m);	/* the expected event was read; else -1 */
int remap_check(struct remap_run *m);		/* every present page zeros or its own */
int remap_fail(struct remap_run *m, int err, const char *what);	/* records; -1 */

#endif
