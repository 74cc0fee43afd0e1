// SPDX-License-Identifier: MIT
/*
 * run --perf: software counters count, hardware ones on a machine without a
 * PMU are recorded as missing with the reason (forced here, so the path is
 * tested on any machine), a cell measured with --perf carries "perf" in its
 * JSON line, and compare shows counters when both sides have them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine/caps.h"
#include "compare/compare.h"
#include "fixtures.h"
#include "run/harness.h"
#include "machine/perfctr.h"
#include "results/results.h"
#include "run/cell_json.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static int no_stop;

/* perf_event_open may be absent or forbidden here: then there is nothing to test. */
static bool software_counts(const struct perfctr *p)
{
	return !p->sum.err[PC_TASK_CLOCK] && !p->sum.err[PC_PAGE_FAULTS];
}

static void touch_pages(size_t n)
{
	char *m = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(m != MAP_FAILED);
	for (size_t i = 0; i < n; i++)
		((volatile char *)m)[i * 4096] = 1;
	munmap(m, n * 4096);
}

/* No PMU (forced): hardware counters missing, with the reason; software ones count. */
static void test_no_pmu(void **state)
{
	struct perfctr p;
	json_t *j, *missing, *m;
	char why[160];
	size_t i;

	(void)state;
	perfctr_fake_no_pmu(true);
	perfctr_open(&p);
	perfctr_fake_no_pmu(false);
	for (int id = PC_CYCLES; id < PC_NR; id++) {
		assert_int_equal(p.sum.err[id], PC_NO_PMU);
		assert_string_equal(perfctr_reason(id, p.sum.err[id], why, sizeof(why)),
				    "no hardware PMU");
	}
	if (!software_counts(&p)) {
		perfctr_close(&p);
		skip();
	}
	perfctr_start(&p);
	touch_pages(64);
	perfctr_stop(&p);
	perfctr_add(&p);
	perfctr_close(&p);
	assert_true(p.sum.val[PC_PAGE_FAULTS] >= 64);
	assert_true(p.sum.val[PC_TASK_CLOCK] > 0);
	j = perf_counts_json(&p.sum, 64);
	assert_true(json_number_value(json_object_get(json_object_get(j, "counters"),
						      "page-faults")) >= 1);
	assert_int_equal(json_object_size(json_object_get(j, "counters")), PC_NR_SW);
	missing = json_object_get(j, "missing");
	assert_int_equal(json_array_size(missing), PC_NR - PC_NR_SW);
	json_array_foreach(missing, i, m)
		assert_string_equal(json_string_value(json_object_get(m, "reason")),
				    "no hardware PMU");
	json_decref(j);
}

/* This machine, unforced: every counter counted or missing with a reason. */
/*
 * A perfctr that was never opened (run without --perf) must not touch fd 0:
 * on a terminal its read waited for Enter once per round.  Bytes waiting on
 * stdin must still be there after start, stop and add.
 */
static void test_closed_leaves_stdin(void **state)
{
	struct perfctr p = { 0 };
	int pfd[2], saved = dup(0);
	char buf[16];

	(void)state;
	assert_int_equal(pipe2(pfd, O_NONBLOCK), 0);
	assert_int_equal(write(pfd[1], "keep-me!", 8), 8);
	assert_int_equal(dup2(pfd[0], 0), 0);
	perfctr_start(&p);
	perfctr_stop(&p);
	perfctr_add(&p);
	perfctr_close(&p);
	assert_int_equal(read(0, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, "keep-me!", 8);
	dup2(saved, 0);
	close(saved);
	close(pfd[0]);
	close(pfd[1]);
}

static void test_this_machine(void **state)
{
	struct perf_counts cell = { 0 };
	struct perfctr p;
	char buf[2048];

	(void)state;
	perfctr_open(&p);
	for (int round = 0; round < 2; round++) {
		perfctr_start(&p);
		touch_pages(8);
		perfctr_stop(&p);
		perfctr_add(&p);
	}
	perfctr_close(&p);
	perf_counts_merge(&cell, &p.sum);
	perf_counts_merge(&cell, &p.sum);	/* a second thread, the same counts */
	assert_true(cell.on);
	/* every round counted, not only the first */
	if (software_counts(&p))
		assert_true(cell.val[PC_PAGE_FAULTS] >= 2 * 2 * 8);
	perfctr_describe(&cell, buf, sizeof(buf));
	for (int id = 0; id < PC_NR; id++)
		assert_non_null(strstr(buf, perfctr_name(id)));
}

/* A real cell with opts.perf: "perf" in its JSON line, per page. */
static void test_cell_json(void **state)
{
	struct caps caps;
	struct harness_opts o = { .rounds = 2, .warmup = 1, .stop = &no_stop, .perf = true };
	struct cell c = { .mt = memtype_find("anon"), .op = UOP_COPY, .batch = 4, .threads = 1,
			  .size = 64 * 4096 };
	struct cell_result r;
	json_t *j, *perf;

	(void)state;
	if (caps_probe(&caps, CAPS_ALL))
		skip();
	o.uffd_features = caps_wanted_features(&caps);
	harness_run_cell(&c, &o, &r);
	assert_int_equal(r.status, CELL_OK);
	assert_true(r.perf.on);
	j = cell_to_json(&c, &r, 0);
	perf = json_object_get(j, "perf");
	assert_non_null(perf);
	assert_true(json_is_object(json_object_get(perf, "counters")));
	assert_true(json_is_array(json_object_get(perf, "missing")));
	if (!r.perf.err[PC_TASK_CLOCK])
		assert_true(json_number_value(json_object_get(json_object_get(perf, "counters"),
							      "task-clock")) > 0);
	json_decref(j);
	cell_result_free(&r);
	o.perf = false;
	harness_run_cell(&c, &o, &r);
	j = cell_to_json(&c, &r, 0);
	assert_null(json_object_get(j, "perf"));	/* only with --perf */
	json_decref(j);
	cell_result_free(&r);
}

static void add_perf(json_t *line, json_t *out, void *arg)
{
	double *task_clock = arg;

	json_object_set_new(line, "perf", json_pack("{s:{s:f, s:f}, s:[]}", "counters",
		"task-clock", *task_clock, "page-faults", 0.0, "missing"));
	json_array_append(out, line);
}

/* compare prints the counters both sides have, base -> new. */
static void test_compare_shows(void **state)
{
	char tmp[] = "/tmp/test_perfctr.XXXXXX", b[64], n[64], *text = NULL;
	struct fx_run run = FX_RUN_DEFAULT;
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct rr_dir base, new;
	struct cmp_result r;
	double tc = 100;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(b, sizeof(b), "%s/b", tmp);
	snprintf(n, sizeof(n), "%s/n", tmp);
	run.repeats = 2;
	fx_write_default(b, &run);
	fx_write_default(n, &run);
	fx_rewrite(b, add_perf, &tc);
	tc = 110;
	fx_rewrite(n, add_perf, &tc);
	assert_int_equal(rr_load(b, &base, NULL, 0), 0);
	assert_int_equal(rr_load(n, &new, NULL, 0), 0);
	assert_int_equal(cmp_run(&base, &new, &o, &r, NULL, 0), 0);
	f = open_memstream(&text, &len);
	cmp_print_text(f, &r, &o);
	fclose(f);
	assert_non_null(strstr(text, "Counters per page"));
	assert_non_null(strstr(text, "task-clock               100        110  +10.0%"));
	free(text);
	cmp_result_free(&r);
	rr_free(&base);
	rr_free(&new);
	snprintf(b, sizeof(b), "rm -rf '%s'", tmp);
	assert_int_equal(system(b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_pmu),
		cmocka_unit_test(test_closed_leaves_stdin),
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_cell_json),
		cmocka_unit_test(test_compare_shows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
