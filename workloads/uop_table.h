/* SPDX-License-Identifier: MIT */
/*
 * The list of ioctls: one line each, X(ENUM, name) for the file
 * workloads/ioctls/name.c that defines `const struct ioctl_ops ioctl_name`.
 * The only place that lists them: enum uffd_op (uffd_types.h) and ioctls[]
 * (ioctls/ioctls.c) are expanded from it.  It sits in workloads/, below
 * ioctls/ and memtypes/, because both tables' shared header needs it.  The
 * order is the one caps, list and results show.
 */
#ifndef UFFDBENCH_UOP_TABLE_H
#define UFFDBENCH_UOP_TABLE_H

#define UOP_TABLE(X)			\
	X(COPY, copy)			\
	X(ZEROPAGE, zeropage)		\
	X(CONTINUE, continue)		\
	X(MOVE, move)			\
	X(POISON, poison)		\
	X(WRITEPROTECT, writeprotect)	\
	X(UNPROTECT, unprotect)		\
	X(COPY_WP, copy_wp)

#endif
