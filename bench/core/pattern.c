// SPDX-License-Identifier: MIT
#include "core/pattern.h"

#include <string.h>

void pattern_fill(void *page, size_t len, uint64_t tag)
{
	uint64_t *w = page;

	for (size_t i = 0; i < len / 8; i++)
		w[i] = pattern_word(tag, i);
}

static long first_bad_byte(uint64_t got, uint64_t want, size_t word)
{
	unsigned char g[8], e[8];

	memcpy(g, &got, 8);
	memcpy(e, &want, 8);
	for (int b = 0; b < 8; b++)
		if (g[b] != e[b])
			return word * 8 + b;
	return word * 8;
}

long pattern_check(const void *page, size_t len, uint64_t tag)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < len / 8; i++)
		if (w[i] != pattern_word(tag, i))
			return first_bad_byte(w[i], pattern_word(tag, i), i);
	return -1;
}

long pattern_check_stamped(const void *page, size_t len, uint64_t gen, uint64_t index)
{
	uint64_t hot = pattern_tag(gen, PATTERN_HOT_INDEX), want = pattern_word(pattern_tag(gen, index), 0);
	const uint64_t *w = page;

	if (len >= 8 && w[0] != want)
		return first_bad_byte(w[0], want, 0);
	for (size_t i = 1; i < len / 8; i++)
		if (w[i] != pattern_word(hot, i))
			return first_bad_byte(w[i], pattern_word(hot, i), i);
	return -1;
}

long zero_check(const void *page, size_t len)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < len / 8; i++)
		if (w[i])
			return first_bad_byte(w[i], 0, i);
	return -1;
}
