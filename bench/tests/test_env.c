// SPDX-License-Identifier: MIT
/* env.json capture, series detection and the atomic JSON writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "results/sidecar.h"
#include "machine/env.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static char *test_argv[] = { "uffdbench", "run", "--suite", "quick", "--out", "d ir" };
#define TEST_ARGC ((int)(sizeof(test_argv) / sizeof(test_argv[0])))

static int capture_setup(void **state)
{
	*state = env_capture(TEST_ARGC, test_argv);
	return *state ? 0 : -1;
}

static int capture_teardown(void **state)
{
	json_decref(*state);
	return 0;
}

static void test_schema_and_fields(void **state)
{
	static const char *const keys[] = {
		"schema", "kernel", "vulnerabilities", "retpolines", "cpu", "topology",
		"thp", "hugepages", "sysctl", "uffd", "series", "compiler", "cflags_hint",
		"suite_rev", "command", "cwd", "hostname", "date", "uid", "root",
		"clocksource", "memory",
	};
	json_t *env = *state;
	char *text;

	assert_true(json_is_object(env));
	assert_true(json_is_integer(json_object_get(env, "schema")));
	assert_int_equal(json_integer_value(json_object_get(env, "schema")), 1);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(json_object_get(env, keys[i]));
	/* Everything in it must be dumpable (valid UTF-8 strings and all). */
	text = json_dumps(env, 0);
	assert_non_null(text);
	free(text);
}

static void test_kernel_release(void **state)
{
	json_t *kernel = json_object_get(*state, "kernel");
	struct utsname u;

	assert_int_equal(uname(&u), 0);
	assert_string_equal(json_string_value(json_object_get(kernel, "release")), u.release);
	assert_string_equal(json_string_value(json_object_get(kernel, "version")), u.version);
}

static void test_vulnerabilities(void **state)
{
	json_t *v = json_object_get(*state, "vulnerabilities");
	struct stat st;

	if (stat("/sys/devices/system/cpu/vulnerabilities", &st)) {
		assert_true(json_is_null(v));
		skip();
	}
	assert_true(json_is_object(v));
	assert_true(json_object_size(v) > 0);
}

static void test_command(void **state)
{
	json_t *cmd = json_object_get(*state, "command");

	assert_true(json_is_array(cmd));
	assert_int_equal(json_array_size(cmd), TEST_ARGC);
	for (int i = 0; i < TEST_ARGC; i++)
		assert_string_equal(json_string_value(json_array_get(cmd, i)), test_argv[i]);
}

static void test_date_format(void **state)
{
	const char *date = json_string_value(json_object_get(*state, "date"));
	int y, mo, d, h, mi, s;
	char z;

	assert_non_null(date);
	assert_int_equal(strlen(date), strlen("2026-11-24T23:15:00Z"));
	assert_int_equal(sscanf(date, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z), 7);
	assert_int_equal(z, 'Z');
}

static void test_uffd_section(void **state)
{
	json_t *uffd = json_object_get(*state, "uffd");

	assert_true(json_is_object(uffd));
	if (json_object_get(uffd, "error")) {
		assert_true(json_is_string(json_object_get(uffd, "error")));
		return;
	}
	assert_true(json_is_string(json_object_get(uffd, "source")));
	assert_true(json_is_boolean(json_object_get(uffd, "user_mode_only")));
	assert_true(json_is_array(json_object_get(uffd, "features")));
	assert_memory_equal(json_string_value(json_object_get(uffd, "features_mask")), "0x", 2);
	assert_memory_equal(json_string_value(json_object_get(uffd, "api_ioctls")), "0x", 2);
}

/* Whether kallsyms shows the no-series signature: a global mfill, no get_folio. */
static bool kallsyms_says_no_series(void)
{
	bool global_mfill = false, folio = false;
	char *line = NULL, *p;
	size_t cap = 0;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		p = strstr(line, " T shmem_mfill_atomic_pte");
		if (p && strchr("\n\t", p[strlen(" T shmem_mfill_atomic_pte")]))
			global_mfill = true;
		if (strstr(line, " shmem_uffd_get_folio"))
			folio = true;
	}
	free(line);
	fclose(f);
	return global_mfill && !folio;
}

static void test_series_detect(void **state)
{
	char ev[256] = "";
	int ret;

	(void)state;
	ret = series_detect(ev, sizeof(ev));
	print_message("series_detect: %d (%s)\n", ret, ev);
	assert_in_range(ret + 1, 0, 2);
	assert_true(strlen(ev) > 0);
	if (kallsyms_says_no_series())
		assert_int_equal(ret, 0);
	/* A short buffer is truncated, never overrun. */
	memset(ev, 'x', sizeof(ev));
	assert_int_equal(series_detect(ev, 8), ret);
	assert_int_equal(strlen(ev), 7);
}

static void test_series_json(void **state)
{
	json_t *s = series_to_json();
	json_t *present;
	char ev[256];
	int ret = series_detect(ev, sizeof(ev));

	(void)state;
	assert_non_null(s);
	present = json_object_get(s, "present");
	if (ret < 0)
		assert_true(json_is_null(present));
	else
		assert_true(json_is_boolean(present) && json_is_true(present) == (ret == 1));
	assert_string_equal(json_string_value(json_object_get(s, "evidence")), ev);
	assert_true(json_is_null(json_object_get(s, "form")) ||
		    json_is_string(json_object_get(s, "form")));
	assert_true(ret == 1 || json_is_null(json_object_get(s, "form")));
	json_decref(s);
}

static int tmpdir_setup(void **state)
{
	char tmpl[] = "/tmp/test_env.XXXXXX";

	if (!mkdtemp(tmpl))
		return -1;
	*state = strdup(tmpl);
	return *state ? 0 : -1;
}

static int tmpdir_teardown(void **state)
{
	char *dir = *state, path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		unlink(path);
	}
	if (dp)
		closedir(dp);
	rmdir(dir);
	free(dir);
	return 0;
}

/* How many names dir holds besides . and ..; the first max of them in names. */
static int dir_entries(const char *dir, char names[][256], int max)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	assert_non_null(dp);
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (n < max)
			snprintf(names[n], 256, "%s", d->d_name);
		n++;
	}
	closedir(dp);
	return n;
}

static void test_write_atomic(void **state)
{
	const char *dir = *state;
	json_t *env = env_capture(TEST_ARGC, test_argv), *back;
	char path[512], names[4][256];
	json_error_t err;

	assert_non_null(env);
	assert_int_equal(json_write_atomic(dir, "env.json", env), 0);
	/* Overwriting an existing file is the same rename. */
	assert_int_equal(json_write_atomic(dir, "env.json", env), 0);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	back = json_load_file(path, 0, &err);
	if (!back)
		fail_msg("reload: %s (line %d)", err.text, err.line);
	assert_true(json_equal(env, back));
	assert_int_equal(dir_entries(dir, names, 4), 1);
	assert_string_equal(names[0], "env.json");
	json_decref(back);
	json_decref(env);
}

static void test_write_atomic_errors(void **state)
{
	const char *dir = *state;
	json_t *obj = json_pack("{s:i}", "schema", 1);
	char missing[512], names[4][256];
	int ret;

	snprintf(missing, sizeof(missing), "%s/no/such/dir", dir);
	ret = json_write_atomic(missing, "env.json", obj);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(json_write_atomic(dir, "a/b", obj), -EINVAL);
	assert_int_equal(json_write_atomic(dir, "x.json", NULL), -EINVAL);
	assert_int_equal(dir_entries(dir, names, 4), 0);
	json_decref(obj);
}


/* A kallsyms file of the given lines, its verdict, form and evidence. */
static int detect_lines(const char *dir, const char *text, const char **form,
			char *ev, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	return series_detect_file(path, form, ev, len);
}

/*
 * The forms of the series in synthetic kallsyms, shaped as Debian's 7.0.13
 * and 7.1.13 kernels show them (a stray symbol around, a .cold clone, a
 * module's tab).
 */
static void test_series_forms(void **state)
{
	const char *dir = *state, *form = "x";
	char ev[256], missing[512];

	/* 7.0.13: the direct call of old */
	assert_int_equal(detect_lines(dir, "ffffffff81000000 T _stext\n"
				      "ffffffff8164e640 T shmem_mfill_atomic_pte\n"
				      "ffffffff8122ac53 t mfill_atomic_copy.cold\n",
				      &form, ev, sizeof(ev)), 0);
	assert_null(form);
	assert_non_null(strstr(ev, "is T (global)"));

	/* 7.1.13: Mike Rapoport's rework */
	assert_int_equal(detect_lines(dir, "ffffffff81658360 t shmem_mfill_folio_alloc\n"
				      "ffffffff8174fe00 t anon_alloc_folio\n"
				      "ffffffff81750830 t mfill_get_vma\n"
				      "ffffffff81750a60 t __mfill_atomic_pte\n",
				      &form, ev, sizeof(ev)), 1);
	assert_string_equal(form, "7.1");
	assert_non_null(strstr(ev, "mfill_get_vma, __mfill_atomic_pte, "
			       "shmem_mfill_folio_alloc, anon_alloc_folio"));
	assert_non_null(strstr(ev, "Linux 7.1"));

	/* 7.1 with CONFIG_SHMEM off: anon's op is enough */
	assert_int_equal(detect_lines(dir, "ffffffff8174fe00 t anon_alloc_folio\n"
				      "ffffffff81750830 t mfill_get_vma.isra.0\n",
				      &form, ev, sizeof(ev)), 1);
	assert_string_equal(form, "7.1");

	/* a name that only starts like one is not it */
	assert_int_equal(detect_lines(dir, "ffffffff81750830 t mfill_get_vma_locked\n"
				      "ffffffff81750a60 t __mfill_atomic_pte_x\n",
				      &form, ev, sizeof(ev)), -1);
	assert_null(form);

	/* mfill_get_vma alone is not the fill path's rework */
	assert_int_equal(detect_lines(dir, "ffffffff81750830 t mfill_get_vma\n",
				      &form, ev, sizeof(ev)), -1);
	assert_non_null(strstr(ev, "cannot tell"));

	/* Peter Xu's series */
	assert_int_equal(detect_lines(dir, "ffffffff815ba370 t shmem_mfill_atomic_pte\n"
				      "ffffffff815ba000 t shmem_uffd_get_folio\t[foo]\n",
				      &form, ev, sizeof(ev)), 1);
	assert_string_equal(form, "xu");

	/* a local shmem_mfill_atomic_pte alone cannot tell */
	assert_int_equal(detect_lines(dir, "ffffffff815ba370 t shmem_mfill_atomic_pte\n",
				      &form, ev, sizeof(ev)), -1);
	assert_int_equal(detect_lines(dir, "", &form, ev, sizeof(ev)), -1);
	assert_non_null(strstr(ev, "CONFIG_SHMEM"));

	snprintf(missing, sizeof(missing), "%s/none", dir);
	assert_int_equal(series_detect_file(missing, &form, ev, sizeof(ev)), -1);
	assert_non_null(strstr(ev, "cannot open"));
	unlink(missing);
}

int main(void)
{
	const struct CMUnitTest capture[] = {
		cmocka_unit_test(test_schema_and_fields),
		cmocka_unit_test(test_kernel_release),
		cmocka_unit_test(test_vulnerabilities),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_uffd_section),
	};
	const struct CMUnitTest rest[] = {
		cmocka_unit_test(test_series_detect),
		cmocka_unit_test(test_series_json),
		cmocka_unit_test_setup_teardown(test_series_forms, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_errors, tmpdir_setup,
						tmpdir_teardown),
	};
	int failed;

	failed = cmocka_run_group_tests_name("env_capture", capture, capture_setup,
					     capture_teardown);
	failed += cmocka_run_group_tests_name("series and json_write_atomic", rest, NULL, NULL);
	return failed ? 1 : 0;
}
