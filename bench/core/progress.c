// SPDX-License-Identifier: MIT
/* One updating line of progress on a terminal; nothing anywhere else. */
#include "core/progress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

bool progress_tty(FILE *f)
{
	const char *term = getenv("TERM");

	return isatty(fileno(f)) && !(term && !strcmp(term, "dumb"));
}

static unsigned width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) || ws.ws_col < 20)
		return 80;
	return ws.ws_col;
}

const char *progress_hms(double s, char *buf, size_t len)
{
	long t = isfinite(s) && s > 0 ? lround(s) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
	return buf;
}

void progress_init(struct progress *p, unsigned total, double work_total, bool quiet)
{
	*p = (struct progress){ .total = total, .work_total = work_total, .f = stderr,
				.start = now_s() };
	p->on = !quiet && progress_tty(p->f);
}

void progress_show(struct progress *p, unsigned done, const char *what)
{
	double el = now_s() - p->start, left = p->work_total - p->work_done;
	char e[32], l[32], line[512];
	unsigned w;

	if (!p->on)
		return;
	/* After a few seconds of real work, scale the estimate by what it really took. */
	if (p->work_done > 0 && el > 2)
		left *= el / p->work_done;
	snprintf(line, sizeof(line), "cell %u/%u, %s elapsed, ~%s left  %s", done + 1, p->total,
		 progress_hms(el, e, sizeof(e)), progress_hms(left, l, sizeof(l)), what);
	w = width(p->f) - 1;	/* never wrap: a wrapped line cannot be rewritten */
	fprintf(p->f, "\r\033[K%.*s", (int)w, line);
	fflush(p->f);
}

void progress_step(struct progress *p, double work)
{
	p->work_done += work;
}

void progress_clear(struct progress *p)
{
	if (!p->on)
		return;
	fputs("\r\033[K", p->f);
	fflush(p->f);
}
