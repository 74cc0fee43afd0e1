/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_WORKLOAD_H
#define UFFDBENCH_WORKLOAD_H

#include "core/uffd.h"

#include <stddef.h>
#include <stdint.h>

/* One timed pass of ioctls over a range (workloads/timed/ioctl_pass.c). */
struct pass {
	int uffd;
	enum uffd_op op;
	char *area;		/* start of the registered range */
	size_t len;		/* bytes, a multiple of step */
	size_t step;		/* bytes per ioctl: batch * page size */
	const char *src;	/* COPY source, step bytes */
	uint64_t spin_iters;	/* injected busy-wait per ioctl, TSC ticks (--inject-ns) */
};

struct pass_result {
	uint64_t t_start, t_end;	/* the timed region: the ioctl loop alone */
	uint64_t ioctls, bytes;	/* asked for */
	uint64_t ok, eexist, eagain, short_done, other;
	int other_errno;	/* last errno outside the contract */
};

void ioctl_pass(const struct pass *p, struct pass_result *res);

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
