// SPDX-License-Identifier: MIT
/*
 * The ioctl-mode workload: walk a range, one ioctl per batch of pages, and
 * time nothing but that walk.  The walk is TIMED_PASS (workload.h), made
 * once per ioctl in its own file; here are its entry and its counting of
 * what falls outside the contract.  Resets, verification and bookkeeping
 * live in the harness, outside the clock.  bench/tests/refloop.c is the same loop
 * with nothing around it; scripts/fidelity checks the two agree.
 */
#include "workload.h"
#include "ioctls/ioctl.h"
#include "core/common.h"

#include <errno.h>

/*
 * The kernel's contract: 0 with the whole range done, or -1 with errno and a
 * done count (copy/zeropage/mapped) that is the bytes done or -errno.
 * Anything but a full success is counted, never retried inside the clock.
 */
void pass_count(struct pass_result *res, int ret, int64_t done, size_t want)
{
	int err = ret ? errno : 0;

	if (!ret && done == (int64_t)want) {
		res->ok++;
		return;
	}
	if (!ret || (done > 0 && done < (int64_t)want)) {
		res->short_done++;
		return;
	}
	if (err == EEXIST) {
		res->eexist++;
	} else if (err == EAGAIN) {
		res->eagain++;
	} else {
		res->other++;
		res->other_errno = err;
	}
}

/* The loop is chosen here, once, outside the clock: nothing indirect inside it. */
void ioctl_pass(const struct pass *p, struct pass_result *res)
{
	*res = (struct pass_result){ .ioctls = p->len / p->step, .bytes = p->len };
	ioctls[p->op]->pass(p, res);
}
