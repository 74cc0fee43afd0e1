/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_PLOT_UTIL_H
#define UFFDBENCH_TESTS_PLOT_UTIL_H

/*
 * What the plot tests share: a temporary directory holding two synthetic
 * results directories ("base", and "new" with +20 ns/page on the cells the
 * series touches), `plot` run in-process with its output captured, and
 * checks on the files it writes.  Header-only, as fixtures.h.
 */
#include "cli/commands.h"
#include "fixtures.h"
#include "capture.h"
#include "tmp_util.h"

#include <fcntl.h>
#include <unistd.h>


struct out {
	int status;
	char *out, *err;
};

/* `plot ARGS...` (NULL-terminated) in this process, stdout and stderr captured. */
static inline void run(struct out *o, ...)
{
	va_list ap;

	va_start(ap, o);
	o->status = capture_cmd(cmd_plot, "plot", tmp, ap, &o->out, &o->err);
	va_end(ap);
}

static inline void out_free(struct out *o)
{
	free(o->out);
	free(o->err);
}

/* Few rounds and repeats, little noise: the figures need values, and
 * compare's verdicts decided (same needs the interval inside +-1%). */
static inline void write_dir(const char *name, double extra_beta, const char *release)
{
	struct fx_run r = FX_RUN_DEFAULT;

	r.rounds = 6;
	r.repeats = 5;
	r.noise = 0.004;
	r.rep_noise = 0.002;
	r.extra_beta = extra_beta;
	r.release = release;
	fx_write_default(tmp_path(name), &r);
}

/* dir/file exists, is not empty, and starts with magic (or magic2). */
static inline void expect_file(const char *dir, const char *file, const char *magic,
			const char *magic2)
{
	char p[400];
	size_t len = 0;
	char *buf;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	buf = capture_slurp(p, &len);
	if (!buf)
		fail_msg("%s: missing", p);
	if (!len)
		fail_msg("%s: empty", p);
	if (magic && memcmp(buf, magic, strlen(magic)) &&
	    (!magic2 || memcmp(buf, magic2, strlen(magic2))))
		fail_msg("%s: does not start with %s", p, magic);
	free(buf);
}

static inline bool file_has(const char *dir, const char *file, const char *text)
{
	char p[400], *buf;
	bool ret;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	buf = capture_slurp(p, NULL);
	ret = buf && strstr(buf, text);
	free(buf);
	return ret;
}

static inline int setup(void **state)
{
	(void)state;
	assert_true(tmp_make("test_plot"));
	unsetenv("UFFDBENCH_GNUPLOT");
	write_dir("base", 0, "6.12.0-base");
	write_dir("new", 20, "6.12.0-new");
	return 0;
}

static inline int teardown(void **state)
{
	(void)state;
	return tmp_remove();
}

#endif
