// SPDX-License-Identifier: MIT
/*
 * The handling side of the fault workload: wait for fault events and read
 * up to N of them (wait.c: blocking read, poll or epoll), and resolve each
 * with one ioctl over the window of W pages around it (aligned down to W,
 * inside the part of the range the event's uffd registered).
 *
 * Several handlers on one uffd, or faulting threads sharing pages, mean a
 * window can meet pages another handler has just resolved: the ioctl then
 * fails with EEXIST or stops part-way.  That is counted as a race, and the
 * faulting page is resolved alone or, when it is already there, its waiter
 * woken with UFFDIO_WAKE (a failed ioctl wakes nobody).
 */
#include "faults/faults.h"
#include "core/pattern.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define EAGAIN_RETRIES 1000

/*
 * The source of a COPY into [dst, dst + len): the range-shaped one at dst's
 * offset, or the resolver's hot pages with each first word stamped as the
 * page it goes to (the rest of each is the same hot pattern, checked after).
 */
static const char *source(struct fault_handler *h, char *dst, size_t len)
{
	const struct fault_ctx *c = h->ctx;
	size_t first = (size_t)(dst - c->area) / c->page_size;
	uint64_t gen;

	if (!c->hot)
		return c->src ? c->src + (dst - c->area) : NULL;
	/* acquire: the round's gen, stored after the hot pages were refilled */
	gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
	for (size_t j = 0; j < len / c->page_size; j++)
		pattern_stamp(h->hot + j * c->page_size, gen, first + j);
	return h->hot;
}

/* One ioctl of the workload's op over [dst, dst + len): 0 or -errno; *done bytes. */
static int mfill(struct fault_handler *h, char *dst, size_t len, int64_t *done)
{
	const struct fault_ctx *c = h->ctx;
	const char *src = source(h, dst, len);
	int ret;

	h->ioctls++;
	ret = ioctls[c->op]->issue(h->uffd, dst, src, len, done);
	if (!ret)
		*done = len;
	if (*done > 0)
		h->pages += *done / c->page_size;
	return ret;
}

/* EAGAIN with nothing done (the mm was changing): try again. */
static int mfill_retry(struct fault_handler *h, char *dst, size_t len, int64_t *done)
{
	int ret;

	for (int i = 0; i < EAGAIN_RETRIES; i++) {
		ret = mfill(h, dst, len, done);
		if (ret != -EAGAIN || *done > 0)
			return ret;
		h->eagain++;
	}
	return ret;
}

static int wake(struct fault_handler *h, char *addr)
{
	struct uffdio_range r = { .start = (uintptr_t)addr, .len = h->ctx->page_size };

	h->wakes++;
	if (ioctl(h->uffd, UFFDIO_WAKE, &r))
		return fault_handler_error(h, "UFFDIO_WAKE", errno);
	return 0;
}

static int resolve(struct fault_handler *h, char *addr)
{
	const struct fault_ctx *c = h->ctx;
	size_t wbytes = (size_t)c->window * c->page_size;
	char *lo = c->area + (size_t)(addr - c->area) / wbytes * wbytes, *hi = lo + wbytes;
	int64_t done;
	int ret;

	lo = lo < h->lo ? h->lo : lo;
	hi = hi > h->hi ? h->hi : hi;
	ret = mfill_retry(h, lo, hi - lo, &done);
	if (!ret)
		return 0;
	if (done > 0) {
		h->partial++;
		if (addr < lo + done)
			return 0;	/* resolved, and woken by the kernel */
	} else if (ret == -EEXIST) {
		h->eexist++;
	} else {
		return fault_handler_error(h, uop_ioctl_name(c->op), -ret);
	}
	if (done <= 0 && hi - lo == (ptrdiff_t)c->page_size)
		return wake(h, addr);	/* the window was the faulting page */
	ret = mfill_retry(h, addr, c->page_size, &done);
	if (!ret)
		return 0;
	if (ret != -EEXIST)
		return fault_handler_error(h, uop_ioctl_name(c->op), -ret);
	h->eexist++;
	return wake(h, addr);
}

static int find_faulter(const struct fault_ctx *c, int tid)
{
	for (unsigned i = 0; i < c->nr_faulters; i++)
		if (__atomic_load_n(&c->faulters[i].tid, __ATOMIC_ACQUIRE) == tid)
			return i;
	return -1;
}

static int handle(struct fault_handler *h, const struct uffd_msg *msg)
{
	struct fault_ctx *c = h->ctx;
	char *addr;
	int i;

	if (msg->event != UFFD_EVENT_PAGEFAULT) {
		h->unknown++;
		return 0;
	}
	addr = (char *)(uintptr_t)(msg->arg.pagefault.address & ~(uint64_t)(c->page_size - 1));
	h->events++;
	i = find_faulter(c, msg->arg.pagefault.feat.ptid);
	if (i >= 0)
		__atomic_fetch_add(&c->faulters[i].faults_seen, 1, __ATOMIC_RELEASE);
	else
		h->unknown++;
	if (c->inject == INJ_STALL)
		return 0;
	if (c->inject == INJ_DIE) {
		fault_handler_error(h, "exited without resolving (--inject-handler die)", ECANCELED);
		return -1;
	}
	return resolve(h, addr);
}

/*
 * The main thread's handshake between rounds: it bumps quiesce_req and kicks
 * the handler (a signal, which ends a wait with EINTR) until the handler,
 * back here holding no event, echoes it.  After that no handler can resolve
 * a stale event of the round into the next one's freshly reset range.
 */
static void ack(struct fault_handler *h)
{
	uint64_t req = __atomic_load_n(&h->quiesce_req, __ATOMIC_ACQUIRE);

	if (req != h->quiesce_ack)
		__atomic_store_n(&h->quiesce_ack, req, __ATOMIC_RELEASE);
}

void *fault_handler_main(void *arg)
{
	struct fault_handler *h = arg;
	struct uffd_msg msgs[FAULT_MAX_EVENTS];
	int n;

	for (;;) {
		ack(h);
		if (__atomic_load_n(&h->ctx->stop, __ATOMIC_ACQUIRE))
			break;
		n = fault_wait_read(h, msgs);
		if (n < 0)
			break;
		for (int i = 0; i < n; i++)
			if (handle(h, &msgs[i]))
				goto out;
	}
out:
	__atomic_store_n(&h->exited, 1, __ATOMIC_RELEASE);
	return NULL;
}

int fault_handle(struct fault_handler *h, const struct uffd_msg *msg)
{
	return handle(h, msg);
}

int fault_resolve(struct fault_handler *h, char *addr)
{
	return resolve(h, addr);
}
