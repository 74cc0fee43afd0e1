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
		snprintf(buf + n, len - n, " %s", k->placement);
	return buf;
}

/* "+3.1", or "+12" once the value is too large for a decimal to matter. */
static const char *sgn(double v, char *buf, size_t len)
{
	snprintf(buf, len, fabs(v) < 100 ? "%+.1f" : "%+.0f", v);
	return buf;
}

const char *cmp_fit_sentence(const struct cmp_fit *f, char *buf, size_t len)
{
	char l[96], a[6][24];

	cmp_label(&f->key, false, l, sizeof(l));
	if (!f->has_delta) {
		snprintf(buf, len, "%s: %s", l, f->note);
		return buf;
	}
	snprintf(buf, len, "%s: Δβ %s ns/page [%s, %s]; Δα %s ns/ioctl [%s, %s]", l,
		 sgn(f->db, a[0], 24), sgn(f->db_lo, a[1], 24), sgn(f->db_hi, a[2], 24),
		 sgn(f->da, a[3], 24), sgn(f->da_lo, a[4], 24), sgn(f->da_hi, a[5], 24));
	return buf;
}

const char *cmp_dir_desc(const struct rr_dir *d, char *buf, size_t len)
{
	const char *rel = rr_env_string(d, "kernel.release");

	snprintf(buf, len, "%s (%s%s, %zu line%s)", d->path, rel ? "kernel " : "no env.json",
		 rel ? rel : "", d->nr_cells, d->nr_cells == 1 ? "" : "s");
	return buf;
}

void cmp_print_method(FILE *f, const struct cmp_opts *o, const char *p)
{
	fprintf(f, "%scentre: median ns/page (of the per-repeat %s when a cell has\n"
		"%s>= 2 repeats a side, else of the rounds); ratio = new/base with a 95%%\n"
		"%spercentile bootstrap CI (%u resamples, seed %lu); p: two-sided\n"
		"%sMann-Whitney U; slower/faster iff p < %g, the CI excludes 1 and\n"
		"%s|ratio - 1| >= %g%%; otherwise same.\n",
		p, o->floor ? "minima" : "medians", p, p, o->resamples, o->seed, p, o->alpha, p,
		o->threshold * 100);
	if (o->paired)
		fprintf(f, "%s--paired: where both sides have >= 2 repeats, repeat k of NEW over\n"
			"%srepeat k of BASE is the unit; its median, a bootstrap CI over the\n"
			"%spairs, and Wilcoxon's signed-rank test on the log ratios.\n", p, p, p);
	if (o->fdr)
		fprintf(f, "%sThe test is on q: p adjusted over each comparison's cells\n"
			"%s(Benjamini-Hochberg); --per-cell tests on p.\n", p, p);
}
