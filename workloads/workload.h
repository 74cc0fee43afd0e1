/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_WORKLOAD_H
#define UFFDBENCH_WORKLOAD_H

#include "ioctls/ioctl.h"

#include <stddef.h>
#include <stdint.h>

/* One timed pass of ioctls over a range (workloads/timed/ioctl_pass.c). */
struct pass {
	int uffd;
	enum uffd_op op;
	char *area;		/* start of the registered range */
	size_t len;		/* bytes, a multiple of step */
	size_t step;		/* bytes per ioctl: batch * page size */
	const char *src;	/* the source: one batch (COPY) or len bytes (MOVE) */
	uint64_t spin_iters;	/* injected busy-wait per ioctl, TSC ticks (--inject-ns) */
};

struct pass_result {
	uint64_t t_start, t_end;	/* the timed region: the ioctl loop alone */
	uint64_t ioctls, bytes;	/* asked for */
	uint64_t ok, eexist, eagain, short_done, other;
	int other_errno;	/* last errno outside the contract */
};

/* Runs ioctls[p->op]->pass: one of the loops below, chosen outside the clock. */
void ioctl_pass(const struct pass *p, struct pass_result *res);
/* The timed loops, one per uapi struct. */
void pass_copy(const struct pass *p, struct pass_result *res);
void pass_zeropage(const struct pass *p, struct pass_result *res);
void pass_continue(const struct pass *p, struct pass_result *res);
void pass_move(const struct pass *p, struct pass_result *res);
void pass_poison(const struct pass *p, struct pass_result *res);
/* WRITEPROTECT, with ioctls[p->op]->pass_mode: set or clear. */
void pass_writeprotect(const struct pass *p, struct pass_result *res);

/* workloads/timed/spin.c: a calibrated busy-wait, the known regression of --inject-ns. */
double spin_calibrate(void);		/* TSC ticks per ns */
void spin(uint64_t ticks);
double spin_measure_ns(uint64_t ticks, unsigned reps);	/* mean length of spin(ticks) */

/* The workloads, for `uffdbench list` (workloads/workloads.c). */
struct workload_info {
	const char *name;
	const char *subcommand;
	const char *desc;
};
extern const struct workload_info workloads[];
extern const unsigned nr_workloads;

#endif
