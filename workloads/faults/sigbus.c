// SPDX-License-Identifier: MIT
/*
 * SIGBUS mode: with UFFD_FEATURE_SIGBUS a fault in the registered range
 * raises SIGBUS in the faulting thread instead of queueing an event for a
 * handler.  The SIGBUS handler counts the fault for its thread, resolves it
 * with the same ioctl a handler thread would (handler.c: the window, its
 * races, EEXIST) and returns: the access restarts and finds the page.  No
 * handler thread, no wake-up of another thread, no read().
 *
 * When the ioctl fails the error is recorded and the handler sleeps 1 ms
 * before returning; the access faults again until the main thread sees the
 * error and ends the round by unregistering the range, after which the
 * access completes as an ordinary fault.
 */
#include "faults/faults.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static __thread struct fault_handler *resolver;
static __thread struct fault_thread *faulter;
static struct sigaction sigbus_old;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	struct fault_handler *h = resolver;
	char *addr = si->si_addr;
	int saved = errno;
	size_t psz;

	(void)sig;
	(void)uc;
	if (!h || si->si_code != BUS_ADRERR || addr < h->lo || addr >= h->hi) {
		/* not a fault of ours: the restarted access dies as it would have */
		signal(SIGBUS, SIG_DFL);
		return;
	}
	psz = h->ctx->page_size;
	h->events++;
	__atomic_fetch_add(&faulter->faults_seen, 1, __ATOMIC_RELEASE);
	if (fault_resolve(h, (char *)((uintptr_t)addr & ~(uintptr_t)(psz - 1)))) {
		struct timespec ms = { .tv_nsec = 1000000 };

		nanosleep(&ms, NULL);
	}
	errno = saved;
}

int fault_sigbus_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, &sigbus_old) ? -errno : 0;
}

void fault_sigbus_restore(void)
{
	sigaction(SIGBUS, &sigbus_old, NULL);
}

void fault_sigbus_attach(struct fault_handler *h, struct fault_thread *f)
{
	resolver = h;
	faulter = f;
}
