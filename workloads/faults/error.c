// SPDX-License-Identifier: MIT
/*
 * A handler's (or, in SIGBUS mode, a faulting thread's) first error, shared
 * by the resolving side (handler.c) and the waiting side (wait.c).
 */
#include "faults/faults.h"

#include <stdio.h>

static bool aborting(const struct fault_ctx *c)
{
	return __atomic_load_n(&c->abort, __ATOMIC_RELAXED);
}

/* Record the first error; the run is ended by the main thread.  -1, or 0 when aborting. */
int fault_handler_error(struct fault_handler *h, const char *what, int err)
{
	struct fault_ctx *c = h->ctx;

	if (aborting(c))
		return 0;	/* the main thread unregistered the range: expected */
	if (__atomic_load_n(&h->failed, __ATOMIC_RELAXED))
		return -1;	/* SIGBUS mode: the fault retries until the main thread aborts */
	snprintf(h->error, sizeof(h->error), "%s %u: %s: %s",
		 c->wait == WAIT_SIGBUS ? "faulting thread" : "handler", h->id, what,
		 errno_name(err));
	__atomic_store_n(&h->failed, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->handler_failed, 1, __ATOMIC_RELEASE);
	return -1;
}
