// SPDX-License-Identifier: MIT
/* Units: option and suite parsing, matrix expansion, sizes, order statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/common.h"
#include "run/spec.h"
#include "core/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[256];

static void test_parse_size(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("64M", &v), 0);
	assert_int_equal(v, 64ul << 20);
	assert_int_equal(parse_size("2GiB", &v), 0);
	assert_int_equal(v, 2ul << 30);
	assert_int_equal(parse_size("1k", &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(parse_size("-1", &v), -1);
	assert_int_equal(parse_size("12Q", &v), -1);
	assert_int_equal(parse_size("", &v), -1);
	assert_int_equal(parse_size("99999999999999999999", &v), -1);
}

static void test_lists(void **state)
{
	struct run_spec s;

	(void)state;
	spec_defaults(&s);
	assert_int_equal(spec_set(&s, "batch", "1,8,64", err, sizeof(err)), 0);
	assert_int_equal(s.nr_batches, 3);
	assert_int_equal(s.batches[2], 64);
	assert_int_equal(spec_set(&s, "batch", "0", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "batch"));
	assert_int_equal(spec_set(&s, "batch", "1,x", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "threads", "1,all", err, sizeof(err)), 0);
	assert_int_equal(s.threads[1], THREADS_ALL);
	assert_int_equal(spec_set(&s, "batch", "all", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "rounds", "0", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "warmup", "0", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "verify", "full", err, sizeof(err)), 0);
	assert_int_equal(s.verify, VERIFY_FULL);
	assert_int_equal(spec_set(&s, "verify", "some", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "size", "0", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "inject-ns", "-3", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "inject-ns", "0,2.5", err, sizeof(err)), 0);
	assert_int_equal(s.nr_injects, 2);
	assert_true(s.injects[1] == 2.5);
	assert_int_equal(spec_set(&s, "colour", "red", err, sizeof(err)), -1);
}

/* --knob PATH=LIST: a dimension inside threads and delays, the value in the key. */
static void test_knob(void **state)
{
	struct run_spec s;
	struct cell *cells;
	char key[160];
	int n;

	(void)state;
	spec_defaults(&s);
	assert_int_equal(spec_set(&s, "knob", "/k", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "knob", "=1", err, sizeof(err)), -1);
	assert_int_equal(spec_set(&s, "knob", "/k=1,1", err, sizeof(err)), -1);
	spec_defaults(&s);
	assert_int_equal(spec_set(&s, "memtype", "anon", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "ioctl", "copy", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "batch", "1", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "inject-ns", "0,5", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "knob", "/k=a,b,c", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&s, "knob", "/j=1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "only one --knob"));
	n = spec_expand(&s, 1, &cells, err, sizeof(err));
	assert_int_equal(n, 6);
	assert_string_equal(cells[2].knob, "c");
	assert_true(cells[2].inject_ns == 0 && cells[3].inject_ns == 5);
	assert_string_equal(cells[3].knob_path, "/k");
	cell_key(&cells[5], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t1/none/inject=5/knob=c");
	free(cells);
}

static void test_names(void **state)
{
	struct run_spec s;

	(void)state;
	spec_defaults(&s);
	assert_int_equal(spec_set(&s, "memtype", "anon,shmem-memfd", err, sizeof(err)), 0);
	assert_int_equal(__builtin_popcountll(s.memtypes), 2);
	assert_int_equal(spec_set(&s, "memtype", "anon,nosuch", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nosuch"));
	assert_int_equal(spec_set(&s, "ioctl", "CONTINUE,UFFDIO_COPY", err, sizeof(err)), 0);
	assert_int_equal(s.ioctls, 1u << UOP_CONTINUE | 1u << UOP_COPY);
	assert_int_equal(spec_set(&s, "ioctl", "nosuch", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writeprotect"));	/* the message lists the table */
	assert_int_equal(spec_set(&s, "ioctl", "poison,UFFDIO_MOVE", err, sizeof(err)), 0);
	assert_int_equal(s.ioctls, 1u << UOP_POISON | 1u << UOP_MOVE);
	assert_int_equal(spec_set(&s, "memtype", "all", err, sizeof(err)), 0);
	assert_int_equal(__builtin_popcountll(s.memtypes), nr_memtypes);
}

static void test_expand(void **state)
{
	struct run_spec s;
	struct cell *cells;
	char key[128];
	int n;

	(void)state;
	spec_defaults(&s);
	spec_set(&s, "memtype", "anon,hugetlb", err, sizeof(err));
	spec_set(&s, "ioctl", "copy,continue", err, sizeof(err));
	spec_set(&s, "batch", "1,8,64", err, sizeof(err));
	spec_set(&s, "threads", "1,all", err, sizeof(err));
	n = spec_expand(&s, 4, &cells, err, sizeof(err));
	assert_int_equal(n, 2 * 2 * 3 * 2);
	assert_int_equal(cells[1].threads, 4);
	cell_key(&cells[0], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t1/none");
	/* auto size: max(64 MiB, one batch) */
	assert_int_equal(cells[n - 1].size, 128ul << 20);
	assert_int_equal(cells[0].size, 64ul << 20);
	free(cells);

	/* "1,all" on a 1-CPU machine is one thread count, not two cells alike */
	n = spec_expand(&s, 1, &cells, err, sizeof(err));
	assert_int_equal(n, 2 * 2 * 3);
	free(cells);

	/* an explicit range smaller than one batch everywhere is bad input */
	spec_set(&s, "size", "64k", err, sizeof(err));
	spec_set(&s, "batch", "64", err, sizeof(err));
	assert_int_equal(spec_expand(&s, 1, &cells, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than the range"));
}

/* A cell that cannot fit is skipped with its reason; the rest of the matrix runs. */
static void test_expand_unfit(void **state)
{
	struct run_spec s;
	struct cell *cells;
	int n, fit = 0;

	(void)state;
	spec_defaults(&s);
	spec_set(&s, "memtype", "shmem-memfd,anon,hugetlb", err, sizeof(err));
	spec_set(&s, "ioctl", "copy,continue", err, sizeof(err));
	spec_set(&s, "batch", "64", err, sizeof(err));
	spec_set(&s, "size", "8M", err, sizeof(err));
	n = spec_expand(&s, 1, &cells, err, sizeof(err));
	assert_int_equal(n, 3 * 2);
	for (int i = 0; i < n; i++) {
		bool huge = cells[i].mt->huge_size != 0;

		fit += !cells[i].unfit[0];
		assert_int_equal(!!cells[i].unfit[0], huge);
		if (huge)
			assert_string_equal(cells[i].unfit, "batch 64 is larger than the range: "
					    "4 hugetlb pages per thread");
	}
	assert_int_equal(fit, 4);
	free(cells);
}

static void use_source_suites(void)
{
	setenv("UFFDBENCH_SUITES", SRCDIR "/workloads/suites", 1);
}

static void test_suites(void **state)
{
	struct run_spec s;

	(void)state;
	use_source_suites();
	spec_defaults(&s);
	assert_int_equal(spec_load_suite(&s, "quick", err, sizeof(err)), 0);
	assert_string_equal(s.suite, "quick");
	assert_true(s.description[0]);
	spec_defaults(&s);
	assert_int_equal(spec_load_suite(&s, "series-check", err, sizeof(err)), 0);
	assert_int_equal(s.nr_batches, 10);
	assert_int_equal(s.batches[9], 512);
	assert_int_equal(spec_load_suite(&s, "nosuch", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown suite"));
	assert_int_equal(spec_load_suite(&s, "../etc/passwd", err, sizeof(err)), -1);
}

static void test_bad_suite_file(void **state)
{
	char dir[] = "/tmp/uffdbench-suite.XXXXXX", path[128];
	struct run_spec s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/bad.suite", dir);
	f = fopen(path, "w");
	fputs("# fine\nbatch = 1\nmemtype = anon,bogus\n", f);
	fclose(f);
	setenv("UFFDBENCH_SUITES", dir, 1);
	spec_defaults(&s);
	assert_int_equal(spec_load_suite(&s, "bad", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.suite:3"));
	assert_non_null(strstr(err, "bogus"));
	unlink(path);
	rmdir(dir);
	use_source_suites();
}

/* A suite may set placement (checked as the option would be); run applies it. */
static void test_suite_placement(void **state)
{
	char dir[] = "/tmp/uffdbench-suite.XXXXXX", path[128];
	struct run_spec s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/placed.suite", dir);
	f = fopen(path, "w");
	fputs("memtype = anon\nplacement = remote\n", f);
	fclose(f);
	setenv("UFFDBENCH_SUITES", dir, 1);
	spec_defaults(&s);
	assert_int_equal(spec_load_suite(&s, "placed", err, sizeof(err)), 0);
	assert_int_equal(s.nr_place, 1);
	assert_string_equal(s.place[0].key, "placement");
	assert_string_equal(s.place[0].val, "remote");
	f = fopen(path, "w");
	fputs("memtype = anon\nplacement = sideways\n", f);
	fclose(f);
	spec_defaults(&s);
	assert_int_equal(spec_load_suite(&s, "placed", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "placed.suite:2"));
	unlink(path);
	rmdir(dir);
	use_source_suites();
}

static void test_median_ci(void **state)
{
	size_t lo, hi;
	struct summary s;
	double v[] = { 5, 1, 4, 2, 3, 9, 8, 7, 6, 10 };

	(void)state;
	assert_false(median_ci_ranks(5, 0.95, &lo, &hi));
	assert_true(median_ci_ranks(6, 0.95, &lo, &hi));
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 5);
	assert_true(median_ci_ranks(10, 0.95, &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 8);
	summarize(v, 10, &s);
	assert_true(s.median == 5.5);
	assert_true(s.min == 1 && s.max == 10);
	assert_true(s.has_ci && s.ci_lo == 2 && s.ci_hi == 9);
	summarize(v, 3, &s);
	assert_false(s.has_ci);
	assert_true(s.median == 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_knob),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_unfit),
		cmocka_unit_test(test_suites),
		cmocka_unit_test(test_bad_suite_file),
		cmocka_unit_test(test_suite_placement),
		cmocka_unit_test(test_median_ci),
	};

	use_source_suites();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
