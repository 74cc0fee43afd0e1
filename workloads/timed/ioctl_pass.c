// SPDX-License-Identifier: MIT
/*
 * The ioctl-mode workload: walk a range, one ioctl per batch of pages, and
 * time nothing but that walk.  Resets, verification and bookkeeping live in
 * the harness, outside the clock.  bench/tests/refloop.c is the same loop
 * with nothing around it; scripts/fidelity checks the two agree.
 */
#include "workload.h"
#include "core/common.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

/*
 * The kernel's contract: 0 with the whole range done, or -1 with errno and a
 * done count (copy/zeropage/mapped) that is the bytes done or -errno.
 * Anything but a full success is counted, never retried inside the clock.
 */
static void count(struct pass_result *res, int ret, int64_t done, size_t want)
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

static void copy_pass(const struct pass *p, struct pass_result *res)
{
	struct uffdio_copy a = { .src = (unsigned long)p->src, .len = p->step };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.dst = (unsigned long)p->area + off;
		ret = ioctl(p->uffd, UFFDIO_COPY, &a);
		if (__builtin_expect(ret || a.copy != (int64_t)p->step, 0))
			count(res, ret, a.copy, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

static void zeropage_pass(const struct pass *p, struct pass_result *res)
{
	struct uffdio_zeropage a = { .range.len = p->step };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.range.start = (unsigned long)p->area + off;
		ret = ioctl(p->uffd, UFFDIO_ZEROPAGE, &a);
		if (__builtin_expect(ret || a.zeropage != (int64_t)p->step, 0))
			count(res, ret, a.zeropage, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

static void continue_pass(const struct pass *p, struct pass_result *res)
{
	struct uffdio_continue a = { .range.len = p->step };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.range.start = (unsigned long)p->area + off;
		ret = ioctl(p->uffd, UFFDIO_CONTINUE, &a);
		if (__builtin_expect(ret || a.mapped != (int64_t)p->step, 0))
			count(res, ret, a.mapped, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

void ioctl_pass(const struct pass *p, struct pass_result *res)
{
	static void (*const pass_fn[UOP_NR])(const struct pass *, struct pass_result *) = {
		[UOP_COPY] = copy_pass,
		[UOP_ZEROPAGE] = zeropage_pass,
		[UOP_CONTINUE] = continue_pass,
	};

	*res = (struct pass_result){ .ioctls = p->len / p->step, .bytes = p->len };
	pass_fn[p->op](p, res);
}
