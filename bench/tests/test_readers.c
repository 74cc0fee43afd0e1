// SPDX-License-Identifier: MIT
/*
 * What the readers of results.jsonl (export, compare, plot) believe: a line
 * of a real run, changed one way at a time, must be refused with its
 * FILE:LINE and exit 2 when it cannot be what a run wrote — bytes after the
 * object (a NUL and garbage), a key given twice, a summary that is not a
 * number or contradicts the rounds, a range that overflows, absurd times.
 * A line without a summary is read: export derives it from the rounds.
 * Only regular files are read (a FIFO would block, /dev/zero never ends, a
 * directory read as empty): results.jsonl, env.json, suite files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <jansson.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char line[1 << 14];	/* the first line of a real run, no newline */
static size_t line_len;

/* tmp_path(name)/results.jsonl holding len bytes of text and a newline. */
static const char *write_dir(const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	mkdir(tmp_path(name), 0755);
	snprintf(path, sizeof(path), "%s/results.jsonl", tmp_path(name));
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fputc('\n', f);
	fclose(f);
	return tmp_path(name);
}

/* Each reader refuses dir with exit 2, naming results.jsonl:1 and why. */
static void refused(const char *dir, const char *why)
{
	const char *const readers[][4] = {
		{ "export", dir, NULL }, { "compare", dir, dir, NULL },
	};
	char plots[256];

	snprintf(plots, sizeof(plots), "%s/plots", tmp);
	for (unsigned i = 0; i < ARRAY_SIZE(readers); i++) {
		assert_int_equal(cli_run(NULL, readers[i]), 2);
		if (!strstr(out, "results.jsonl:1: ") || !strstr(out, why))
			fail_msg("%s: \"%s\", wanted results.jsonl:1 and \"%s\"", readers[i][0], out,
				 why);
	}
	assert_int_equal(cli_run(NULL, (const char *const[]){ "plot", "--out", plots, dir,
		NULL }), 2);
	assert_non_null(strstr(out, why));
}

/* The line with one change made through jansson. */
static const char *edited(const char *name, void (*edit)(json_t *))
{
	json_t *o = json_loadb(line, line_len, 0, NULL);
	char *text;
	const char *dir;

	assert_non_null(o);
	edit(o);
	text = json_dumps(o, JSON_COMPACT);
	dir = write_dir(name, text, strlen(text));
	free(text);
	json_decref(o);
	return dir;
}

static json_t *summary_pg(json_t *o)
{
	return json_object_get(json_object_get(o, "summary"), "ns_per_page");
}

static void median_fast(json_t *o)
{
	json_object_set_new(summary_pg(o), "median", json_string("fast"));
}

static void median_doubled(json_t *o)
{
	json_t *m = json_object_get(summary_pg(o), "median");

	json_object_set_new(summary_pg(o), "median", json_real(2 * json_number_value(m)));
}

static void huge_range(json_t *o)
{
	json_object_set_new(o, "page_size", json_integer(1ll << 62));
	json_object_set_new(o, "pages_per_thread", json_integer(1ll << 40));
}

static void absurd_round(json_t *o)
{
	json_t *r = json_array_get(json_object_get(o, "rounds"), 0);

	json_object_set_new(r, "ns_per_page", json_real(1e308));
}

static void absurd_inject(json_t *o)
{
	json_object_set_new(o, "inject_ns", json_real(1e308));
}

static void no_summary(json_t *o)
{
	json_object_del(o, "summary");
}

static int setup(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	if (cli_run(NULL, (const char *const[]){ "run", "--memtype", "anon", "--ioctl", "copy",
		"--batch", "1", "--size", "64k", "--rounds", "7", "--quiet", "--out",
		tmp_path("real"), NULL }))
		return -1;
	snprintf(path, sizeof(path), "%s/results.jsonl", tmp_path("real"));
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f))
		return -1;
	fclose(f);
	line_len = strcspn(line, "\n");
	line[line_len] = '\0';
	return 0;
}

static void test_trailing_bytes(void **state)
{
	char buf[sizeof(line) + 32];

	(void)state;
	memcpy(buf, line, line_len);
	memcpy(buf + line_len, "\0garbage", 8);
	refused(write_dir("nul", buf, line_len + 8), "a NUL byte");
	memcpy(buf + line_len, " {}", 3);
	refused(write_dir("after", buf, line_len + 3), "not valid JSON");
}

static void test_duplicate_key(void **state)
{
	char buf[sizeof(line) + 32];

	(void)state;
	assert_int_equal(strncmp(line, "{\"schema\":1,", 12), 0);
	memcpy(buf, "{\"schema\":1,\"schema\":1,", 23);
	memcpy(buf + 23, line + 12, line_len - 12);
	refused(write_dir("dupkey", buf, line_len + 11), "duplicate object key");
}

static void test_summary(void **state)
{
	(void)state;
	refused(edited("fast", median_fast), "summary.ns_per_page.median: not a number");
	refused(edited("doubled", median_doubled), "contradicts the rounds");
}

static void test_absurd_numbers(void **state)
{
	(void)state;
	refused(edited("range", huge_range), "\"page_size\"/\"pages_per_thread\"");
	refused(edited("round", absurd_round), "round 0 lacks an ns_per_page");
	refused(edited("inject", absurd_inject), "bad \"inject_ns\"");
}

/* No summary: read, and export derives the median from the rounds. */
static void test_summary_derived(void **state)
{
	const char *dir = edited("nosum", no_summary);

	(void)state;
	assert_int_equal(cli_run(NULL, (const char *const[]){ "export", dir, NULL }), 0);
	assert_non_null(strstr(out, "ns_per_page_median"));
	assert_non_null(strstr(out, ",ok,,7,"));
	assert_null(strstr(out, ",ok,,7,,"));	/* the median is there */
}

/* `uffdbench ARGS` given 10 s: its status, or a failed test if it hangs. */
static int run_deadline(const char *const *args)
{
	pid_t pid = cli_spawn(NULL, args);
	int status;

	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			return cli_wait_status(status);
		}
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("uffdbench %s %s: still running after 10 s", args[0], args[1]);
	return -1;
}

/* tmp_path(name) with results.jsonl (or env.json) made by make(path). */
static const char *special(const char *name, const char *file, int (*make)(const char *))
{
	char path[256], real[192], cmd[600];

	snprintf(real, sizeof(real), "%s", tmp_path("real"));
	snprintf(cmd, sizeof(cmd), "cp -r '%s' '%s'", real, tmp_path(name));
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/%s", tmp_path(name), file);
	unlink(path);
	assert_int_equal(make(path), 0);
	return tmp_path(name);
}

static int make_fifo(const char *path)
{
	return mkfifo(path, 0644);
}

static int make_zero(const char *path)
{
	return symlink("/dev/zero", path);
}

static int make_dir(const char *path)
{
	return mkdir(path, 0755);
}

static void special_refused(const char *name, const char *why)
{
	char dir[192];

	snprintf(dir, sizeof(dir), "%s", name);
	assert_int_equal(run_deadline((const char *const[]){ "export", dir, NULL }), 2);
	assert_non_null(strstr(out, why));
	assert_int_equal(run_deadline((const char *const[]){ "compare", dir, tmp_path("real"),
		NULL }), 2);
	assert_non_null(strstr(out, why));
}

static void test_special_results(void **state)
{
	(void)state;
	special_refused(special("fifo", "results.jsonl", make_fifo), "a FIFO, not a regular file");
	special_refused(special("zero", "results.jsonl", make_zero),
			"a character device, not a regular file");
	special_refused(special("dir", "results.jsonl", make_dir),
			"a directory, not a regular file");
	special_refused(special("envfifo", "env.json", make_fifo), "a FIFO, not a regular file");
}

static void test_special_suites(void **state)
{
	const char *const kinds[][2] = {
		{ "fifo", "a FIFO" }, { "zero", "a character device" }, { "dir", "a directory" },
	};
	int (*const make[])(const char *) = { make_fifo, make_zero, make_dir };
	char suites[256], path[300];

	(void)state;
	snprintf(suites, sizeof(suites), "%s/suites", tmp);
	mkdir(suites, 0755);
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		snprintf(path, sizeof(path), "%s/%s.suite", suites, kinds[i][0]);
		assert_int_equal(make[i](path), 0);
	}
	setenv("UFFDBENCH_SUITES", suites, 1);
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		assert_int_equal(run_deadline((const char *const[]){ "run", "--suite",
			kinds[i][0], "--out", tmp_path("suite-run"), NULL }), 2);
		assert_non_null(strstr(out, kinds[i][1]));
		assert_false(cli_exists(tmp_path("suite-run")));
	}
	assert_int_equal(run_deadline((const char *const[]){ "list", NULL }), 0);
	assert_non_null(strstr(out, "a FIFO, not a regular file"));
	unsetenv("UFFDBENCH_SUITES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_absurd_numbers),
		cmocka_unit_test(test_summary_derived),
		cmocka_unit_test(test_special_results),
		cmocka_unit_test(test_special_suites),
	};

	if (!tmp_make("readers") || setup(NULL))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
