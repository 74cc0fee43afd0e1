/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_HUGEPAGES_H
#define UFFDBENCH_HUGEPAGES_H

#include <stddef.h>

/*
 * Make at least `need` huge pages of page_size free, raising nr_hugepages
 * only by the shortfall.  0 when they are free; -1 with why filled (a skip
 * reason: not root, the kernel would not give them) otherwise.  Every pool
 * changed is put back by hugepages_restore(), and by a guard process if this
 * one dies without restoring (SIGKILL included).
 */
int hugepages_ensure(size_t page_size, unsigned long need, char *why, size_t whylen);
/* As hugepages_ensure, but changes nothing: 0 when they are free or could be had. */
int hugepages_check(size_t page_size, unsigned long need, char *why, size_t whylen);
/* Put every changed pool back; async-signal-safe, idempotent. */
void hugepages_restore(void);
long hugepages_read(size_t page_size, const char *file);	/* -1 if absent */
/*
 * Before changing a machine-wide file (run --knob): put orig back from
 * hugepages_restore() and from the guard process if this one dies.  0, or -1
 * (too many files, a path with a space, no guard).  Idempotent per path.
 */
int guard_remember(const char *path, const char *orig);

#endif
