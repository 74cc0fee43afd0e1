// SPDX-License-Identifier: MIT
/* The pieces every output format of compare shares: numbers, labels, sentences. */
#include "compare/compare.h"

#include <math.h>
#include <string.h>

const char *cmp_fmt_ns(double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (v < 1000)
		snprintf(buf, len, "%.1f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1e", v);
	return buf;
}

const char *cmp_fmt_p(double p, char *buf, size_t len)
{
	if (!isfinite(p))
		snprintf(buf, len, "-");
	else if (p < 0.001)
		snprintf(buf, len, "<.001");
	else
		snprintf(buf, len, "%.3f", p);
	return buf;
}

const char *cmp_label(const struct cmp_key *k, bool batch, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s %s", k->memtype, k->ioctl);

	if (batch && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " b%u", k->batch);
	if ((batch || k->threads != 1) && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " t%u", k->threads);
	if (strcmp(k->placement, "none") && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " %s", k->placement);
	if (k->inject_ns > 0 && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " inject=%g", k->inject_ns);
	return buf;
}

/* "+3.1", or "+12" once the value is too large for a decimal to matter. */
static const char *sgn(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) < 100 ? "%+.1f" : "%+.0f", v);
	return buf;
}

const char *cmp_fit_sentence(const struct cmp_fit *f, const char *unit, char *buf, size_t len)
{
	char l[96], a[6][24];

	cmp_label(&f->key, false, l, sizeof(l));
	if (!f->has_delta) {
		snprintf(buf, len, "%s: %s", l, f->note);
		return buf;
	}
	snprintf(buf, len, "%s: Δβ %s %s/page [%s, %s]; Δα %s %s/ioctl [%s, %s]", l,
		 sgn(f->db, a[0], 24), unit, sgn(f->db_lo, a[1], 24), sgn(f->db_hi, a[2], 24),
		 sgn(f->da, a[3], 24), unit, sgn(f->da_lo, a[4], 24), sgn(f->da_hi, a[5], 24));
	return buf;
}

const char *cmp_dir_desc(const struct rr_dir *d, char *buf, size_t len)
{
	const char *rel = rr_env_string(d, "kernel.release");

	snprintf(buf, len, "%s (%s%s, %zu line%s)", d->path, rel ? "kernel " : "no env.json",
		 rel ? rel : "", d->nr_cells, d->nr_cells == 1 ? "" : "s");
	return buf;
}

static void threshold_words(const struct cmp_opts *o, char *buf, size_t len)
{
	if (o->abs_threshold > 0)
		snprintf(buf, len, "%g %s/page", o->abs_threshold, bench_clock_unit(o->clock));
	else
		snprintf(buf, len, "%g%%", o->threshold * 100);
}

void cmp_print_method(FILE *f, const struct cmp_opts *o, const char *p)
{
	char thr[64];

	threshold_words(o, thr, sizeof(thr));
	if (o->clock == CLOCK_ICOUNT)
		fprintf(f, "%sclock: icount: every time is a guest instruction count (1 ns =\n"
			"%s1 instruction), exact and deterministic; not cycles.\n", p, p);
	fprintf(f, "%seach repeat (boot or process) gives the %s of its rounds and\n"
		"%sits standard error from them; effect = new - base (%s), 95%%\n"
		"%sintervals.  The repeats decide first (t over %s); the\n"
		"%srounds only when the repeats agree within their rounds (Cochran's Q).\n"
		"%sthreshold: %s.  slower/faster: the interval excludes 0 and\n"
		"%s|effect| >= the threshold; same: the whole interval within ± the\n"
		"%sthreshold; else undecided, with the repeats that would decide (exit 3).\n",
		p, o->floor ? "minimum" : "median", p,
		o->abs_threshold > 0 ? bench_clock_unit(o->clock) : "log ratio", p,
		o->paired ? "the pairs" : "the repeats (Welch)", p, p, thr, p, p);
	if (o->fdr)
		fprintf(f, "%sslower/faster also need q < %g: p adjusted over each comparison's\n"
			"%scells (Benjamini-Hochberg); --per-cell uses p.\n", p, o->alpha, p);
}
