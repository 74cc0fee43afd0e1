/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_PATTERN_H
#define UFFDBENCH_PATTERN_H

/*
 * Page contents that name themselves: every 8-byte word of a page depends on
 * a tag (round generation and page index) and on the word's position, so a
 * page that landed at the wrong offset, a stale page from an earlier round
 * or a torn copy all fail the check.
 */
#include <stddef.h>
#include <stdint.h>

static inline uint64_t pattern_tag(uint64_t gen, uint64_t index)
{
	return (gen << 40) ^ index ^ 0x5546464442454e43ull;	/* "UFFDBENC" */
}

static inline uint64_t pattern_word(uint64_t tag, size_t word)
{
	return tag ^ (word * 0x9e3779b97f4a7c15ull);
}

/*
 * A hot COPY source (fault's default): one page per window slot, filled
 * with the pattern of this index (no range has 2^39 pages), whose first
 * word the handler stamps with the faulting page's own before each COPY.
 */
#define PATTERN_HOT_INDEX (1ull << 39)

void pattern_fill(void *page, size_t len, uint64_t tag);
/* Write word 0 of page as page `index`'s in generation gen. */
static inline void pattern_stamp(void *page, uint64_t gen, uint64_t index)
{
	*(uint64_t *)page = pattern_word(pattern_tag(gen, index), 0);
}
/* A page copied from a stamped hot page: word 0 page index's, the rest the hot page's. */
long pattern_check_stamped(const void *page, size_t len, uint64_t gen, uint64_t index);
/* Index of the first wrong byte, or -1 if the page matches. */
long pattern_check(const void *page, size_t len, uint64_t tag);
long zero_check(const void *page, size_t len);

#endif
