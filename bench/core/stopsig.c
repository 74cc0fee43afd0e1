// SPDX-License-Identifier: MIT
#include "core/stopsig.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

/* Written by the handler, read by every thread: atomic, not volatile. */
static int stop_signal;
static void (*last_words)(void);

static void on_signal(int sig)
{
	int saved_errno = errno;

	if (__atomic_exchange_n(&stop_signal, sig, __ATOMIC_SEQ_CST)) {
		if (last_words)
			last_words();
		/* the second signal: the user's "now", not an error to return */
		_exit(128 + sig);
	}
	errno = saved_errno;
}

void stop_signals_install(void (*on_second_signal)(void))
{
	struct sigaction sa = { .sa_handler = on_signal };

	last_words = on_second_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * run --repeat starts each repeat with both blocked, so that one sent
	 * between its fork and exec waits for this handler instead of being
	 * lost: let it in now.
	 */
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &sa.sa_mask, NULL);
}

int stop_requested(void)
{
	return __atomic_load_n(&stop_signal, __ATOMIC_SEQ_CST);
}

int *stop_flag(void)
{
	return &stop_signal;
}
