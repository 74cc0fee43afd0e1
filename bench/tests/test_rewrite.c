// SPDX-License-Identifier: MIT
/*
 * merge, split, json and profdiff, the binary's side of the scripts: the committed
 * example directories (bench/docs/example/) merged with their repeats
 * renumbered and every line otherwise byte for byte as read, split back by
 * parity, and the refusals (DST holding results, an --index twice, a corrupt
 * source: exit 2, nothing written); json writing an object, reading it back
 * and setting a key in an env.json; bad JSON refused with FILE:LINE;
 * profdiff's shares, differences and noise from perf report's text and
 * scripts/profile's kept lines, and a file without kernel samples refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <string.h>
#include <sys/stat.h>

#define EX SRCDIR "/bench/docs/example/"

/* The output of a shell command line (into out); its exit status. */
static int __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	FILE *p;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	return WEXITSTATUS(pclose(p));
}

static void test_merge(void **state)
{
	(void)state;
	assert_int_equal(cli_run("merge", (const char *const[]){ "--out", tmp_path("m"),
		EX "linux-7.0.13", EX "linux-7.1.13", NULL }), 0);
	/* 3 boots each: the second source's repeats follow the first's */
	assert_int_equal(sh("%s json --get repeat %s/results.jsonl | sort -un | paste -sd' '",
			    cli_bin(), tmp_path("m")), 0);
	assert_string_equal(out, "0 1 2 3 4 5\n");
	/* the first source's lines, repeat unchanged, are written as they were read */
	assert_int_equal(sh("n=$(wc -l <%1$s/results.jsonl); head -n $n %2$s/results.jsonl |"
			    " cmp - %1$s/results.jsonl && echo same",
			    EX "linux-7.0.13", tmp_path("m")), 0);
	assert_string_equal(out, "same\n");
	assert_true(cli_exists(tmp_path("m/env.json")));
	assert_true(cli_exists(tmp_path("m/caps.json")));
	/* --index: round 1 missing */
	assert_int_equal(cli_run("merge", (const char *const[]){ "--index", "0,2", "--out",
		tmp_path("i"), EX "linux-7.0.13", EX "linux-7.0.13", NULL }), 0);
	assert_int_equal(sh("%s json --get repeat %s/results.jsonl | sort -un | paste -sd' '",
			    cli_bin(), tmp_path("i")), 0);
	assert_string_equal(out, "0 1 2 6 7 8\n");
	/* refused: DST with results, an index twice, too few indexes, a corrupt source */
	assert_int_equal(cli_run("merge", (const char *const[]){ "--out", tmp_path("m"),
		EX "linux-7.0.13", NULL }), 2);
	assert_non_null(strstr(out, "already holds results"));
	assert_int_equal(cli_run("merge", (const char *const[]){ "--index", "1,1", "--out",
		tmp_path("x"), EX "linux-7.0.13", EX "linux-7.0.13", NULL }), 2);
	assert_non_null(strstr(out, "given twice"));
	assert_int_equal(cli_run("merge", (const char *const[]){ "--index", "1", "--out",
		tmp_path("x"), EX "linux-7.0.13", EX "linux-7.0.13", NULL }), 2);
	mkdir(tmp_path("bad"), 0755);
	cli_write_file(tmp_path("bad/results.jsonl"), "{\"schema\":1,\"kind\":\"cell\",\n");
	assert_int_equal(cli_run("merge", (const char *const[]){ "--out", tmp_path("x"),
		EX "linux-7.0.13", tmp_path("bad"), NULL }), 2);
	assert_non_null(strstr(out, "results.jsonl:1"));
	assert_false(cli_exists(tmp_path("x")));
}

static void test_split(void **state)
{
	(void)state;
	assert_int_equal(cli_run("merge", (const char *const[]){ "--out", tmp_path("aa"),
		EX "linux-7.0.13", EX "linux-7.0.13", NULL }), 0);
	assert_int_equal(cli_run("split", (const char *const[]){ "--by", "parity",
		tmp_path("aa"), tmp_path("aa-"), NULL }), 0);
	assert_non_null(strstr(out, "aa-even\n"));
	assert_non_null(strstr(out, "aa-odd\n"));
	assert_int_equal(sh("%s json --get repeat %s/results.jsonl | sort -un | paste -sd' '",
			    cli_bin(), tmp_path("aa-odd")), 0);
	assert_string_equal(out, "0 1 2\n");
	assert_true(cli_exists(tmp_path("aa-odd/env.json")));
	/* the parts exist now: a second split is refused and writes nothing */
	assert_int_equal(cli_run("split", (const char *const[]){ "--by", "parity",
		tmp_path("aa"), tmp_path("aa-"), NULL }), 2);
	assert_int_equal(cli_run("split", (const char *const[]){ "--by", "colour",
		tmp_path("aa"), tmp_path("c-"), NULL }), 2);
	assert_int_equal(cli_run("split", (const char *const[]){ "--by", "inject",
		tmp_path("aa"), tmp_path("inj-"), NULL }), 0);
	assert_non_null(strstr(out, "inj-0\n"));
	assert_true(cli_exists(tmp_path("inj-0/results.jsonl")));
}

static void test_json(void **state)
{
	(void)state;
	assert_int_equal(sh("%1$s json boot:=3 'msg=a \"b\"\tc' secs:=41.5 rc:=null >%2$s/b.json"
			    " && cat %2$s/b.json", cli_bin(), tmp_path("")), 0);
	assert_string_equal(out, "{\"boot\":3,\"msg\":\"a \\\"b\\\"\\tc\",\"secs\":41.5,"
			    "\"rc\":null}\n");
	assert_int_equal(sh("%s json --get secs,msg,rc,none,boot %s/b.json", cli_bin(), tmp_path("")), 0);
	assert_string_equal(out, "41.5\ta \"b\" c\t\t\t3\n");
	assert_int_equal(sh("cp %2$s/env.json %3$s/env.json && %1$s json --set host=h1 "
			    "%3$s/env.json && %1$s json --get host,kernel.release %3$s/env.json",
			    cli_bin(), EX "linux-7.0.13", tmp_path("")), 0);
	assert_string_equal(out, "h1\t7.0.13+deb13-cloud-amd64\n");
	/* refused with FILE:LINE, exit 2 */
	cli_write_file(tmp_path("bad.jsonl"), "{\"a\":1}\n{\"a\":\n");
	assert_int_equal(cli_run("json", (const char *const[]){ "--get", "a",
		tmp_path("bad.jsonl"), NULL }), 2);
	assert_non_null(strstr(out, "bad.jsonl:"));
	cli_write_file(tmp_path("bad.jsonl"), "{\"a\":1}\n[2]\n");
	assert_int_equal(cli_run("json", (const char *const[]){ "--get", "a",
		tmp_path("bad.jsonl"), NULL }), 2);
	assert_non_null(strstr(out, "bad.jsonl:2: not a JSON object"));
	assert_int_equal(cli_run("json", (const char *const[]){ "a:=nope", NULL }), 2);
	assert_int_equal(cli_run("json", (const char *const[]){ "=x", NULL }), 2);
	assert_int_equal(cli_run("json", (const char *const[]){ "--set", "a=1",
		tmp_path("bad.jsonl"), NULL }), 2);
}

static void test_profdiff(void **state)
{
	(void)state;
	/* base: 300 of 400 kernel samples in f (75%); new: 10 of 20 (50%) */
	cli_write_file(tmp_path("a.txt"), "# perf report\n#\n  60.00%  300  [k] f\n"
		       "  20.00%  100  [k] g\n  20.00%  100  [.] user\n");
	cli_write_file(tmp_path("b.txt"), "10 [k] f\n10 [k] g\n");
	assert_int_equal(cli_run("profdiff", (const char *const[]){ "--names", "A,B", "--base",
		tmp_path("a.txt"), tmp_path("b.txt"), NULL }), 0);
	assert_non_null(strstr(out, "kernel samples: A 400 (1 file), B 20 (1 file)\n"));
	/* noise: 3.5 * 100 * sqrt(.75 * .25 / 400 + .5 * .5 / 20) = 39.86 pp */
	assert_non_null(strstr(out, "\nf  "));
	assert_non_null(strstr(out, "75.00%   50.00%    -25.00   39.86     300      10\n"));
	cli_write_file(tmp_path("c.txt"), "# nothing\n  100.00%  7  [.] main\n");
	assert_int_equal(cli_run("profdiff", (const char *const[]){ "--base", tmp_path("a.txt"),
		tmp_path("c.txt"), NULL }), 2);
	assert_non_null(strstr(out, "c.txt: no kernel samples"));
	assert_int_equal(cli_run("profdiff", (const char *const[]){ tmp_path("a.txt"), NULL }), 2);
	assert_int_equal(cli_run("profdiff", (const char *const[]){ "--names", "A", "--base",
		tmp_path("a.txt"), tmp_path("b.txt"), NULL }), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_profdiff),
	};

	if (!tmp_make("rewrite"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
