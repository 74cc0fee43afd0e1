// SPDX-License-Identifier: MIT
/*
 * How a handler waits for fault events and reads them, one style each:
 *
 *   read   a blocking read() of its uffd: one syscall per wake-up;
 *   poll   poll() on its uffd, then a non-blocking read(): two;
 *   epoll  epoll_wait() on one epoll set over every uffd, then a
 *          non-blocking read() of the ready one: two, and any handler
 *          serves any uffd (with one uffd and several handlers, a fault
 *          wakes one of them, where read and poll wake every one).
 *
 * A read() takes up to ctx->events events at once.  Only "read" uses a
 * blocking uffd (bench/fault/setup.c clears O_NONBLOCK for it).
 *
 * Stopping the handlers and the handshake between rounds interrupt a wait
 * with a signal (fault_kick): installed without SA_RESTART, it makes the
 * blocking read(), poll() or epoll_wait() fail with EINTR.
 */
#include "faults/faults.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

const char *const fault_wait_names[WAIT_NR] = {
	[WAIT_READ] = "read", [WAIT_POLL] = "poll", [WAIT_EPOLL] = "epoll",
	[WAIT_SIGBUS] = "sigbus",
};

static struct sigaction kick_old;

/* A real-time signal glibc leaves to applications. */
static int kick_signal(void)
{
	return SIGRTMIN + 2;
}

static void on_kick(int sig)
{
	(void)sig;
}

int fault_kick_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;	/* no SA_RESTART: the wait returns EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(kick_signal(), &sa, &kick_old) ? -errno : 0;
}

void fault_kick_restore(void)
{
	sigaction(kick_signal(), &kick_old, NULL);
}

int fault_kick(const struct fault_handler *h)
{
	return -pthread_kill(h->thread, kick_signal());
}

/* Events read; 0 when interrupted or another handler took them; -1 on an error. */
static int read_events(struct fault_handler *h, struct uffd_msg *msgs)
{
	ssize_t n = read(h->uffd, msgs, h->ctx->events * sizeof(*msgs));

	if (n > 0 && n % sizeof(*msgs) == 0) {
		h->reads++;
		return n / sizeof(*msgs);
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	fault_handler_error(h, "read", n < 0 ? errno : EIO);
	return -1;
}

static int wait_poll(struct fault_handler *h, struct uffd_msg *msgs)
{
	struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };

	if (poll(&pfd, 1, -1) < 0) {
		if (errno == EINTR)
			return 0;
		fault_handler_error(h, "poll", errno);
		return -1;
	}
	h->waits++;
	return read_events(h, msgs);
}

static int wait_epoll(struct fault_handler *h, struct uffd_msg *msgs)
{
	const struct fault_ctx *c = h->ctx;
	const struct fault_part *p;
	struct epoll_event ev;
	int n = epoll_wait(c->epfd, &ev, 1, -1);

	if (n < 0) {
		if (errno == EINTR)
			return 0;
		fault_handler_error(h, "epoll_wait", errno);
		return -1;
	}
	if (!n)
		return 0;
	h->waits++;
	p = &c->parts[ev.data.u32];
	h->uffd = p->uffd;
	h->lo = p->lo;
	h->hi = p->hi;
	return read_events(h, msgs);
}

int fault_wait_read(struct fault_handler *h, struct uffd_msg *msgs)
{
	switch (h->ctx->wait) {
	case WAIT_POLL:
		return wait_poll(h, msgs);
	case WAIT_EPOLL:
		return wait_epoll(h, msgs);
	default:
		return read_events(h, msgs);
	}
}
