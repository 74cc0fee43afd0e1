/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_KNOB_H
#define UFFDBENCH_KNOB_H

#include <stddef.h>

/*
 * run --knob PATH=V1,V2,...: a sysfs/procfs/debugfs file (or, for tests, a
 * regular file) written before each cell.  knob_check() tries every value
 * once (write, read back) and puts the original back: 0, or -1 with err (a
 * usage error: nothing is left changed).  knob_set() writes one value, reads
 * it back into got and checks it; the first call hands the original to the
 * hugepages guard, so hugepages_restore() and the guard process put it back.
 */
int knob_check(const char *path, char vals[][64], unsigned nr, char *err, size_t len);
int knob_set(const char *path, const char *val, char *got, size_t gotlen,
	     char *err, size_t len);

#endif
