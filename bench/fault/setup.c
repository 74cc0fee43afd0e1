// SPDX-License-Identifier: MIT
/*
 * Setting a fault configuration up and down: the range and its alias, the
 * COPY source (by default each resolver's hot window of pages, whose first
 * words it stamps per fault; with range_src one laid out as the range, so a
 * window's source is at the same offset), the userfaultfds and the parts they register, every faulting
 * thread's touch order.  Also the untimed reset between rounds, and the
 * abort that frees faulting threads blocked on handlers that will not answer.
 */
#include "fault/state.h"
#include "core/common.h"
#include "core/pattern.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Part i of n of [0, pages), in whole units where there are enough of them. */
static void split(size_t pages, size_t unit, unsigned n, unsigned i, size_t *lo, size_t *hi)
{
	size_t units = pages / unit;

	if (units < n) {
		unit = 1;
		units = pages;
	}
	*lo = i * units / n * unit;
	*hi = i + 1 == n ? pages : (i + 1) * units / n * unit;
}

static int setup_fail(struct fault_state *s, const char *what, int err)
{
	snprintf(s->res->reason, sizeof(s->res->reason), "%s: %s", what, errno_name(err));
	s->res->status = FAULT_FAILED;
	return -1;
}

static void *zalloc_aligned(size_t n)
{
	return memset(xaligned_alloc(CACHELINE, n), 0, n);
}

static void alloc_state(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	size_t orders = c->share ? (size_t)c->faulters * s->ctx.pages : s->ctx.pages;
	unsigned h = c->handlers ? c->handlers : 1;

	s->ft = zalloc_aligned(c->faulters * sizeof(*s->ft));
	s->fh = zalloc_aligned(fault_resolvers(c) * sizeof(*s->fh));
	s->orders = xcalloc(orders, sizeof(*s->orders));
	s->uffds = xcalloc(h, sizeof(*s->uffds));
	s->parts = xcalloc(h, sizeof(*s->parts));
	s->hclock = xcalloc(h, sizeof(*s->hclock));
	s->hcpu_mark = xcalloc(h, sizeof(*s->hcpu_mark));
	for (unsigned i = 0; i < h; i++)
		s->uffds[i] = -1;
}

static void setup_faulters(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	uint32_t *order = s->orders;
	size_t lo, hi;

	for (unsigned i = 0; i < c->faulters; i++) {
		struct fault_thread *f = &s->ft[i];

		if (c->share) {
			lo = 0;
			hi = s->ctx.pages;
		} else {
			split(s->ctx.pages, c->window, c->faulters, i, &lo, &hi);
		}
		fault_build_order(order, hi - lo, lo, c->share ? i * (hi - lo) / c->faulters : 0,
				  c->pattern, c->stride, c->seed + i);
		*f = (struct fault_thread){ .ctx = &s->ctx, .id = i, .cpu = s->res->faulter_cpus[i],
					    .order = order, .n_order = hi - lo };
		hist_init(&f->st.lat);
		hist_init(&f->st.svc);
		hist_init(&f->st.all);
		order += hi - lo;
	}
}

/* A new uffd for the part [lo, hi) pages, blocking only for the read style. */
static int part_uffd(struct fault_state *s, unsigned i, size_t lo, size_t hi)
{
	const struct fault_cfg *c = s->cfg;
	uint64_t features = s->env->features | (c->wait == WAIT_SIGBUS ? UFFD_FEATURE_SIGBUS : 0);
	size_t psz = s->ctx.page_size;
	int fd, ret;

	fd = s->uffds[i] = uffd_new(features, NULL);
	if (fd < 0)
		return setup_fail(s, "userfaultfd", -fd);
	if (c->wait == WAIT_READ && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))
		return setup_fail(s, "fcntl(uffd)", errno);
	ret = uop_register(fd, c->op, s->r.area + lo * psz, (hi - lo) * psz, NULL);
	if (ret)
		return setup_fail(s, "register", -ret);
	s->parts[i] = (struct fault_part){ .uffd = fd, .lo = s->r.area + lo * psz,
					   .hi = s->r.area + hi * psz };
	return 0;
}

/* WAIT_EPOLL: one epoll set over every uffd, the part's index as its data. */
static int setup_epoll(struct fault_state *s)
{
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return setup_fail(s, "epoll_create1", errno);
	for (unsigned i = 0; i < s->nr_uffds; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->parts[i].uffd, &ev))
			return setup_fail(s, "epoll_ctl", errno);
	}
	s->ctx.epfd = s->epfd;
	return 0;
}

/*
 * One uffd for all handlers, or one each registering its own part.  In
 * SIGBUS mode every faulting thread gets a resolver on the one uffd.
 */
static int setup_uffds(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	size_t lo, hi;

	s->nr_uffds = c->layout == UFFD_PER_HANDLER ? c->handlers : 1;
	for (unsigned i = 0; i < s->nr_uffds; i++) {
		split(s->ctx.pages, c->window, s->nr_uffds, i, &lo, &hi);
		if (part_uffd(s, i, lo, hi))
			return -1;
	}
	s->ctx.parts = s->parts;
	s->ctx.nr_parts = s->nr_uffds;
	for (unsigned i = 0; i < fault_resolvers(c); i++) {
		struct fault_handler *h = &s->fh[i];
		const struct fault_part *p = &s->parts[s->nr_uffds > 1 ? i : 0];

		*h = (struct fault_handler){ .ctx = &s->ctx, .id = i, .own = *p, .uffd = p->uffd,
					     .lo = p->lo, .hi = p->hi,
					     .cpu = c->wait == WAIT_SIGBUS ? s->res->faulter_cpus[i]
									   : s->res->handler_cpus[i] };
	}
	return c->wait == WAIT_EPOLL ? setup_epoll(s) : 0;
}

/* Each resolver's hot source: window pages, hot in its cache from the first fault on. */
static int setup_hot(struct fault_state *s)
{
	size_t len = (size_t)s->cfg->window * s->ctx.page_size;

	for (unsigned i = 0; i < fault_resolvers(s->cfg); i++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return setup_fail(s, "hot source", errno);
		s->fh[i].hot = p;
	}
	return 0;
}

int fault_setup(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	int ret;

	s->pagemap_fd = s->epfd = -1;
	s->r = (struct region){ .mt = c->mt, .fd = -1, .page_size = s->ctx.page_size };
	alloc_state(s);
	s->ctx.faulters = s->ft;
	ret = c->mt->setup(&s->r, c->size);
	if (ret) {
		s->r.area = NULL;
		return setup_fail(s, "setup", ret);
	}
	s->ctx.area = s->r.area;
	s->ctx.hot = fault_hot_source(c);
	if (ioctls[c->op]->src != SRC_NONE && !s->ctx.hot) {
		s->src = mmap(NULL, c->size, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s->src == MAP_FAILED) {
			s->src = NULL;
			return setup_fail(s, "source buffer", errno);
		}
		s->ctx.src = s->src;
	}
	s->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (s->pagemap_fd < 0)
		return setup_fail(s, "open pagemap", errno);
	setup_faulters(s);
	if (setup_uffds(s))
		return -1;
	return s->ctx.hot ? setup_hot(s) : 0;
}

void fault_teardown(struct fault_state *s)
{
	for (unsigned i = 0; s->uffds && i < s->nr_uffds; i++)
		if (s->uffds[i] >= 0)
			close(s->uffds[i]);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->pagemap_fd >= 0)
		close(s->pagemap_fd);
	if (s->src)
		munmap(s->src, s->cfg->size);
	for (unsigned i = 0; s->fh && i < fault_resolvers(s->cfg); i++)
		if (s->fh[i].hot)
			munmap(s->fh[i].hot, (size_t)s->cfg->window * s->ctx.page_size);
	if (s->r.area)
		s->cfg->mt->teardown(&s->r);
	free(s->ft);
	free(s->fh);
	free(s->orders);
	free(s->uffds);
	free(s->parts);
	free(s->hclock);
	free(s->hcpu_mark);
}

void fault_state_init(struct fault_state *s, const struct fault_cfg *c, const struct fault_env *e,
		      struct fault_result *r)
{
	pthread_condattr_t ca;

	s->cfg = c;
	s->env = e;
	s->res = r;
	s->ctx = (struct fault_ctx){ .page_size = r->page_size, .pages = r->pages, .op = c->op,
		.write = c->write, .window = c->window, .inject = c->inject,
		.nr_faulters = c->faulters, .signal = e->signal, .wait = c->wait,
		.events = c->events ? c->events : 1, .epfd = -1 };
	if (c->rate > 0)
		s->ctx.interval = (uint64_t)(c->faulters * 1e9 / c->rate + 0.5) ?: 1;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&s->lock, NULL);
	pthread_barrier_init(&s->go, NULL, c->faulters + 1);
}

void fault_state_free(struct fault_state *s)
{
	fault_teardown(s);
	pthread_barrier_destroy(&s->go);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

int fault_prepare(struct fault_state *s, uint64_t gen)
{
	const struct fault_cfg *c = s->cfg;
	size_t psz = s->ctx.page_size;
	int ret;

	/* CONTINUE too starts from an empty file: fresh pages every round, as `run` does */
	ret = c->mt->reset(&s->r);
	if (ret)
		return setup_fail(s, "reset", ret);
	if (ioctls[c->op]->from_page_cache) {
		ret = c->mt->populate ? c->mt->populate(&s->r, gen) : -EOPNOTSUPP;
		return ret ? setup_fail(s, "populate", ret) : 0;
	}
	if (s->src)
		for (size_t i = 0; i < s->ctx.pages; i++)
			pattern_fill(s->src + i * psz, psz, pattern_tag(gen, i));
	for (unsigned i = 0; s->ctx.hot && i < fault_resolvers(c); i++)
		for (unsigned j = 0; j < c->window; j++)
			pattern_fill(s->fh[i].hot + j * psz, psz, pattern_tag(gen, PATTERN_HOT_INDEX));
	return 0;
}

void fault_abort(struct fault_state *s, bool interrupted, const char *fmt, ...)
{
	uint64_t zero = 0;
	va_list ap;

	pthread_mutex_lock(&s->lock);
	if (!s->error[0]) {
		va_start(ap, fmt);
		vsnprintf(s->error, sizeof(s->error), fmt, ap);
		va_end(ap);
		s->interrupted = interrupted;
	}
	pthread_mutex_unlock(&s->lock);
	if (!__atomic_compare_exchange_n(&s->abort_ns, &zero, now_ns(), false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&s->ctx.abort, 1, __ATOMIC_RELEASE);
	for (unsigned i = 0; i < s->nr_uffds; i++) {
		size_t lo, hi;

		split(s->ctx.pages, s->cfg->window, s->nr_uffds, i, &lo, &hi);
		uffd_unregister(s->uffds[i], s->r.area + lo * s->ctx.page_size,
				(hi - lo) * s->ctx.page_size);
	}
	fault_wake_all(s);
}

/*
 * Unregistering wakes blocked MISSING faults but not MINOR ones: wake every
 * part explicitly.  The range is no longer registered, so a woken fault is
 * resolved by the kernel as any other.
 */
void fault_wake_all(struct fault_state *s)
{
	for (unsigned i = 0; i < s->nr_uffds; i++) {
		struct uffdio_range r;
		size_t lo, hi;

		split(s->ctx.pages, s->cfg->window, s->nr_uffds, i, &lo, &hi);
		r = (struct uffdio_range){ .start = (uintptr_t)s->r.area + lo * s->ctx.page_size,
					   .len = (hi - lo) * s->ctx.page_size };
		ioctl(s->uffds[i], UFFDIO_WAKE, &r);
	}
}
