/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_MEMTYPE_H
#define UFFDBENCH_MEMTYPE_H

/*
 * A memory type is one ops table, modelled on the kernel's vm_uffd_ops: the
 * harness never names a type, it asks the table.  Adding a type is one file
 * (workloads/memtypes/NAME.c) and one line in memtypes/memtypes.c.  A type
 * names no ioctl: each ioctl names the classes (MEM_*, uffd_types.h) it
 * targets.
 */
#include "uffd_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct memtype_ops {
	const char *name;	/* "shmem-memfd" */
	const char *desc;	/* one line for `uffdbench list` */
	const char *backing;	/* "anon", "shmem", "hugetlb": what the kernel sees */
	bool shared;		/* the registered view is MAP_SHARED */
	size_t huge_size;	/* hugetlb page size, 0 for base pages */

	/* Why this type cannot run on this machine at all, or NULL. Optional. */
	const char *(*unavailable)(void);
	/* Map len bytes (area, and alias where there is one); 0 or -errno. */
	int (*setup)(struct region *r, size_t len);
	/* Make every page missing again, for COPY/ZEROPAGE; untimed. */
	int (*reset)(struct region *r);
	/* Fill the page cache with pattern generation gen, then drop the
	 * registered view's page tables, for CONTINUE; untimed. NULL: no page
	 * cache to continue from. */
	int (*populate)(struct region *r, uint64_t gen);
	/* Make pages [i, i + n) missing, the type's way: zap private copies,
	 * punch the file; 0 or -errno. */
	int (*punch)(struct region *r, size_t i, size_t n);
	void (*teardown)(struct region *r);
};

/* The table: workloads/memtypes/memtypes.c. */
extern const struct memtype_ops *const memtypes[];
extern const unsigned nr_memtypes;
const struct memtype_ops *memtype_find(const char *name);
int memtype_index(const struct memtype_ops *mt);
/* Its MEM_* class, from backing and shared. */
unsigned memtype_class(const struct memtype_ops *mt);
size_t memtype_page_size(const struct memtype_ops *mt);
/* Huge pages a range of `pages` needs: a private view of a hugetlb file
 * takes its own pages beside the file's (reserved by the shared alias). */
unsigned long memtype_huge_pages_needed(const struct memtype_ops *mt, unsigned long pages);

/* Helpers the tables are built from: workloads/memtypes/helpers.c. */
int mt_memfd_setup(struct region *r, size_t len, unsigned mfd_flags, int map_flags);
int mt_anon_shared_setup(struct region *r, size_t len);
int mt_file_setup(struct region *r, size_t len, const char *dir, int map_flags);
int mt_punch_hole(struct region *r);
int mt_zap_and_punch(struct region *r);
int mt_zap(struct region *r);
int mt_punch_zap(struct region *r, size_t i, size_t n);
int mt_punch_file(struct region *r, size_t i, size_t n);
int mt_populate_alias(struct region *r, uint64_t gen);
void mt_unmap(struct region *r);
const char *mt_hugetlb_unavailable(size_t huge_size);

#endif
