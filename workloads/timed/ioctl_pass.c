// SPDX-License-Identifier: MIT
/*
 * The ioctl-mode workload: walk a range, one ioctl per batch of pages, and
 * time nothing but that walk.  Resets, verification and bookkeeping live in
 * the harness, outside the clock.  bench/tests/refloop.c is the same loop
 * with nothing around it; scripts/fidelity checks the two agree.
 */
#include "workload.h"
#include "core/common.h"
#include "ioctls/uapi.h"

#include <errno.h>
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

void pass_copy(const struct pass *p, struct pass_result *res)
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

void pass_zeropage(const struct pass *p, struct pass_result *res)
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

void pass_continue(const struct pass *p, struct pass_result *res)
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

void pass_move(const struct pass *p, struct pass_result *res)
{
	struct uffdio_move a = { .len = p->step };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.dst = (unsigned long)p->area + off;
		a.src = (unsigned long)p->src + off;
		ret = ioctl(p->uffd, UFFDIO_MOVE, &a);
		if (__builtin_expect(ret || a.move != (int64_t)p->step, 0))
			count(res, ret, a.move, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

void pass_poison(const struct pass *p, struct pass_result *res)
{
	struct uffdio_poison a = { .range.len = p->step };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.range.start = (unsigned long)p->area + off;
		ret = ioctl(p->uffd, UFFDIO_POISON, &a);
		if (__builtin_expect(ret || a.updated != (int64_t)p->step, 0))
			count(res, ret, a.updated, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

/* No count field: the whole range, or -1 with errno. */
void pass_writeprotect(const struct pass *p, struct pass_result *res)
{
	struct uffdio_writeprotect a = { .range.len = p->step, .mode = ioctls[p->op]->pass_mode };
	uint64_t t0, t1;
	int ret;

	t0 = now_ns();
	for (size_t off = 0; off < p->len; off += p->step) {
		a.range.start = (unsigned long)p->area + off;
		ret = ioctl(p->uffd, UFFDIO_WRITEPROTECT, &a);
		if (__builtin_expect(ret, 0))
			count(res, ret, 0, p->step);
		else
			res->ok++;
		if (p->spin_iters)
			spin(p->spin_iters);
	}
	t1 = now_ns();
	res->t_start = t0;
	res->t_end = t1;
}

/* The loop is chosen here, once, outside the clock: nothing indirect inside it. */
void ioctl_pass(const struct pass *p, struct pass_result *res)
{
	*res = (struct pass_result){ .ioctls = p->len / p->step, .bytes = p->len };
	ioctls[p->op]->pass(p, res);
}
