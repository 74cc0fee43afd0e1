/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_VERIFY_H
#define UFFDBENCH_VERIFY_H

#include "memtypes/memtype.h"
#include "run/spec.h"
#include "core/uffd.h"

struct verify_result {
	uint64_t pages_checked;
	uint64_t mismatches;
	char first_error[192];
};

/*
 * After a pass of op over r (pattern generation gen): every checked page
 * must be present in the registered view and hold what op promised.  For
 * shared types the shared view must agree; for private shmem the file must
 * not have gained the page (COPY/ZEROPAGE go to private memory).
 */
void verify_pass(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 enum verify_mode mode, int pagemap_fd, struct verify_result *v);
/* verify_pass() for page i alone (COPY content: the source tag of i % batch). */
void verify_page(const struct region *r, enum uffd_op op, unsigned batch, uint64_t gen,
		 int pagemap_fd, size_t i, struct verify_result *v);
/* Pages checked per round in sample mode. */
#define VERIFY_SAMPLES 64

#endif
