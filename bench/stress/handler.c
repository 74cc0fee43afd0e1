// SPDX-License-Identifier: MIT
/*
 * The fault handlers: poll every type's userfaultfd, read the events and
 * resolve each fault with one ioctl over a small random window around it --
 * COPY or ZEROPAGE for a missing page, CONTINUE for a minor fault, COPY into
 * the page cache for a fault on a minor range's alias (the table's ops of
 * those kinds, stress/ops.c).  Anything short of a full success (a racing
 * fill, a punched page) leaves the faulting thread asleep, so it is woken
 * with UFFDIO_WAKE to fault again.  A fork event (--fork with
 * UFFD_FEATURE_EVENT_FORK) hands over the child's userfaultfd, which is
 * closed at once: the child then just sees its memory.
 */
#include "stress/stress.h"
#include "core/common.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define POLL_MS 50
#define EAGAIN_TRIES 100
#define MAX_WINDOW 4
#define LOOP_LIMIT 100000

struct fault {
	struct srange *rg;
	bool alias, minor;
	size_t page;		/* the faulting page */
	size_t i, n;		/* the window resolved */
};

/*
 * A minor fault: the op mapping it from the page cache (its range exists for
 * one); on an alias, or without a zero fill, the one filling from a source
 * (the alias is registered for it); else either of the type's fills.
 */
static enum uffd_op fault_op(struct stress_thread *t, const struct fault *f)
{
	unsigned ops = f->rg->st->ops;
	int copy = stress_op(ops, SK_COPY), zero = stress_op(ops, SK_ZEROPAGE);

	if (f->minor)
		return stress_op(UOP_ALL, SK_CONTINUE);
	if (f->alias || zero < 0)
		return stress_op(UOP_ALL, SK_COPY);
	if (copy < 0)
		return zero;
	return stress_below(t, 3) ? copy : zero;
}

static enum stress_outcome resolve_once(struct stress_thread *t, struct fault *f,
					enum uffd_op op, int *err, int64_t *done)
{
	struct srange *rg = f->rg;
	size_t ps = rg->r.page_size;
	char *dst = (f->alias ? rg->r.alias : rg->r.area) + f->i * ps;
	uint64_t seq = 0, present = 0, gen;
	enum stress_outcome o;
	enum stress_kind k = stress_op_kind(op);
	const char *why;

	if (k == SK_CONTINUE) {
		seq = __atomic_load_n(&rg->ps[f->i].seq, __ATOMIC_SEQ_CST);
		present = __atomic_load_n(&rg->ps[f->i].present_seq, __ATOMIC_SEQ_CST);
		*err = stress_mfill(rg->st->uffd, op, dst, NULL, f->n * ps, done);
	} else {
		gen = stress_fill_begin(t);
		stress_fill_mark(rg, f->i, f->n, gen, k == SK_ZEROPAGE);
		if (k == SK_COPY)
			stress_fill_src(rg, t->src, f->i, f->n, gen);
		*err = stress_mfill(rg->st->uffd, op, dst, t->src, f->n * ps, done);
		stress_fill_end(t);
	}
	o = stress_classify(op, *err, *done, f->n * ps, ps, rg->st->mt->huge_size, &why);
	/* a hole on the window's first page only (the count says where it stopped) */
	if (o == SO_HOLE && !stress_hole_allowed(rg, f->i, seq, present))
		o = SO_ERROR, why = "a hole reported where the page cache held the page all along";
	if (o == SO_ERROR)
		stress_fail_ioctl(t, rg, SK_FAULT, *err, f->i, *done, f->n * ps, why);
	return o;
}

static void wake(struct stress_thread *t, struct fault *f)
{
	struct srange *rg = f->rg;
	size_t ps = rg->r.page_size;
	struct uffdio_range r = {
		.start = (uintptr_t)(f->alias ? rg->r.alias : rg->r.area) + f->page * ps, .len = ps,
	};

	if (ioctl(rg->st->uffd, UFFDIO_WAKE, &r))
		stress_fail_op(t, rg, SK_FAULT, errno, f->page, "UFFDIO_WAKE");
}

/* A random window of 1..MAX_WINDOW pages holding the faulting page. */
static void pick_window(struct stress_thread *t, struct fault *f)
{
	size_t max = f->rg->st->max_batch < MAX_WINDOW ? f->rg->st->max_batch : MAX_WINDOW;

	f->n = 1 + stress_below(t, max);
	f->n = f->n > f->rg->pages ? f->rg->pages : f->n;
	f->i = f->page >= f->n - 1 ? f->page - stress_below(t, f->n) : 0;
	if (f->i + f->n > f->rg->pages)
		f->i = f->rg->pages - f->n;
}

static enum stress_outcome resolve_retry(struct stress_thread *t, struct fault *f,
					 enum uffd_op op, int64_t *done)
{
	enum stress_outcome o;
	int err, tries = 0;

	do
		o = resolve_once(t, f, op, &err, done);
	while (o == SO_EAGAIN && ++tries < EAGAIN_TRIES);
	return o;
}

/*
 * The same page faulting again and again while the kernel says it is there
 * would hang its thread for good: after LOOP_LIMIT rounds in a row, fail.
 */
static void watch_loop(struct stress_thread *t, struct fault *f, enum stress_outcome o)
{
	struct stress_failure bad = { .what = SF_OP, .type = memtype_index(f->rg->st->mt),
				      .range = f->rg->kind, .op = SK_FAULT, .page = f->page };
	uintptr_t key = (uintptr_t)f->rg + f->page * 2 + f->alias;

	if (o == SO_OK || key != t->loop_key) {
		t->loop_key = key;
		t->loop_count = 0;
		return;
	}
	if (++t->loop_count != LOOP_LIMIT)
		return;
	snprintf(bad.what_text, sizeof(bad.what_text), "%s page faulted %d times in a row, "
		 "each resolving ioctl answering %s (the faulting thread never gets the page)",
		 f->alias ? "an alias" : "a", LOOP_LIMIT, stress_outcome_name(o));
	stress_fail(t->c, &bad);
}

static void resolve(struct stress_thread *t, struct fault *f)
{
	enum uffd_op op = fault_op(t, f);
	enum stress_outcome o;
	int64_t done = 0;

	pick_window(t, f);
	o = resolve_retry(t, f, op, &done);
	if (o == SO_ERROR)
		return;
	stress_count(t, f->rg, SK_FAULT, o, done > 0 ? done / f->rg->r.page_size : 0);
	if ((o == SO_EEXIST || o == SO_SHORT) && f->n > 1) {
		/* the window met a filled page: try the faulting page alone */
		f->i = f->page, f->n = 1;
		o = resolve_retry(t, f, op, &done);
		if (o == SO_ERROR)
			return;
		stress_count(t, f->rg, SK_FAULT, o, done > 0 ? 1 : 0);
	}
	watch_loop(t, f, o);
	if (o != SO_OK)
		wake(t, f);
}

static void on_pagefault(struct stress_thread *t, int uffd, const struct uffd_msg *m)
{
	uint64_t addr = m->arg.pagefault.address;
	struct fault f = { .minor = m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_MINOR };
	struct stress_failure bad = { .what = SF_OP, .type = -1, .range = -1, .op = SK_FAULT };
	uintptr_t base;

	f.rg = stress_find_range(t->c, uffd, addr, &f.alias);
	if (!f.rg || (f.minor && (f.alias || f.rg->kind != RANGE_MINOR)) ||
	    (!f.minor && !f.alias && f.rg->kind == RANGE_MINOR)) {
		snprintf(bad.what_text, sizeof(bad.what_text),
			 "a fault the registrations cannot produce: address %#lx, flags %#llx",
			 (unsigned long)addr, (unsigned long long)m->arg.pagefault.flags);
		stress_fail(t->c, &bad);
		return;
	}
	base = (uintptr_t)(f.alias ? f.rg->r.alias : f.rg->r.area);
	f.page = (addr - base) / f.rg->r.page_size;
	resolve(t, &f);
}

static void on_event(struct stress_thread *t, int uffd, const struct uffd_msg *m)
{
	struct stress_failure bad = { .what = SF_OP, .type = -1, .range = -1, .op = SK_FAULT };

	switch (m->event) {
	case UFFD_EVENT_PAGEFAULT:
		on_pagefault(t, uffd, m);
		return;
	case UFFD_EVENT_FORK:
		close(m->arg.fork.ufd);
		stat_add(&t->st.fork_events, 1);
		return;
	}
	snprintf(bad.what_text, sizeof(bad.what_text), "an event never asked for: %u", m->event);
	stress_fail(t->c, &bad);
}

static void drain(struct stress_thread *t, int uffd)
{
	struct uffd_msg msg[8];
	ssize_t n = read(uffd, msg, sizeof(msg));

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			stress_fail_op(t, NULL, SK_FAULT, errno, 0, "read(userfaultfd)");
		return;
	}
	for (size_t k = 0; k < (size_t)n / sizeof(msg[0]); k++)
		on_event(t, uffd, &msg[k]);
}

void *stress_handler(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_ctx *c = t->c;
	struct pollfd pfd[CAPS_MAX_MEMTYPES];

	for (unsigned i = 0; i < c->nr_types; i++)
		pfd[i] = (struct pollfd){ .fd = c->type[i].uffd, .events = POLLIN };
	while (!__atomic_load_n(&c->stop_handlers, __ATOMIC_SEQ_CST)) {
		if (poll(pfd, c->nr_types, POLL_MS) <= 0)
			continue;
		for (unsigned i = 0; i < c->nr_types; i++)
			if (pfd[i].revents)
				drain(t, pfd[i].fd);
	}
	return NULL;
}
