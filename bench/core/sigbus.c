// SPDX-License-Identifier: MIT
#include "core/sigbus.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned users;
static struct sigaction saved;
static __thread sigjmp_buf jump;
static __thread volatile sig_atomic_t armed;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (armed) {
		armed = 0;
		siglongjmp(jump, 1);
	}
	/* Not ours: the default action on return, when the access repeats. */
	signal(sig, SIG_DFL);
}

static int get(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO | SA_NODEFER };
	int ret = 0;

	pthread_mutex_lock(&lock);
	if (!users && sigaction(SIGBUS, &sa, &saved))
		ret = -errno;
	users += !ret;
	pthread_mutex_unlock(&lock);
	return ret;
}

static void put(void)
{
	pthread_mutex_lock(&lock);
	if (!--users)
		sigaction(SIGBUS, &saved, NULL);
	pthread_mutex_unlock(&lock);
}

int sigbus_probe(const volatile char *addr)
{
	volatile int hit = 0;
	int ret = get();

	if (ret)
		return ret;
	if (sigsetjmp(jump, 1)) {
		hit = 1;
	} else {
		armed = 1;
		(void)*addr;
		armed = 0;
	}
	put();
	return hit;
}
