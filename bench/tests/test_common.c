// SPDX-License-Identifier: MIT
/*
 * core/common.c's appendf: a string built in pieces never runs past its
 * buffer, whatever the pieces' lengths (issue 13.7: `n += snprintf(buf + n,
 * len - n, ...)` did, once a piece was cut).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/common.h"
#include "core/pattern.h"

#include <string.h>

static void test_appendf_truncates(void **state)
{
	char buf[40], longs[300];
	size_t off = 0;

	(void)state;
	memset(longs, 'm', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	appendf(buf, 16, &off, "%s", "abc");
	assert_int_equal(off, 3);
	appendf(buf, 16, &off, " (%s)", longs);		/* cut: off stops at 15 */
	assert_int_equal(off, 15);
	assert_int_equal(strlen(buf), 15);
	appendf(buf, 16, &off, ": %d", 42);		/* nothing more fits */
	assert_int_equal(off, 15);
	assert_string_equal(buf, "abc (mmmmmmmmmm");
	for (size_t i = 16; i < sizeof(buf); i++)	/* nothing past len */
		buf[i] = 'X';
	appendf(buf, 16, &off, "%s", longs);
	for (size_t i = 16; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'X');
}

static void test_appendf_edges(void **state)
{
	char buf[8] = "xxxxxxx";
	size_t off = 100;	/* past the end: clamped, never used as an offset */

	(void)state;
	appendf(buf, sizeof(buf), &off, "%s", "yy");
	assert_int_equal(off, 7);
	assert_int_equal(buf[7], '\0');
	off = 0;
	appendf(buf, 0, &off, "%s", "zz");		/* no room at all: untouched */
	assert_int_equal(off, 0);
	appendf(buf, 1, &off, "%s", "zz");
	assert_int_equal(off, 0);
	assert_string_equal(buf, "");
}

/*
 * fault's hot source: a page copied from the hot page stamped for page i
 * passes for page i only; a stale generation, another page's stamp or a
 * torn rest of the page fails at the byte that differs.
 */
static void test_pattern_stamped(void **state)
{
	static uint64_t page[512];

	(void)state;
	pattern_fill(page, sizeof(page), pattern_tag(7, PATTERN_HOT_INDEX));
	pattern_stamp(page, 7, 42);
	assert_int_equal(pattern_check_stamped(page, sizeof(page), 7, 42), -1);
	assert_int_equal(pattern_check_stamped(page, sizeof(page), 7, 43), 0);
	assert_int_equal(pattern_check_stamped(page, sizeof(page), 8, 42), 5);	/* gen << 40 */
	assert_true(page[0] == pattern_word(pattern_tag(7, 42), 0));	/* what a touch reads */
	page[100] ^= 1ull << 16;
	assert_int_equal(pattern_check_stamped(page, sizeof(page), 7, 42), 100 * 8 + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_appendf_truncates),
		cmocka_unit_test(test_appendf_edges),
		cmocka_unit_test(test_pattern_stamped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
