// SPDX-License-Identifier: MIT
/*
 * What run, fault and caps write, and when: nothing before they know a cell
 * can run, labels that stay inside results/, unique default names, no
 * overwritten caps.json, no pool touched without hugetlb cells, and the
 * small rejections (empty list items, NUL bytes in a suite).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"
#include "cli_util.h"

#include "cli/commands.h"
#include "core/common.h"
#include "machine/hugepages.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

#define RUN(...) cli_run(NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define SMALL "--ioctl", "copy", "--batch", "1", "--size", "64k", "--rounds", "1"

static void path_in(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmp, name);
}

/* No cell can run (anon has no MINOR mode): exit 2 and no directory, for each command. */
static void test_nothing_runs_nothing_written(void **state)
{
	char d1[256], d2[256], d3[256];

	(void)state;
	path_in(d1, sizeof(d1), "none-run");
	path_in(d2, sizeof(d2), "none-repeat");
	path_in(d3, sizeof(d3), "none-fault");
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "continue", "--out", d1), 2);
	assert_non_null(strstr(out, "no cell of this matrix can run here"));
	assert_false(cli_exists(d1));
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "continue", "--repeat", "2",
			     "--out", d2), 2);
	assert_non_null(strstr(out, "no cell of this matrix can run here"));
	assert_false(cli_exists(d2));
	assert_int_equal(RUN("fault", "--memtype", "anon", "--ioctl", "continue", "--out", d3), 2);
	assert_false(cli_exists(d3));
}

/* Run in dir (made here) as cwd, so default names land in dir/results. */
static int run_in(const char *dir, const char *const *args)
{
	char cwd[PATH_MAX];
	int status;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	mkdir(dir, 0755);
	assert_int_equal(chdir(dir), 0);
	status = cli_run(NULL, args);
	assert_int_equal(chdir(cwd), 0);
	return status;
}

static void test_label_stays_inside(void **state)
{
	static const char *const bad[] = { "../../x", "a/b", "..", "/tmp/x" };
	char dir[256], sub[300];

	(void)state;
	path_in(sub, sizeof(sub), "labels");
	mkdir(sub, 0755);
	path_in(dir, sizeof(dir), "labels/in");
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(run_in(dir, (const char *const[]){ "run", "--memtype", "anon",
			SMALL, "--label", bad[i], NULL }), 2);
		assert_non_null(strstr(out, "bad --label"));
		assert_int_equal(run_in(dir, (const char *const[]){ "fault", "--duration", "1",
			"--label", bad[i], NULL }), 2);
		assert_non_null(strstr(out, "bad --label"));
	}
	snprintf(sub, sizeof(sub), "%s/results", dir);
	assert_false(cli_exists(sub));
	path_in(sub, sizeof(sub), "x");
	assert_false(cli_exists(sub));
	path_in(sub, sizeof(sub), "labels/x");
	assert_false(cli_exists(sub));
}

/*
 * A directory that cannot be made (a 5,000-character label; an --out whose
 * last part is too long a name) leaves none of the ones made on the way.
 */
static void test_no_empty_dir_left(void **state)
{
	char dir[256], label[5001], out_arg[600];

	(void)state;
	memset(label, 'x', sizeof(label) - 1);
	label[sizeof(label) - 1] = '\0';
	path_in(dir, sizeof(dir), "longlabel");
	mkdir(dir, 0755);
	assert_int_equal(run_in(dir, (const char *const[]){ "run", "--memtype", "anon", SMALL,
		"--label", label, NULL }), 2);
	assert_non_null(strstr(out, "bad --label"));
	assert_int_equal(run_in(dir, (const char *const[]){ "fault", "--duration", "1",
		"--label", label, NULL }), 2);
	snprintf(out_arg, sizeof(out_arg), "%s/results", dir);
	assert_false(cli_exists(out_arg));
	snprintf(out_arg, sizeof(out_arg), "%s/new/deeper/%.300s", dir, label);
	assert_int_equal(RUN("run", "--memtype", "anon", SMALL, "--out", out_arg), 2);
	assert_int_equal(RUN("caps", "--memtype", "anon", "--out", out_arg), 2);
	snprintf(out_arg, sizeof(out_arg), "%s/new", dir);
	assert_false(cli_exists(out_arg));
}

/* results/<date>-<host>-<release>-LABEL for the time t. */
static void default_name(char *buf, size_t len, const char *dir, time_t t, const char *label)
{
	char host[64] = "host", date[32];
	struct utsname u;

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(buf, len, "%s/results/%s-%s-%s-%s", dir, date, host, u.release, label);
}

/*
 * Two runs without --out in the same second.  Made certain: every name the
 * next minute could give already holds results; then two at once.
 */
static void test_default_names_unique(void **state)
{
	const char *const args[] = { "run", "--memtype", "anon", SMALL, "--label", "u11", NULL };
	char dir[256], name[512], file[600], cwd[PATH_MAX];
	time_t now = time(NULL);
	pid_t a, b;

	(void)state;
	path_in(dir, sizeof(dir), "names");
	mkdir(dir, 0755);
	snprintf(name, sizeof(name), "%s/results", dir);
	mkdir(name, 0755);
	for (time_t t = now; t < now + 60; t++) {
		default_name(name, sizeof(name), dir, t, "u11");
		mkdir(name, 0755);
		snprintf(file, sizeof(file), "%s/results.jsonl", name);
		close(open(file, O_WRONLY | O_CREAT, 0644));
	}
	assert_int_equal(run_in(dir, args), 0);
	assert_non_null(strstr(out, ".2-"));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	a = cli_spawn(NULL, args);
	b = cli_spawn(NULL, args);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(cli_wait(a), 0);
	assert_int_equal(cli_wait(b), 0);
}

/* caps --out into a results directory must not replace the run's caps.json. */
static void test_caps_out_no_overwrite(void **state)
{
	char dir[256], path[300], *before, *after;

	(void)state;
	path_in(dir, sizeof(dir), "capsdir");
	assert_int_equal(RUN("run", "--memtype", "shmem-memfd", SMALL, "--out", dir), 0);
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	before = capture_slurp(path, NULL);
	assert_non_null(before);
	assert_int_equal(RUN("caps", "--memtype", "anon", "--out", dir), 2);
	assert_non_null(strstr(out, "already holds caps.json"));
	after = capture_slurp(path, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* a new directory is made and written */
	path_in(dir, sizeof(dir), "capsnew/sub");
	assert_int_equal(RUN("caps", "--memtype", "anon", "--out", dir), 0);
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	assert_true(cli_exists(path));
}

/* A subcommand in this process, its output captured into tmp/stdout, tmp/stderr. */
static int in_process(int (*cmd)(int, char **), const char *name, ...)
{
	char *o, *e;
	va_list ap;
	int status;

	optind = 0;	/* reinitialise getopt for the command */
	va_start(ap, name);
	status = capture_cmd(cmd, name, tmp, ap, &o, &e);
	va_end(ap);
	snprintf(out, sizeof(out), "%s%s", o, e);
	free(o);
	free(e);
	return status;
}

/* The hugetlb types' caps entries say "not probed". */
static void assert_hugetlb_not_probed(json_t *caps)
{
	size_t i, seen = 0;
	json_t *e;

	json_array_foreach(json_object_get(caps, "entries"), i, e) {
		const char *mt = json_string_value(json_object_get(e, "memtype"));
		const char *why = json_string_value(json_object_get(e, "unavailable"));

		if (strncmp(mt, "hugetlb", 7))
			continue;
		seen++;
		if (!why || strcmp(why, "not probed"))
			fail_msg("%s was probed (%s)", mt, why ? why : "registered");
	}
	assert_true(seen > 0);
}

/* No forked child of ours is alive: the hugepage guard was never started. */
static void assert_no_guard(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/*
 * Without hugetlb cells, caps and run leave vm.nr_hugepages alone: no probe
 * of a hugetlb type, no guard process.  In this process, so that a guard
 * would be our child.
 */
static void test_no_hugetlb_no_pool(void **state)
{
	long before = hugepages_read(2ul << 20, "nr_hugepages");
	char dir[256], path[300];
	json_error_t jerr;
	json_t *j;

	(void)state;
	assert_no_guard();
	assert_int_equal(in_process(cmd_caps, "caps", "--memtype", "anon,shmem-memfd", "--json",
				    NULL), 0);
	j = json_loads(out, JSON_DISABLE_EOF_CHECK, &jerr);
	assert_non_null(j);
	assert_hugetlb_not_probed(j);
	json_decref(j);
	assert_no_guard();
	path_in(dir, sizeof(dir), "nopool");
	assert_int_equal(in_process(cmd_run, "run", "--memtype", "anon", SMALL, "--quiet",
				    "--out", dir, NULL), 0);
	assert_no_guard();
	snprintf(path, sizeof(path), "%s/caps.json", dir);
	j = json_load_file(path, 0, &jerr);
	assert_non_null(j);
	assert_hugetlb_not_probed(j);
	json_decref(j);
	assert_int_equal(hugepages_read(2ul << 20, "nr_hugepages"), before);
}

/* --quiet: the summary line only, no blank line before it. */
static void test_quiet(void **state)
{
	char dir[256];

	(void)state;
	path_in(dir, sizeof(dir), "quiet");
	assert_int_equal(RUN("run", "--memtype", "anon", SMALL, "--quiet", "--out", dir), 0);
	assert_int_equal(strncmp(out, "1 cells:", 8), 0);
}

static void test_empty_list_items(void **state)
{
	static const char *const cases[][2] = {
		{ "--batch", "1,,2" }, { "--memtype", "anon," }, { "--ioctl", ",copy" },
	};
	char dir[256];

	(void)state;
	path_in(dir, sizeof(dir), "lists");
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		/* the matrix stays small should an item slip through */
		assert_int_equal(RUN("run", "--memtype", "anon", SMALL, cases[i][0], cases[i][1],
				     "--out", dir), 2);
		assert_non_null(strstr(out, "empty item"));
		assert_false(cli_exists(dir));
	}
	assert_int_equal(RUN("stress", "--memtype", "anon,", "--out", dir), 2);
	assert_int_equal(RUN("capacity", "--target-rate", "1000", "--handlers", "1,,2",
			     "--out", dir), 2);
	assert_false(cli_exists(dir));
}

/* The lists every parser once skipped an empty item of; a stride of 0 pages. */
static void test_empty_items_everywhere(void **state)
{
	static const char *const nodes[][2] = {
		{ "--cpu-node", "0,,0" }, { "--cpu-node", "0," }, { "--mem-node", ",0" },
	};
	char dir[256];

	(void)state;
	path_in(dir, sizeof(dir), "empty-items");
	for (unsigned i = 0; i < ARRAY_SIZE(nodes); i++) {
		assert_int_equal(RUN("run", "--memtype", "anon", SMALL, nodes[i][0], nodes[i][1],
				     "--out", dir), 2);
		assert_non_null(strstr(out, "empty item"));
	}
	assert_int_equal(RUN("capacity", "--target-rate", "1000", "--wait", "read,,poll",
			     "--out", dir), 2);
	assert_non_null(strstr(out, "'read,,poll' has an empty item"));
	assert_int_equal(RUN("fault", "--stride", "0", "--pattern", "stride", "--out", dir), 2);
	assert_non_null(strstr(out, "bad --stride '0'"));
	assert_false(cli_exists(dir));
}

/* A value twice makes two cells (or points) of one key: refused, as --knob V,V is. */
static void test_duplicate_list_items(void **state)
{
	static const char *const cases[][3] = {
		{ "--batch", "1,1", "batch '1' given twice" },
		{ "--batch", "01,1", "batch '1' given twice" },
		{ "--threads", "1,1", "threads '1' given twice" },
		{ "--inject-ns", "0,0", "inject-ns '0' given twice" },
		{ "--inject-ns", "0,0.0", "inject-ns '0.0' given twice" },
		{ "--cpu-node", "0,0", "node 0 given twice" },
		{ "--mem-node", "0-1,1", "node 1 given twice" },
	};
	char dir[256];

	(void)state;
	path_in(dir, sizeof(dir), "dups");
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(RUN("run", "--memtype", "anon", SMALL, cases[i][0], cases[i][1],
				     "--out", dir), 2);
		assert_non_null(strstr(out, cases[i][2]));
		assert_false(cli_exists(dir));
	}
	assert_int_equal(RUN("capacity", "--target-rate", "1000", "--handlers", "1-2,2",
			     "--out", dir), 2);
	assert_non_null(strstr(out, "2 given twice"));
	assert_int_equal(RUN("capacity", "--target-rate", "1000", "--wait", "read,read",
			     "--out", dir), 2);
	assert_non_null(strstr(out, "'read' given twice"));
	assert_false(cli_exists(dir));
}

static void test_suite_with_nul(void **state)
{
	static const char suite[] = "memtype = anon\0,nosuch\nioctl = copy\nbatch = 1\n"
				    "size = 64k\nrounds = 1\n";
	char dir[256], path[300];
	FILE *f;

	(void)state;
	path_in(dir, sizeof(dir), "suites");
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/nul.suite", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(suite, 1, sizeof(suite) - 1, f);
	fclose(f);
	setenv("UFFDBENCH_SUITES", dir, 1);
	path_in(dir, sizeof(dir), "nulrun");
	assert_int_equal(RUN("run", "--suite", "nul", "--out", dir), 2);
	unsetenv("UFFDBENCH_SUITES");
	assert_non_null(strstr(out, "NUL"));
	assert_false(cli_exists(dir));
}

/* As nobody, a hugetlb cell says how many pages it needs and how many are free. */
static void test_hugetlb_skip_counts(void **state)
{
	char dir[256];
	int status;
	pid_t pid;
	long free_pages = hugepages_read(2ul << 20, "free_hugepages");

	(void)state;
	if (geteuid() != 0 || free_pages < 0 || free_pages >= 32) {
		print_message("skipped: %s\n", geteuid() ? "becoming nobody needs root" :
			      free_pages < 0 ? "no 2 MiB huge pages here" :
			      "32 or more 2 MiB huge pages are free now: the cell would run");
		skip();
	}
	path_in(dir, sizeof(dir), "nobody");
	chmod(tmp, 0755);
	mkdir(dir, 0777);
	chmod(dir, 0777);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char log[300];
		int fd;

		snprintf(log, sizeof(log), "%s/out.log", tmp);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		dup2(fd, 1);
		dup2(fd, 2);
		if (setgid(65534) || setuid(65534))
			_exit(126);
		strcat(dir, "/r");
		execl(cli_bin(), cli_bin(), "run", "--memtype", "hugetlb", "--ioctl", "copy",
		      "--batch", "1", "--size", "64M", "--rounds", "1", "--out", dir, (char *)NULL);
		_exit(127);
	}
	status = cli_wait(pid);
	if (strstr(out, "no userfaultfd here")) {
		print_message("skipped: nobody may not use userfaultfd here\n");
		skip();
	}
	assert_int_equal(status, 2);
	assert_non_null(strstr(out, "needs 32 free 2048 kB huge pages"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_hugetlb_no_pool),
		cmocka_unit_test(test_nothing_runs_nothing_written),
		cmocka_unit_test(test_label_stays_inside),
		cmocka_unit_test(test_no_empty_dir_left),
		cmocka_unit_test(test_default_names_unique),
		cmocka_unit_test(test_caps_out_no_overwrite),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_empty_list_items),
		cmocka_unit_test(test_empty_items_everywhere),
		cmocka_unit_test(test_duplicate_list_items),
		cmocka_unit_test(test_suite_with_nul),
		cmocka_unit_test(test_hugetlb_skip_counts),
	};

	if (!tmp_make("clw"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
