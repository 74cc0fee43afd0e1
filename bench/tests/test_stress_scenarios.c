// SPDX-License-Identifier: MIT
/*
 * The stress scenarios as a user meets them: each is listed, runs, and its
 * own checks ran (the counts that prove its race happened); an unknown one
 * is bad input.  pool-exhaustion may fail -- on kernels with the hugetlb
 * EEXIST bug it must, with the report's pointer, at the same step every time
 * for one seed.  Also: a run matrix with a cell that cannot fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"
#include "machine/hugepages.h"

#include <jansson.h>
#include <string.h>

#define RUN(...) cli_run("stress", (const char *const[]){ __VA_ARGS__, NULL })

/* Each scenario this file tests; the table must hold exactly these (a new one needs a test). */
static const char *const names[] = {
	"default", "pool-exhaustion", "punch-storm", "remap", "thp-split", "fork-storm",
};

static json_int_t ops(json_t *o, const char *kind)
{
	return json_integer_value(json_object_get(json_object_get(json_object_get(o, "ops"), kind),
						  "ops"));
}

/* Run one scenario for a few seconds into tmp/NAME-TAG; its exit status. */
static int scenario(const char *name, const char *tag, const char *seed, const char *memtype)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "%s/%s-%s", tmp, name, tag);
	if (memtype)
		return RUN("--scenario", name, "--duration", "3s", "--seed", seed, "--memtype",
			   memtype, "--out", dir);
	return RUN("--scenario", name, "--duration", "3s", "--seed", seed, "--out", dir);
}

static json_t *result(const char *name, const char *tag)
{
	char dir[256];
	json_t *o;

	snprintf(dir, sizeof(dir), "%s/%s-%s", tmp, name, tag);
	o = cli_first_result(dir);
	assert_string_equal(json_string_value(json_object_get(o, "scenario")), name);
	return o;
}

static void test_listed_and_unknown(void **state)
{
	char dir[256];

	(void)state;
	assert_int_equal(cli_run("list", (const char *const[]){ NULL }), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (!strstr(out, names[i]))
			fail_msg("list does not show scenario %s", names[i]);
	assert_int_equal(cli_run("list", (const char *const[]){ "--names", "scenarios", NULL }), 0);
	for (char *save, *n = strtok_r(out, "\n", &save); n; n = strtok_r(NULL, "\n", &save)) {
		unsigned i = 0;

		while (i < ARRAY_SIZE(names) && strcmp(names[i], n))
			i++;
		if (i == ARRAY_SIZE(names))
			fail_msg("scenario %s has no test here (test_stress_scenarios.c)", n);
	}
	snprintf(dir, sizeof(dir), "%s/unknown", tmp);
	assert_int_equal(RUN("--scenario", "nosuch", "--out", dir), 2);
	assert_non_null(strstr(out, "unknown scenario 'nosuch'"));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_false(cli_exists(dir));
}

/* The step and page of the first failure, as printed. */
static void first_failure(char *buf, size_t len)
{
	const char *f = strstr(out, "FAILURE 1: ");

	assert_non_null(f);
	snprintf(buf, len, "%.*s", (int)strcspn(f, "\n"), f);
}

static void test_pool_exhaustion(void **state)
{
	long before = hugepages_read(2ul << 20, "nr_hugepages");
	char first[512], again[512];
	int rc;
	json_t *o;

	(void)state;
	rc = scenario("pool-exhaustion", "a", "42", "hugetlb,hugetlb-private");
	if (rc == 2)
		skip();		/* no huge pages here (not root?) */
	assert_true(rc == 0 || rc == 1);
	o = result("pool-exhaustion", "a");
	assert_true(ops(o, "copy") + ops(o, "populate") > 0);
	json_decref(o);
	if (rc == 1) {
		/* only the documented kernel bug, and the seed finds it again */
		assert_non_null(strstr(out, "bench/docs/hugetlb-uffd-copy-eexist.md"));
		first_failure(first, sizeof(first));
		assert_int_equal(scenario("pool-exhaustion", "b", "42", "hugetlb,hugetlb-private"), 1);
		first_failure(again, sizeof(again));
		assert_string_equal(first, again);
	}
	for (int i = 0; i < 100 && hugepages_read(2ul << 20, "nr_hugepages") != before; i++)
		usleep(20000);
	assert_int_equal(hugepages_read(2ul << 20, "nr_hugepages"), before);
}

static void test_punch_storm(void **state)
{
	json_t *o;

	(void)state;
	if (scenario("punch-storm", "a", "7", "shmem-memfd,shmem-file"))
		fail_msg("%s", out);
	o = result("punch-storm", "a");
	assert_true(ops(o, "continue") > 0 && ops(o, "punch") > 0 && ops(o, "populate") > 0);
	assert_int_equal(ops(o, "copy") + ops(o, "zeropage") + ops(o, "zap"), 0);
	json_decref(o);
}

static void test_remap(void **state)
{
	int rc;
	json_t *o;

	(void)state;
	rc = scenario("remap", "a", "7", NULL);
	if (rc == 2 && strstr(out, "lacks EVENT_REMAP"))
		skip();
	if (rc)
		fail_msg("exit %d: %s", rc, out);
	o = result("remap", "a");
	assert_true(ops(o, "copy") > 0 && ops(o, "zap") > 0 && ops(o, "check") > 0);
	assert_non_null(strstr(out, "events checked"));
	json_decref(o);
}

static void test_thp_split(void **state)
{
	int rc;
	json_t *o;

	(void)state;
	rc = scenario("thp-split", "a", "7", NULL);
	if (rc == 2 && strstr(out, "transparent huge pages are off"))
		skip();
	if (rc)
		fail_msg("exit %d: %s", rc, out);
	o = result("thp-split", "a");
	assert_int_equal(json_array_size(json_object_get(o, "memtypes")), 1);
	assert_true(ops(o, "copy") > 0 && ops(o, "zeropage") > 0 && ops(o, "zap") > 0);
	assert_int_equal(ops(o, "continue"), 0);
	json_decref(o);
}

static void test_fork_storm(void **state)
{
	json_t *o, *checks;

	(void)state;
	if (scenario("fork-storm", "a", "7", "anon,shmem-memfd"))
		fail_msg("%s", out);
	o = result("fork-storm", "a");
	checks = json_object_get(o, "checks");
	assert_true(ops(o, "fork") > 1);
	/* the children read the shared type's pages too */
	assert_true(json_integer_value(json_object_get(checks, "fork_children_shared_pages")) > 0);
	json_decref(o);
}

/* A run matrix where the hugetlb cells cannot fit: skipped with why, the rest runs. */
static void test_run_unfit_cell(void **state)
{
	char dir[256];
	int rc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/unfit", tmp);
	rc = cli_run("run", (const char *const[]){ "--memtype", "anon,hugetlb", "--ioctl", "copy",
		"--batch", "64", "--size", "8M", "--rounds", "2", "--out", dir, NULL });
	if (rc)
		fail_msg("exit %d: %s", rc, out);
	assert_non_null(strstr(out, "skipped: batch 64 is larger than the range: 4 hugetlb pages"));
	assert_non_null(strstr(out, "2 cells: 1 ok, 0 failed, 1 skipped"));
	snprintf(dir, sizeof(dir), "%s/unfit2", tmp);
	assert_int_equal(cli_run("run", (const char *const[]){ "--memtype", "hugetlb", "--batch",
		"64", "--size", "8M", "--out", dir, NULL }), 2);
	assert_false(cli_exists(dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listed_and_unknown),
		cmocka_unit_test(test_pool_exhaustion),
		cmocka_unit_test(test_punch_storm),
		cmocka_unit_test(test_remap),
		cmocka_unit_test(test_thp_split),
		cmocka_unit_test(test_fork_storm),
		cmocka_unit_test(test_run_unfit_cell),
	};

	if (!tmp_make("scenarios"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
