// SPDX-License-Identifier: MIT
/*
 * Writing results where the disk is full or read-only: every line whole or
 * not at all, the reason named, nothing half-made left behind.  A small
 * tmpfs stands for the disk, so these need root (skipped with the reason
 * otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"
#include "cli_util.h"

#include "results/read.h"
#include "results/results.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define RUN(...) cli_run(NULL, (const char *const[]){ __VA_ARGS__, NULL })

static char mnt[128];		/* a 64 KiB tmpfs, mounted by each test */

static bool mount_small(const char *opts)
{
	snprintf(mnt, sizeof(mnt), "%s/mnt", tmp);
	mkdir(mnt, 0755);
	if (geteuid() != 0 || mount("tmpfs", mnt, "tmpfs", 0, opts)) {
		print_message("skipped: mounting a small tmpfs needs root (%s)\n", strerror(errno));
		return false;
	}
	return true;
}

static int unmount(void **state)
{
	(void)state;
	umount2(mnt, MNT_DETACH);
	return 0;
}

/* Fill the mount up to its last free bytes with a file; its path into path. */
static void fill(char *path, size_t len)
{
	static char block[4096];
	int fd;

	snprintf(path, len, "%s/fill", mnt);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	while (write(fd, block, sizeof(block)) > 0)
		;
	close(fd);
}

static off_t size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

/* results_append_line on a full disk: -ENOSPC, the file as it was. */
static void test_append_line_full(void **state)
{
	char path[256], filler[256], *text;
	json_t *big = json_object();
	off_t before;
	int fd;

	(void)state;
	if (!mount_small("size=64k"))
		skip();
	snprintf(path, sizeof(path), "%s/results.jsonl", mnt);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	assert_true(fd >= 0);
	assert_int_equal(results_append_line(fd, json_pack("{s:i}", "schema", 1)), 0);
	fill(filler, sizeof(filler));
	unlink(filler);		/* 64 KiB free again, and a line bigger than that */
	text = calloc(1, 100000);
	memset(text, 'x', 99999);
	json_object_set_new(big, "pad", json_string(text));
	free(text);
	before = size_of(path);
	assert_int_equal(results_append_line(fd, big), -ENOSPC);
	assert_int_equal(size_of(path), before);
	close(fd);
	text = capture_slurp(path, NULL);
	snprintf(filler, sizeof(filler), "{\"schema\":1,\"clock\":\"%s\"}\n",
		 bench_clock_name(bench_clock()));	/* every line says its clock */
	assert_string_equal(text, filler);
	free(text);
}

/* The drill: a run fills the disk part-way through its cells. */
static void test_run_fills_disk(void **state)
{
	char dir[256], path[300], err[512], *text;
	struct rr_dir d;
	size_t ok_rows = 0;
	int status;

	(void)state;
	if (!mount_small("size=64k"))
		skip();
	snprintf(dir, sizeof(dir), "%s/r", mnt);
	status = RUN("run", "--memtype", "anon,shmem-memfd", "--ioctl", "all", "--batch", "1,64",
		     "--size", "1M", "--rounds", "80", "--out", dir);
	assert_int_equal(status, 2);
	assert_non_null(strstr(out, "cannot write"));
	assert_non_null(strstr(out, "/results.jsonl: No space left on device"));
	/* the cell that did not fit is not claimed as saved */
	assert_non_null(strstr(out, "NOT SAVED"));
	for (const char *p = out; (p = strstr(p, "  ok\n")); p++)
		ok_rows++;
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	text = capture_slurp(path, NULL);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	free(text);
	/* what was saved is what the table said, and the readers take it */
	assert_int_equal(rr_load(dir, &d, err, sizeof(err)), 0);
	assert_int_equal(d.nr_cells, ok_rows);
	assert_true(d.nr_cells >= 1);
	rr_free(&d);
}

/* env.json cannot be written: the reason, exit 2, nothing left, a rerun works. */
static void test_sidecar_full(void **state)
{
	const char *modes[] = { "1", "2" };	/* a plain run, and --repeat's parent */
	char dir[256], filler[256], cmd[300];

	(void)state;
	if (!mount_small("size=64k"))
		skip();
	snprintf(dir, sizeof(dir), "%s/r", mnt);
	for (unsigned i = 0; i < 2; i++) {
		fill(filler, sizeof(filler));
		assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "copy", "--batch", "1",
				     "--size", "64k", "--rounds", "2", "--repeat", modes[i],
				     "--out", dir), 2);
		assert_non_null(strstr(out, "/env.json: No space left on device"));
		assert_false(cli_exists(dir));
		unlink(filler);
		assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "copy", "--batch", "1",
				     "--size", "64k", "--rounds", "2", "--repeat", modes[i],
				     "--out", dir), 0);
		assert_true(size_of(dir) >= 0);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* caps --out on a read-only filesystem names that, not ENOENT. */
static void test_caps_out_readonly(void **state)
{
	char dir[256];

	(void)state;
	if (!mount_small("size=64k,ro"))
		skip();
	snprintf(dir, sizeof(dir), "%s/caps", mnt);
	assert_int_equal(RUN("caps", "--memtype", "anon", "--out", dir), 2);
	assert_non_null(strstr(out, "Read-only file system"));
	assert_null(strstr(out, "No such file"));
}

/* caps --out on a full disk: the reason, exit 2, and no directory left. */
static void test_caps_out_full(void **state)
{
	char dir[256], filler[256];

	(void)state;
	if (!mount_small("size=16k"))
		skip();
	fill(filler, sizeof(filler));
	snprintf(dir, sizeof(dir), "%s/caps/deeper", mnt);
	assert_int_equal(RUN("caps", "--memtype", "anon", "--out", dir), 2);
	assert_non_null(strstr(out, "No space left on device"));
	snprintf(dir, sizeof(dir), "%s/caps", mnt);
	assert_false(cli_exists(dir));
}

/* caps --json > a file on a full tmpfs: cut short, so named and exit 2. */
static void test_stdout_file_full(void **state)
{
	char cmd[512], log[160];
	int status;
	FILE *f;

	(void)state;
	if (!mount_small("size=4k"))
		skip();
	snprintf(cmd, sizeof(cmd), "'%s' caps --json --memtype anon >'%s/caps.json' 2>'%s/out.log'",
		 cli_bin(), mnt, tmp);
	status = system(cmd);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	snprintf(log, sizeof(log), "%s/out.log", tmp);
	f = fopen(log, "r");
	assert_non_null(f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	assert_non_null(strstr(out, "cannot write to standard output: No space left on device"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_append_line_full, unmount),
		cmocka_unit_test_teardown(test_run_fills_disk, unmount),
		cmocka_unit_test_teardown(test_sidecar_full, unmount),
		cmocka_unit_test_teardown(test_caps_out_readonly, unmount),
		cmocka_unit_test_teardown(test_stdout_file_full, unmount),
		cmocka_unit_test_teardown(test_caps_out_full, unmount),
	};

	if (!tmp_make("disk"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
