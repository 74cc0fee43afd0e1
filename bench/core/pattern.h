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

void pattern_fill(void *page, size_t len, uint64_t tag);
/* Index of the first wrong byte, or -1 if the page matches. */
long pattern_check(const void *page, size_t len, uint64_t tag);
long zero_check(const void *page, size_t len);

#endif
