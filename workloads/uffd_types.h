/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_UFFD_TYPES_H
#define UFFDBENCH_UFFD_TYPES_H

/*
 * The types the two tables share, in one small header below both: the
 * ioctls (enum uffd_op, expanded from uop_table.h) and the memory types'
 * classes and regions (enum mem_class, struct region).  The ioctl table
 * (ioctls/ioctl.h) names the classes it targets and works on regions; the
 * memory type table (memtypes/memtype.h) makes regions.  Whoever only names
 * an op or passes a region includes this, not the tables.
 */
#include "uop_table.h"

#include <stddef.h>

/* Index of each entry in ioctls[] (ioctls/ioctls.c), from the list in uop_table.h. */
#define UOP_ENUM(e, name) UOP_##e,
enum uffd_op { UOP_TABLE(UOP_ENUM) UOP_NR };
#undef UOP_ENUM
#define UOP_ALL ((1u << UOP_NR) - 1)

/*
 * What a memory type is, as the ioctls' table names it (their targets and
 * controls): its backing and whether the registered view is shared.  Each
 * type is in exactly one class (memtype_class), whatever its huge page size.
 */
enum mem_class {
	MEM_ANON = 1u << 0,		/* private anonymous */
	MEM_SHMEM = 1u << 1,		/* shmem, MAP_SHARED */
	MEM_SHMEM_PRIVATE = 1u << 2,	/* shmem, MAP_PRIVATE: private copies */
	MEM_HUGETLB = 1u << 3,		/* hugetlb, MAP_SHARED */
	MEM_HUGETLB_PRIVATE = 1u << 4,	/* hugetlb, MAP_PRIVATE */
};
#define MEM_ALL		((1u << 5) - 1)
/* Private mappings that are not hugetlb: the fill ioctls take the anonymous path. */
#define MEM_ANON_PATH	(MEM_ANON | MEM_SHMEM_PRIVATE)

struct memtype_ops;

/* One mapping a memory type made (its setup), which the ioctls work on. */
struct region {
	const struct memtype_ops *mt;
	char *area;		/* the mapping registered with userfaultfd */
	char *alias;		/* a MAP_SHARED view of the same object, or NULL */
	int fd;			/* backing file, or -1 */
	size_t len;		/* bytes, a multiple of page_size */
	size_t page_size;	/* base or huge page size */
};

#endif
