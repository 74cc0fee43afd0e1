// SPDX-License-Identifier: MIT
/*
 * What every figure shares: the script's preamble (terminal, output, style),
 * strings quoted for gnuplot, the title line naming what ran where, and
 * running gnuplot in the output directory.
 */
#include "plot/plot.h"
#include "ioctls/ioctl.h"
#include "core/alloc.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

const char *plot_unit(const struct plot_ctx *c)
{
	return bench_clock_unit(c->nr_dirs ? c->dirs[0].d.clock : CLOCK_WALL);
}

const char *plot_ext(enum plot_format f)
{
	static const char *const ext[] = { [PLOT_PNG] = "png", [PLOT_SVG] = "svg",
					   [PLOT_DUMB] = "txt" };

	return ext[f];
}

static FILE *open_in(struct plot_ctx *c, const char *stem, const char *ext)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", c->out, stem, ext);
	f = fopen(path, "w");
	if (f)
		return f;
	plot_fail(c, "cannot write %s/%s.%s: %s", c->final, stem, ext, strerror(errno));
	f = fopen("/dev/null", "w");	/* the figure is lost anyway: a sink */
	if (!f)
		abort();
	return f;
}

void plot_fail(struct plot_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return;
	c->failed = true;
	fputs("uffdbench: plot: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void plot_close(struct plot_ctx *c, FILE *f, const char *stem, const char *ext)
{
	bool bad = ferror(f);

	if (fclose(f) || bad)
		plot_fail(c, "cannot write %s/%s.%s: %s", c->final, stem, ext,
			  bad ? "a write failed" : strerror(errno));
}

/*
 * A double-quoted gnuplot string of s, which may come from a results
 * directory's files: besides quotes and backslashes, a backtick is escaped
 * (gnuplot runs `...` in a command line as a shell command, inside double
 * quotes too), and other control characters become '?'.
 */
void plot_gp_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\' || ch == '`')
			fputc('\\', f);
		if (ch == '\n')
			fputs("\\n", f);
		else
			fputc(ch < ' ' || ch == 0x7f ? '?' : ch, f);
	}
	fputc('"', f);
}

int plot_text_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	int cols = 0;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col)
		cols = ws.ws_col;
	else if (env)
		cols = atoi(env);
	if (cols <= 0)
		cols = 80;
	return cols < 40 ? 40 : cols > 400 ? 400 : cols;
}

FILE *plot_gp_open(struct plot_ctx *c, const char *stem, int width, int height)
{
	FILE *f = open_in(c, stem, "gp");

	fprintf(f, "# uffdbench plot: %s.  Redraw in this directory: gnuplot %s.gp\n",
		stem, stem);
	if (c->fmt == PLOT_PNG)
		fprintf(f, "set terminal pngcairo size %d,%d font \"sans,10\" noenhanced\n",
			width, height);
	else if (c->fmt == PLOT_SVG)
		fprintf(f, "set terminal svg size %d,%d dynamic font \"sans,10\" noenhanced\n",
			width, height);
	else
		fprintf(f, "set terminal dumb size %d,%d noenhanced\n", plot_text_width(),
			height * 36 / 650 < 24 ? 24 : height * 36 / 650);
	fprintf(f, "set output \"%s.%s\"\n", stem, plot_ext(c->fmt));
	fprintf(f, "set encoding utf8\nset datafile missing \"?\"\nset grid\nset key noautotitle\n");
	return f;
}

FILE *plot_dat_open(struct plot_ctx *c, const char *stem, const char *what)
{
	FILE *f = open_in(c, stem, "dat");

	fprintf(f, "# uffdbench plot: %s\n", what);
	return f;
}

/* The k-th tick of the 1, 2, 5 sequence (k = 0 is 1). */
static double tick(int k)
{
	static const double steps[] = { 1, 2, 5 };
	int d = k >= 0 ? k / 3 : -((2 - k) / 3);

	return steps[k - 3 * d] * pow(10, d);
}

void plot_log_tics(FILE *gp, char axis, double lo, double hi)
{
	int k, last;

	if (!(lo > 0) || !(hi >= lo) || !isfinite(hi))
		return;
	for (k = 3 * (int)floor(log10(lo)); tick(k + 1) <= lo; k++)
		;
	for (last = k; tick(last) < hi; last++)
		;
	if (last == k) {	/* one value: a tick either side */
		k--;
		last++;
	}
	fprintf(gp, "set %ctics (", axis);
	for (int i = k; i <= last; i++)
		fprintf(gp, "%s%g", i > k ? ", " : "", tick(i));
	fprintf(gp, ")\nset %crange [%g:%g]\n", axis, tick(k) / 1.1, tick(last) * 1.1);
}

const char *plot_colour(size_t i)
{
	static const char *const tab10[] = {
		"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
		"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
	};

	return tab10[i % ARRAY_SIZE(tab10)];
}

/* The ioctl's name, and the entry's when two share one (WRITEPROTECT set / clear). */
const char *plot_ioctl_name(const char *ioctl)
{
	static char label[UOP_NR][64];
	int op = uop_parse(ioctl);
	const char *name;

	if (op < 0)
		return ioctl;
	name = ioctls[op]->ioctl_name;
	if (!strcasecmp(name + strlen("UFFDIO_"), ioctls[op]->name))
		return name;
	snprintf(label[op], sizeof(label[op]), "%s (%s)", name, ioctls[op]->name);
	return label[op];
}

/* "A" when every directory says A, else "A / B / ..." in directory order. */
static void join_env(const struct plot_ctx *c, const char *path, const char *dflt,
		     char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nr_dirs; i++) {
		const char *v = rr_env_string(&c->dirs[i].d, path);
		bool seen = false;

		v = v ? v : dflt;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *w = rr_env_string(&c->dirs[j].d, path);

			seen = !strcmp(w ? w : dflt, v);
		}
		if (!seen)
			appendf(buf, len, &off, "%s%s", off ? " / " : "", v);
	}
}

const char *plot_machine(const struct plot_ctx *c, char *buf, size_t len)
{
	char rel[256], cpu[256], host[128];

	join_env(c, "kernel.release", "unknown", rel, sizeof(rel));
	join_env(c, "cpu.model", "CPU unknown", cpu, sizeof(cpu));
	join_env(c, "hostname", "host unknown", host, sizeof(host));
	snprintf(buf, len, "kernel %s | %s | %s", rel, cpu, host);
	return buf;
}

void plot_note(struct plot_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	fprintf(c->log ? c->log : stdout, "plot: %s\n", s);
	c->notes = xrealloc(c->notes, c->nr_notes + 1, sizeof(char *));
	c->notes[c->nr_notes++] = s;
}

/* gnuplot STEM.gp in the output directory; its stderr into errbuf. */
static int run_gnuplot(const struct plot_ctx *c, const char *stem, char *errbuf, size_t len)
{
	char script[300];
	int fds[2], status;
	ssize_t n, off = 0;
	pid_t pid;

	snprintf(script, sizeof(script), "%s.gp", stem);
	stdout_flush();
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		if (chdir(c->out) == 0)
			execl(c->gnuplot, "gnuplot", script, (char *)NULL);
		dprintf(2, "cannot run %s: %s\n", c->gnuplot, strerror(errno));
		_exit(127);	/* the forked child, exec failed: the shell's 127 */
	}
	close(fds[1]);
	while (pid > 0 && (n = read(fds[0], errbuf + off, len - 1 - off)) > 0)
		off += n;
	errbuf[off] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void print_text_figure(const struct plot_ctx *c, const char *stem)
{
	char path[4096], buf[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.txt", c->out, stem);
	f = fopen(path, "r");
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, c->log);
	if (f)
		fclose(f);
}

void plot_render(struct plot_ctx *c, FILE *gp, const char *stem, const char *section,
		 const char *caption)
{
	char err[4096];
	int ret;

	plot_close(c, gp, stem, "gp");
	if (c->failed)
		return;		/* said once: no more gnuplot, nothing will be kept */
	ret = run_gnuplot(c, stem, err, sizeof(err));
	if (ret) {
		err[strcspn(err, "\n")] = '\0';
		plot_fail(c, "gnuplot failed on %s.gp (%s %d)%s%s", stem,
			  ret < 0 ? "error" : "exit", ret < 0 ? -ret : ret, *err ? ": " : "", err);
		return;
	}
	if (err[0])
		fprintf(stderr, "uffdbench: plot: gnuplot on %s.gp: %s", stem, err);
	c->figs = xrealloc(c->figs, c->nr_figs + 1, sizeof(*c->figs));
	c->figs[c->nr_figs++] = (struct plot_fig){ xstrdup(stem), xstrdup(section),
						   xstrdup(caption) };
	if (c->fmt == PLOT_DUMB) {
		fprintf(c->log, "\n%s\n", caption);
		print_text_figure(c, stem);
	} else {
		fprintf(c->log, "plot: %s/%s.%s\n", c->final, stem, plot_ext(c->fmt));
	}
}

const char *plot_find_gnuplot(void)
{
	static char path[4096];
	const char *env = getenv("UFFDBENCH_GNUPLOT"), *p = getenv("PATH");

	if (env && *env)
		return access(env, X_OK) ? NULL : env;
	for (p = p ? p : "/usr/bin:/bin"; *p; p += *p == ':') {
		size_t n = strcspn(p, ":");

		snprintf(path, sizeof(path), "%.*s/gnuplot", (int)n, n ? p : ".");
		if (!access(path, X_OK))
			return path;
		p += n;
	}
	return NULL;
}
