// SPDX-License-Identifier: MIT
/*
 * Everyday use: --version, help texts (80 columns, examples, the same text
 * in --help, help COMMAND and the man page), the bash completion, export's
 * round trip to CSV, and the progress line: on a terminal only, never an
 * escape code in piped output.  $UFFDBENCH_BIN names the binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN(...) cli_run(NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* stdout of `uffdbench ARGS` (a shell word list) into a new buffer; *status its exit. */
static char *output_of(const char *args, int *status)
{
	char cmd[1024], *buf = calloc(1, 1 << 20);
	size_t n = 0, got;
	FILE *p;

	assert_non_null(buf);
	snprintf(cmd, sizeof(cmd), "'%s' %s", cli_bin(), args);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((got = fread(buf + n, 1, (1 << 20) - 1 - n, p)) > 0)
		n += got;
	*status = WEXITSTATUS(pclose(p));
	return buf;
}

/* Lines of at most cols columns (a UTF-8 character is one). */
static bool fits(const char *text, size_t cols, char *bad, size_t len)
{
	size_t n = 0;

	for (const char *p = text, *line = text; *p; p++) {
		if (*p == '\n') {
			n = 0;
			line = p + 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80 && ++n > cols) {
			snprintf(bad, len, "%.*s", (int)strcspn(line, "\n"), line);
			return false;
		}
	}
	return true;
}

static void test_version(void **state)
{
	regex_t re;
	char *v;
	int st;

	(void)state;
	v = output_of("--version", &st);
	assert_int_equal(st, 0);
	assert_int_equal(regcomp(&re, "^uffdbench [0-9]+\\.[0-9]+\\.[0-9]+ "
				 "\\(git ([0-9a-f]{7,40}(-dirty)?|unknown)\\)\n$", REG_EXTENDED), 0);
	if (regexec(&re, v, 0, NULL, 0))
		fail_msg("--version printed '%s'", v);
	regfree(&re);
	free(v);
}

/* The run's env.json records the version --version prints. */
static void test_version_in_env(void **state)
{
	char dir[128], path[160], *v, want[64];
	json_t *env;
	int st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/ver", tmp);
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "zeropage", "--batch", "1",
			     "--size", "64k", "--rounds", "1", "--quiet", "--out", dir), 0);
	snprintf(path, sizeof(path), "%s/env.json", dir);
	env = json_load_file(path, 0, NULL);
	assert_non_null(env);
	v = output_of("--version", &st);
	snprintf(want, sizeof(want), "uffdbench %s (git %s)\n",
		 json_string_value(json_object_get(env, "version")),
		 json_string_value(json_object_get(env, "suite_rev")));
	assert_string_equal(v, want);
	free(v);
	json_decref(env);
}

/* The man page's text, unescaped: what roff_line() wrote for each line. */
static void unroff(char *s)
{
	char *w = s;

	for (char *r = s; *r; ) {
		if (r[0] == '\\' && (r[1] == '-' || r[1] == 'e')) {
			*w++ = r[1] == '-' ? '-' : '\\';
			r += 2;
		} else if (r[0] == '\\' && r[1] == '&') {
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Every command: --help = help COMMAND, 80 columns, examples, all in the man page. */
static void test_help_texts(void **state)
{
	char *names, *man, args[128], bad[256];
	int st;

	(void)state;
	names = output_of("list --names commands", &st);
	assert_int_equal(st, 0);
	man = output_of("help --man", &st);
	assert_int_equal(st, 0);
	unroff(man);
	for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n")) {
		char *a, *b;

		snprintf(args, sizeof(args), "%s --help", name);
		a = output_of(args, &st);
		assert_int_equal(st, 0);
		snprintf(args, sizeof(args), "help %s", name);
		b = output_of(args, &st);
		assert_int_equal(st, 0);
		assert_string_equal(a, b);
		if (!fits(a, 80, bad, sizeof(bad)))
			fail_msg("%s --help: wider than 80 columns: '%s'", name, bad);
		if (!strstr(a, "\nExamples:\n"))
			fail_msg("%s --help has no examples", name);
		if (!strstr(man, a))
			fail_msg("the man page does not hold '%s --help' as printed", name);
		free(a);
		free(b);
	}
	free(names);
	free(man);
	names = output_of("--help", &st);
	assert_true(fits(names, 80, bad, sizeof(bad)));
	free(names);
	assert_int_equal(RUN("help", "no-such-command"), 2);
}

/* Does text hold a line starting "  --name" followed by a space or its end? */
static bool lists_option(const char *text, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = text; (p = strstr(p, "\n  --")); p++)
		if (!strncmp(p + 3, opt, n) && (p[3 + n] == ' ' || p[3 + n] == '\n'))
			return true;
	return false;
}

/* One option of a command's table: listed in --help, completed, its value required. */
static void check_option(const char *name, const char *help, const char *opt)
{
	char args[256], *vals;
	int st;

	if (strcmp(opt, "--help") && !lists_option(help, opt))
		fail_msg("%s --help does not list %s, which its table has", name, opt);
	snprintf(args, sizeof(args), "list --values %s:%s", name, opt);
	vals = output_of(args, &st);
	if (st)
		fail_msg("list --values %s:%s: exit %d", name, opt, st);
	if (strcmp(vals, "@flag\n")) {
		snprintf(args, sizeof(args), "%s %s 2>/dev/null", name, opt);
		free(output_of(args, &st));
		if (st != 2)
			fail_msg("'%s %s' without its value: exit %d, want 2", name, opt, st);
	}
	free(vals);
}

/*
 * Every command's option table: each option is in --help, completes and
 * wants its value; each option --help lists is in the table (list --names).
 */
static void test_option_tables(void **state)
{
	char *names, *save = NULL, args[128];
	int st;

	(void)state;
	names = output_of("list --names commands", &st);
	for (char *name = strtok_r(names, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		char *opts, *help, *o, *osave = NULL;

		snprintf(args, sizeof(args), "list --names %s", name);
		opts = output_of(args, &st);
		assert_int_equal(st, 0);
		snprintf(args, sizeof(args), "%s --help", name);
		help = output_of(args, &st);
		for (const char *p = help; (p = strstr(p, "\n  --")); p++) {
			char opt[64], want[80];

			if (sscanf(p + 5, "%63[a-z0-9-]", opt) != 1)
				continue;
			snprintf(want, sizeof(want), "--%s\n", opt);
			if (strncmp(opts, want, strlen(want)) &&
			    !strstr(opts, (snprintf(want, sizeof(want), "\n--%s\n", opt), want)))
				fail_msg("%s --help lists --%s, which list --names %s lacks", name,
					 opt, name);
		}
		for (o = strtok_r(opts, "\n", &osave); o; o = strtok_r(NULL, "\n", &osave))
			check_option(name, help, o);
		snprintf(args, sizeof(args), "%s --no-such-option 2>/dev/null", name);
		free(output_of(args, &st));
		assert_int_equal(st, 2);
		free(opts);
		free(help);
	}
	free(names);
}

/*
 * `help` names every document of bench/docs/ (and the README), within 80
 * columns, and the man page lists them too: a new document cannot be missed.
 */
static void test_help_documents(void **state)
{
	char *help, *man, bad[256];
	struct dirent *e;
	unsigned n = 0;
	DIR *d;
	int st;

	(void)state;
	d = opendir("bench/docs");
	if (!d)
		skip();		/* not run from the source tree */
	help = output_of("help", &st);
	assert_int_equal(st, 0);
	man = output_of("help --man", &st);
	assert_int_equal(st, 0);
	unroff(man);
	if (!fits(help, 80, bad, sizeof(bad)))
		fail_msg("help: wider than 80 columns: '%s'", bad);
	assert_non_null(strstr(help, "  README.md "));
	assert_non_null(strstr(man, "DOCUMENTS"));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char word[300];

		if (len < 4 || strcmp(e->d_name + len - 3, ".md"))
			continue;
		snprintf(word, sizeof(word), "  %s", e->d_name);
		if (!strstr(help, word))
			fail_msg("help does not name bench/docs/%s", e->d_name);
		if (!strstr(man, e->d_name))
			fail_msg("the man page does not name bench/docs/%s", e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 10);
	free(help);
	free(man);
}

/* The completion script parses, and completes from the binary's own names. */
static void test_completion(void **state)
{
	char cmd[1024], *out;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "bash -n '%s/bench/docs/uffdbench.bash-completion'", SRCDIR);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "bash -c 'source \"%s/bench/docs/uffdbench.bash-completion\"; "
		 "COMP_WORDS=(%s run --memtype anon,shm); COMP_CWORD=3; _uffdbench; "
		 "echo \"${COMPREPLY[*]}\"; "
		 "COMP_WORDS=(%s comp); COMP_CWORD=1; _uffdbench; echo \"${COMPREPLY[*]}\"; "
		 "COMP_WORDS=(%s export --f); COMP_CWORD=2; _uffdbench; echo \"${COMPREPLY[*]}\"; "
		 "COMP_WORDS=(%s run --policy sc); COMP_CWORD=3; _uffdbench; "
		 "echo \"policy ${COMPREPLY[*]}\"'",
		 SRCDIR, cli_bin(), cli_bin(), cli_bin(), cli_bin());
	out = calloc(1, 4096);
	assert_non_null(out);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_true(fread(out, 1, 4095, p) > 0);
	pclose(p);
	assert_non_null(strstr(out, "anon,shmem-memfd"));
	assert_non_null(strstr(out, "anon,shmem-private"));
	assert_non_null(strstr(out, "\ncompare\n"));
	assert_non_null(strstr(out, "--format"));
	assert_non_null(strstr(out, "\npolicy scatter\n"));	/* from run's table */
	free(out);
}

/*
 * Split the CSV line at *p (RFC 4180 quotes) into at most max fields, in
 * place; *p moves to the next line.  The number of fields.
 */
static int csv_line(char **p, char **fields, int max)
{
	char *r = *p, *w = *p;
	bool quoted = false;
	int n = 0;

	if (!*r)
		return 0;
	fields[n++] = w;
	for (; *r; r++) {
		if (quoted && r[0] == '"' && r[1] == '"') {
			*w++ = '"';
			r++;
		} else if (*r == '"') {
			quoted = !quoted;
		} else if (!quoted && (*r == ',' || *r == '\n')) {
			bool eol = *r == '\n';

			*w++ = '\0';	/* may be *r itself */
			if (eol) {
				r++;
				break;
			}
			if (n < max)
				fields[n++] = w;
		} else {
			*w++ = *r;
		}
	}
	*p = r;
	return n;
}

static int column(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	fail_msg("no column %s", name);
	return -1;
}

/* export --rounds and per cell: every number reads back as the JSONL's. */
static void test_export_roundtrip(void **state)
{
	char dir[128], args[256], path[160], *csv, *p, *names[64], *f[64], line[1 << 14];
	int st, n, rows = 0, c_key, c_round, c_ns, c_med;
	FILE *jl;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/exp", tmp);
	assert_int_equal(RUN("run", "--memtype", "anon,shmem-memfd", "--ioctl", "zeropage,copy",
			     "--batch", "1,4", "--size", "256k", "--rounds", "6", "--quiet",
			     "--out", dir), 0);
	snprintf(args, sizeof(args), "export --rounds '%s'", dir);
	csv = output_of(args, &st);
	assert_int_equal(st, 0);
	p = csv;
	n = csv_line(&p, names, 64);
	c_key = column(names, n, "key");
	c_round = column(names, n, "round");
	c_ns = column(names, n, "ns_per_page");
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	jl = fopen(path, "r");
	assert_non_null(jl);
	while (fgets(line, sizeof(line), jl)) {
		json_t *o = json_loads(line, 0, NULL), *r;
		size_t i;

		json_array_foreach(json_object_get(o, "rounds"), i, r) {
			assert_int_equal(csv_line(&p, f, 64), n);
			assert_string_equal(f[c_key], json_string_value(json_object_get(o, "key")));
			assert_int_equal(atoi(f[c_round]), i);
			assert_true(strtod(f[c_ns], NULL) ==
				    json_number_value(json_object_get(r, "ns_per_page")));
			rows++;
		}
		json_decref(o);
	}
	assert_int_equal(rows, 8 * 6);
	assert_int_equal(*p, '\0');
	free(csv);

	/* per cell: the median, exactly */
	snprintf(args, sizeof(args), "export '%s'", dir);
	csv = output_of(args, &st);
	p = csv;
	n = csv_line(&p, names, 64);
	c_med = column(names, n, "ns_per_page_median");
	rewind(jl);
	rows = 0;
	while (fgets(line, sizeof(line), jl)) {
		json_t *o = json_loads(line, 0, NULL);
		json_t *m = json_object_get(json_object_get(json_object_get(o, "summary"),
							   "ns_per_page"), "median");

		assert_int_equal(csv_line(&p, f, 64), n);
		assert_true(strtod(f[c_med], NULL) == json_number_value(m));
		rows++;
		json_decref(o);
	}
	assert_int_equal(rows, 8);
	fclose(jl);
	free(csv);

	snprintf(args, sizeof(args), "export --format tsv '%s'", dir);
	csv = output_of(args, &st);
	assert_non_null(strstr(csv, "dir\tkernel\t"));
	free(csv);
	assert_int_equal(RUN("export", "--format", "xls", dir), 2);
	assert_int_equal(RUN("export", tmp), 2);	/* not a results directory */
}

/* Everything `uffdbench run ARGS` writes to a pty, with its exit status. */
static int on_pty(const char *const *args, char *buf, size_t len)
{
	char *argv[32];
	size_t n = 0;
	int master, status = 0, waited = 0, k = 0;
	pid_t pid;

	argv[k++] = (char *)cli_bin();
	while (*args && k < 31)
		argv[k++] = (char *)*args++;
	argv[k] = NULL;
	pid = forkpty(&master, NULL, NULL, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("TERM", "xterm", 1);
		execv(cli_bin(), argv);
		_exit(127);
	}
	for (;;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t got;

		if (poll(&pfd, 1, 100) > 0) {
			got = read(master, buf + n, len - 1 - n);
			if (got > 0) {
				n += got;
				continue;
			}
			break;		/* EIO: the child closed the pty */
		}
		if (++waited > 1200) {
			kill(pid, SIGKILL);
			fail_msg("run on a pty did not finish in 120 s");
		}
	}
	buf[n] = '\0';
	close(master);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_progress(void **state)
{
	char dir[128], dir2[128], dir3[128], *buf = calloc(1, 1 << 20);

	(void)state;
	assert_non_null(buf);
	snprintf(dir, sizeof(dir), "%s/pty", tmp);
	assert_int_equal(on_pty((const char *const[]){ "run", "--memtype", "anon", "--ioctl",
		"zeropage,copy", "--batch", "1,8", "--size", "256k", "--rounds", "3",
		"--out", dir, NULL }, buf, 1 << 20), 0);
	assert_non_null(strstr(buf, "4 cells (4 to run), estimate ~"));
	assert_non_null(strstr(buf, "\r\033[Kcell 1/4, "));
	assert_non_null(strstr(buf, "\r\033[Kcell 4/4, "));
	assert_non_null(strstr(buf, " elapsed, ~"));

	/* --quiet on a terminal: no progress, no escape */
	snprintf(dir2, sizeof(dir2), "%s/ptyq", tmp);
	assert_int_equal(on_pty((const char *const[]){ "run", "--memtype", "anon", "--ioctl",
		"zeropage", "--batch", "1", "--size", "64k", "--rounds", "2", "--quiet",
		"--out", dir2, NULL }, buf, 1 << 20), 0);
	assert_null(strchr(buf, '\033'));

	/* piped: plain lines, the count and estimate, no escape codes */
	snprintf(dir3, sizeof(dir3), "%s/piped", tmp);
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "zeropage,copy", "--batch",
			     "1,8", "--size", "256k", "--rounds", "3", "--out", dir3), 0);
	assert_non_null(strstr(out, "4 cells (4 to run), estimate ~"));
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\r'));
	free(buf);
}

/* --dry-run lists every cell, skipped ones with the reason, and writes nothing. */
static void test_dry_run(void **state)
{
	char dir[128];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/dry", tmp);
	assert_int_equal(RUN("run", "--memtype", "anon", "--ioctl", "continue,zeropage",
			     "--batch", "1", "--size", "64k", "--out", dir, "--dry-run"), 0);
	assert_non_null(strstr(out, "anon/continue/b1/t1/none"));
	assert_non_null(strstr(out, "skip: kernel: register(minor) on anon"));
	assert_non_null(strstr(out, "anon/zeropage/b1/t1/none"));
	assert_non_null(strstr(out, "2 cells: 1 to run, 1 skipped"));
	assert_false(cli_exists(dir));
	assert_int_equal(RUN("run", "--suite", "quick", "--suite-dir", "/nonexistent",
			     "--dry-run"), 2);
	assert_non_null(strstr(out, "/nonexistent/quick.suite"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_version_in_env),
		cmocka_unit_test(test_help_texts),
		cmocka_unit_test(test_help_documents),
		cmocka_unit_test(test_option_tables),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_export_roundtrip),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_dry_run),
	};

	if (!tmp_make("usability"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
