/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_WORKLOAD_H
#define UFFDBENCH_WORKLOAD_H

#include "core/common.h"
#include "uffd_types.h"

#include <sys/ioctl.h>

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

/* Runs ioctls[p->op]->pass: its timed loop, chosen outside the clock. */
void ioctl_pass(const struct pass *p, struct pass_result *res);
/* Counts an ioctl outside the contract: a short count or an errno. */
void pass_count(struct pass_result *res, int ret, int64_t done, size_t want);

/*
 * The one timed loop every ioctl's pass is made from: static void
 * timed_pass_NAME(p, res) issuing `req` with a struct `type` initialised
 * once from the remaining arguments (braced), whose range is placed by the
 * statement `place` at offset `off` in each iteration, and whose count of
 * bytes done is `done` (p->step where the struct has none).  Only the
 * ioctl, its check and --inject-ns's spin are inside the clock: no indirect
 * call (test_matrix disassembles every timed_pass_* to check).
 */
#define TIMED_PASS(name, type, req, place, done, ...)				\
static void timed_pass_##name(const struct pass *p, struct pass_result *res)	\
{										\
	type a = __VA_ARGS__;							\
	uint64_t t0, t1;							\
	int ret;								\
										\
	t0 = now_ns();								\
	for (size_t off = 0; off < p->len; off += p->step) {			\
		place;								\
		ret = ioctl(p->uffd, req, &a);					\
		if (__builtin_expect(ret || (done) != (int64_t)p->step, 0))	\
			pass_count(res, ret, (done), p->step);			\
		else								\
			res->ok++;						\
		if (p->spin_iters)						\
			spin(p->spin_iters);					\
	}									\
	t1 = now_ns();								\
	res->t_start = t0;							\
	res->t_end = t1;							\
}

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
