// SPDX-License-Identifier: MIT
/* The call-cost calibration and its model: mitigation texts, arithmetic, cells, timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine/callcost.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The texts of real kernels (6.x/7.x) and the sequence each implies. */
static void test_host_from_text(void **state)
{
	struct cc_host h;

	(void)state;
	cc_host_from_text(&h, "Mitigation: Retpolines; STIBP: disabled; RSB filling; "
			  "PBRSB-eIBRS: Not affected; BHI: Not affected\n", "Not affected\n",
			  "Not affected\n");
	assert_int_equal(h.indirect, CC_RETPOLINE);
	assert_int_equal(h.direct, CC_DIRECT);
	assert_string_equal(h.spectre_v2 + strlen(h.spectre_v2) - 17, "BHI: Not affected");

	cc_host_from_text(&h, "Mitigation: LFENCE; IBPB: conditional; STIBP: disabled; RSB filling",
			  NULL, "Mitigation: untrained return thunk; SMT disabled");
	assert_int_equal(h.indirect, CC_LFENCE);
	assert_int_equal(h.direct, CC_DIRECT_RT);
	assert_non_null(strstr(h.why, "return thunk"));

	cc_host_from_text(&h, "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; "
			  "RSB filling; PBRSB-eIBRS: SW sequence; BHI: BHI_DIS_S",
			  "Mitigation: Aligned branch/return thunks", "Mitigation: Enhanced IBRS");
	assert_int_equal(h.indirect, CC_ITS);
	assert_int_equal(h.direct, CC_DIRECT_RT);

	cc_host_from_text(&h, "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional",
			  "Not affected", "Not affected");
	assert_int_equal(h.indirect, CC_INDIRECT);
	assert_int_equal(h.direct, CC_DIRECT);
	assert_non_null(strstr(h.why, "IBRS"));

	/* eIBRS with retpolines on top (spectre_v2=eibrs,retpoline) */
	cc_host_from_text(&h, "Mitigation: Enhanced / Automatic IBRS + Retpolines", "", "");
	assert_int_equal(h.indirect, CC_RETPOLINE);

	cc_host_from_text(&h, "Vulnerable", "", "");
	assert_int_equal(h.indirect, CC_INDIRECT);
	cc_host_from_text(&h, NULL, NULL, NULL);
	assert_int_equal(h.indirect, CC_INDIRECT);
	assert_non_null(strstr(h.why, "(missing)"));
}

static void test_predict(void **state)
{
	struct cc_model m = { .ns_per_insn = 0.25, .thunk_ns = 8.5, .direct_ns = 1.0,
			      .indirect = "retpoline", .direct = "direct", .insn_measured = true };
	char line[400];

	(void)state;
	/* shmem-memfd CONTINUE 7.0.13 -> 7.1.13: +71.9 insn, +1 indirect call a page */
	assert_float_equal(cc_predict(&m, 71.9, 1.0), 71.9 * 0.25 + 7.5, 1e-9);
	assert_float_equal(cc_predict(&m, 0, 0), 0, 0);
	assert_float_equal(cc_predict(&m, -40, 0), -10, 1e-9);
	/* fewer indirect calls save their extra cost */
	assert_float_equal(cc_predict(&m, 0, -2), -15, 1e-9);
	cc_model_line(&m, line, sizeof(line));
	assert_non_null(strstr(line, "0.250 ns/insn + "));
	assert_non_null(strstr(line, "retpoline 8.50"));
	assert_non_null(strstr(line, "= 7.50 ns)"));
	assert_null(strstr(line, "assumed"));
	m.insn_measured = false;
	m.ns_per_insn = 0.4;
	cc_model_line(&m, line, sizeof(line));
	assert_non_null(strstr(line, "(assumed)"));
}

static void test_model_json(void **state)
{
	struct cc_model m;
	char err[512];
	json_t *j;

	(void)state;
	j = json_loads("{\"model\": {\"indirect\": \"retpoline\", \"direct\": \"direct\", "
		       "\"thunk_ns\": 8.1, \"direct_ns\": 1.1, \"ns_per_insn\": 0.3, "
		       "\"ns_per_insn_measured\": true, \"ns_per_insn_source\": \"measured\"}}",
		       0, NULL);
	assert_non_null(j);
	assert_int_equal(cc_model_from_json(j, &m, err, sizeof(err)), 0);
	assert_string_equal(m.indirect, "retpoline");
	assert_true(m.insn_measured);
	assert_float_equal(cc_predict(&m, 10, 1), 3 + 7, 1e-9);
	json_decref(j);

	/* a missing field, a negative cost, a zero rate: refused */
	j = json_loads("{\"model\": {\"indirect\": \"retpoline\", \"direct\": \"direct\", "
		       "\"thunk_ns\": 8.1, \"ns_per_insn\": 0.3, \"ns_per_insn_measured\": true, "
		       "\"ns_per_insn_source\": \"x\"}}", 0, NULL);
	assert_int_equal(cc_model_from_json(j, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "direct_ns"));
	json_decref(j);
	j = json_loads("{\"model\": {\"indirect\": \"retpoline\", \"direct\": \"direct\", "
		       "\"thunk_ns\": -1, \"direct_ns\": 1, \"ns_per_insn\": 0, "
		       "\"ns_per_insn_measured\": false, \"ns_per_insn_source\": \"x\"}}", 0, NULL);
	assert_int_equal(cc_model_from_json(j, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "above 0"));
	json_decref(j);
	j = json_loads("{\"cells\": []}", 0, NULL);
	assert_int_equal(cc_model_from_json(j, &m, err, sizeof(err)), -1);
	json_decref(j);
}

static char dir[64];

static void put_file(const char *sub, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/results.jsonl", dir, sub);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

#define LINE(mt, io, b, t, st, extra, med, min)                                              \
	"{\"memtype\":\"" mt "\",\"ioctl\":\"" io "\",\"batch\":" #b ",\"threads\":" #t         \
	",\"status\":\"" st "\"" extra ",\"summary\":{\"ns_per_page\":{\"median\":" #med      \
	",\"min\":" #min "}}}\n"

static void test_cell_rates(void **state)
{
	struct cc_cell_rate *c;
	char err[512];
	size_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/uffdbench-callcost.XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* native: two repeats of each cell (their medians' mean), a 2-thread cell, a failed one */
	put_file("nat", LINE("shmem-memfd", "continue", 64, 1, "ok", "", 900, 800)
		 LINE("shmem-memfd", "continue", 64, 1, "ok", "", 1100, 700)
		 LINE("anon", "copy", 1, 1, "ok", "", 3000, 2900)
		 LINE("anon", "copy", 1, 2, "ok", "", 1, 1)
		 LINE("hugetlb", "copy", 1, 1, "failed", "", 5, 5));
	/* icount: the floor (lowest round) over boots; an injected delay's line left out */
	put_file("ic", LINE("shmem-memfd", "continue", 64, 1, "ok", "", 4100, 4000)
		 LINE("shmem-memfd", "continue", 64, 1, "ok", "", 4300, 4050)
		 LINE("shmem-memfd", "continue", 64, 1, "ok", ",\"inject_ns\":50", 10, 1)
		 LINE("anon", "copy", 1, 1, "ok", "", 12000, 11500)
		 LINE("hugetlb", "copy", 1, 1, "ok", "", 5, 5));
	char nat[128], ic[128];

	snprintf(nat, sizeof(nat), "%s/nat", dir);
	snprintf(ic, sizeof(ic), "%s/ic", dir);
	assert_int_equal(cc_cell_rates(nat, ic, &c, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].key, "shmem-memfd/continue/b64");
	assert_float_equal(c[0].native_ns, 1000, 1e-9);
	assert_float_equal(c[0].icount_insn, 4000, 1e-9);
	assert_float_equal(c[0].ns_per_insn, 0.25, 1e-12);
	assert_string_equal(c[1].key, "anon/copy/b1");
	assert_float_equal(c[1].ns_per_insn, 3000.0 / 11500, 1e-12);
	assert_float_equal(cc_rates_median(c, n), (0.25 + 3000.0 / 11500) / 2, 1e-12);
	free(c);

	/* a wall-clock side's ns/page: one batch, its lines' mean median; a fit over two */
	assert_float_equal(cc_dir_ns_page(nat, "shmem-memfd", "continue", err, sizeof(err)), 1000,
			   1e-9);
	assert_true(isnan(cc_dir_ns_page(nat, "anon", "move", err, sizeof(err))));
	assert_non_null(strstr(err, "no single-thread cell of anon move"));
	put_file("wall", LINE("anon", "copy", 1, 1, "ok", "", 1100, 1)
		 LINE("anon", "copy", 64, 1, "ok", "", 115.625, 1));	/* 1000 + 100 per page */
	snprintf(ic, sizeof(ic), "%s/wall", dir);
	assert_float_equal(cc_dir_ns_page(ic, "anon", "copy", err, sizeof(err)), 100, 1e-9);

	/* nothing in common: an error, not a rate */
	put_file("other", LINE("anon", "zeropage", 1, 1, "ok", "", 1, 1));
	snprintf(ic, sizeof(ic), "%s/other", dir);
	assert_int_equal(cc_cell_rates(nat, ic, &c, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no single-thread cell"));
	snprintf(ic, sizeof(ic), "%s/none", dir);
	assert_int_equal(cc_cell_rates(nat, ic, &c, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot open"));
	put_file("bad", "{not json\n");
	snprintf(ic, sizeof(ic), "%s/bad", dir);
	assert_int_equal(cc_cell_rates(nat, ic, &c, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not JSON"));
	assert_true(isnan(cc_rates_median(NULL, 0)));

	for (const char *const *s = (const char *const[]){ "nat", "ic", "other", "bad", "wall", NULL }; *s;
	     s++) {
		char p[256];

		snprintf(p, sizeof(p), "%s/%s/results.jsonl", dir, *s);
		unlink(p);
		snprintf(p, sizeof(p), "%s/%s", dir, *s);
		rmdir(p);
	}
	rmdir(dir);
}

/* The per-page rate: slopes over the batch, the per-ioctl part taken out; the filter. */
static void test_page_rate(void **state)
{
	/* CONTINUE: natively 900 + 100 per page, under icount 1000 + 500: 0.2 ns/insn */
	struct cc_cell_rate c[] = {
		{ "shmem-memfd/continue/b1", 1000, 1500, 1000.0 / 1500 },
		{ "shmem-memfd/continue/b64", 7300.0 / 64, 33000.0 / 64, 7300.0 / 33000 },
		/* COPY: 100 + 300 per page against 0 + 6000: 0.05 */
		{ "anon/copy/b1", 400, 6000, 400.0 / 6000 },
		{ "anon/copy/b64", (100 + 300 * 64) / 64.0, 6000, (100 + 300 * 64) / 64.0 / 6000 },
		/* one batch size only: its own ratio */
		{ "anon/zeropage/b1", 300, 1000, 0.3 },
	};
	char how[300];

	(void)state;
	assert_float_equal(cc_page_rate(c, 5, "continue", how, sizeof(how)), 0.2, 1e-9);
	assert_non_null(strstr(how, "1 memtype/ioctl slopes"));
	assert_float_equal(cc_page_rate(c, 5, "anon/copy", how, sizeof(how)), 0.05, 1e-9);
	assert_float_equal(cc_page_rate(c, 5, "all", how, sizeof(how)), 0.125, 1e-9);
	assert_float_equal(cc_page_rate(c, 5, "copy,continue", how, sizeof(how)), 0.125, 1e-9);
	/* no two batches: the cells' own ratios */
	assert_float_equal(cc_page_rate(c, 5, "zeropage", how, sizeof(how)), 0.3, 1e-9);
	assert_non_null(strstr(how, "no two batch sizes"));
	assert_true(isnan(cc_page_rate(c, 5, "move", how, sizeof(how))));
	/* a name that only starts like one is not it */
	assert_true(isnan(cc_page_rate(c, 5, "cont", how, sizeof(how))));
	/* a slope not above 0 (noise at batch 1) is left out, not a negative rate */
	c[1].native_ns = 900.0 / 64;
	assert_float_equal(cc_page_rate(c, 4, "all", how, sizeof(how)), 0.05, 1e-9);
	assert_non_null(strstr(how, "negative slope left out"));
}

/*
 * The timing: a retpoline (a return the CPU mispredicts on purpose, an
 * lfence) costs more than a direct call on any CPU; every median is finite
 * and the spread is ordered.  Few repetitions: a plausibility check, not a
 * measurement.
 */
static void test_measure(void **state)
{
	struct cc_opts o = { .cpu = -1, .reps = 15, .warmup = 2, .iters = 4000 };
	struct cc_result r;

	(void)state;
	if (!cc_supported())
		skip();
	assert_int_equal(cc_measure(&o, &r), 0);
	for (int s = 0; s < NR_CC_SEQ; s++) {
		print_message("%-20s %.2f ns [%.2f, %.2f]\n", cc_seq_name[s], r.seq[s].median,
			      r.seq[s].p10, r.seq[s].p90);
		assert_true(isfinite(r.seq[s].median));
		assert_true(r.seq[s].min <= r.seq[s].p10 && r.seq[s].p10 <= r.seq[s].median &&
			    r.seq[s].median <= r.seq[s].p90 && r.seq[s].p90 <= r.seq[s].max);
		assert_int_equal(r.seq[s].n, 15);
	}
	assert_true(r.seq[CC_RETPOLINE].median > r.seq[CC_DIRECT].median);
	assert_true(r.tsc_ghz > 0.1 && r.tsc_ghz < 100);
	o.reps = 0;
	assert_int_equal(cc_measure(&o, &r), -EINVAL);
	o.reps = 1;
	o.cpu = 65000;
	assert_int_equal(cc_measure(&o, &r), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_from_text),
		cmocka_unit_test(test_predict),
		cmocka_unit_test(test_model_json),
		cmocka_unit_test(test_cell_rates),
		cmocka_unit_test(test_page_rate),
		cmocka_unit_test(test_measure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
