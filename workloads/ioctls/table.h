/* SPDX-License-Identifier: MIT */
/*
 * The table of ioctls: one line each, X(ENUM, name) for the file
 * workloads/ioctls/name.c that defines `const struct ioctl_ops ioctl_name`.
 * The only place that lists them: enum uffd_op (UOP_ENUM) and ioctls[] are
 * expanded from it.  The order is the one caps, list and results show.
 */
#ifndef UFFDBENCH_IOCTLS_TABLE_H
#define UFFDBENCH_IOCTLS_TABLE_H

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
