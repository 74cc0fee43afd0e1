/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_VERIFY_H
#define UFFDBENCH_VERIFY_H

/*
 * What a page holds after an ioctl, checked against what the ioctl's table
 * entry promises (ioctl_ops.expect).  Below run and fault, which both
 * verify: it knows the tables and core, and nothing of the machine.
 */
#include "ioctls/ioctl.h"

#include <stdint.h>

/* How many pages a round checks: VERIFY_SAMPLES spread out, or every one. */
enum verify_mode { VERIFY_SAMPLE, VERIFY_FULL };
/* Pages checked per round in sample mode. */
#define VERIFY_SAMPLES 64

struct verify_result {
	uint64_t pages_checked;
	uint64_t mismatches;
	char first_error[192];
};

/*
 * After a pass of op over r (pattern generation gen): every checked page
 * must show the pagemap bits and hold what op's table entry promises
 * (ioctl_ops.expect).  For shared types the shared view must agree; for
 * private shmem the file must not have gained the page (COPY/ZEROPAGE go to
 * private memory).
 */
void verify_pass(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 enum verify_mode mode, int pagemap_fd, struct verify_result *v);
/* verify_pass() for page i alone (COPY content: the source tag of i % batch). */
void verify_page(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 int pagemap_fd, size_t i, struct verify_result *v);
/* verify_page() of a page copied from fault's hot source (pattern_check_stamped). */
void verify_page_stamped(const struct region *r, enum uffd_op op, uint64_t gen, int pagemap_fd,
			 size_t i, struct verify_result *v);
/*
 * Another reason than a surviving marker for a SIGBUS on a page after the
 * reset, or NULL.  The caller knows the machine: a missing hugetlb page
 * also raises SIGBUS when the pool has no unreserved page (run asks
 * machine/hugepages), which this layer cannot see.
 */
typedef const char *verify_sigbus_why(const struct region *r);

/*
 * verify_pass() over t, then what the ioctl promises beyond its pages: the
 * source emptied (MOVE); for markers (POISON) each checked page raises
 * SIGBUS, and after the reset (run here) neither is marked nor raises it.
 * Marker checks touch pages with the range unregistered (a missing marker
 * then maps a page instead of waiting for a handler); the range is reset
 * and registered again after.  A page that raises SIGBUS after the reset
 * is reported with why(t->r) when it says something (NULL: "the marker
 * survived").  0, or -errno of the reset or registration.
 */
int verify_target(struct ioctl_target *t, uint64_t gen, enum verify_mode mode,
		  int pagemap_fd, verify_sigbus_why *why, struct verify_result *v);

#endif
