// SPDX-License-Identifier: MIT
/* The pieces every output format of compare shares: numbers, labels, sentences. */
#include "compare/compare.h"

#include <math.h>
#include <string.h>

#include "core/common.h"

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

/* A ratio as a signed percent change: "+3.1", "-42.6", "+142" (no '%'). */
const char *cmp_fmt_pct(double ratio, char *buf, size_t len)
{
	double v = (ratio - 1) * 100;

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fabs(v) < 99.95 ? "%+.1f" : "%+.0f", v);
	return buf;
}

const char *cmp_fmt_change(const struct cmp_cell *c, char *buf, size_t len)
{
	char v[24], lo[24], hi[24];

	if (!isfinite(c->ratio))
		snprintf(buf, len, "-");
	else if (c->has_ci)
		snprintf(buf, len, "%s%% [%s, %s]", cmp_fmt_pct(c->ratio, v, sizeof(v)),
			 cmp_fmt_pct(c->ci_lo, lo, sizeof(lo)), cmp_fmt_pct(c->ci_hi, hi, sizeof(hi)));
	else
		snprintf(buf, len, "%s%% [no interval]", cmp_fmt_pct(c->ratio, v, sizeof(v)));
	return buf;
}

/*
 * The smallest change this cell could have called, in %: the MDE from the
 * noise of its values, unless the interval is wider (few values, outliers,
 * the bootstrap's coarse quantiles): a change inside the interval's
 * half-width cannot be called, whatever the MDE formula says.
 * *by_interval says which bound decided.
 */
double cmp_detectable_pct(const struct cmp_cell *c, bool *by_interval)
{
	double half = c->has_ci ? (c->ci_hi - c->ci_lo) / 2 * 100 : 0;
	double mde = c->has_mde ? c->mde * 100 : 0;

	*by_interval = half > mde;
	return half > mde ? half : mde;
}

/*
 * Copy text to f with every non-ASCII character spelt in ASCII (mailing
 * lists and terminals that mangle UTF-8): Δ d, β beta, α alpha, ± +-, ...
 */
static const char *const ascii_map[][2] = {
	{ "Δ", "d" }, { "β", "beta" }, { "α", "alpha" }, { "±", "+-" }, { "→", "->" },
	{ "·", "*" }, { "≥", ">=" }, { "≤", "<=" }, { "×", "x" }, { "—", "-" },
	{ "–", "-" }, { "µ", "u" }, { "…", "..." },
};

bool cmp_ascii_mode;

/* The ASCII spelling of the UTF-8 character of n bytes at s ("?" if none). */
static const char *ascii_of(const char *s, size_t n)
{
	for (size_t k = 0; k < ARRAY_SIZE(ascii_map); k++)
		if (strlen(ascii_map[k][0]) == n && !memcmp(s, ascii_map[k][0], n))
			return ascii_map[k][1];
	return "?";
}

/* Bytes of the UTF-8 character starting at s[i], at most len - i. */
static size_t char_len(const char *s, size_t i, size_t len)
{
	size_t n = 1;

	if (!((unsigned char)s[i] & 0x80))
		return 1;
	while (i + n < len && ((unsigned char)s[i + n] & 0xc0) == 0x80)
		n++;
	return n;
}

size_t cmp_columns(const char *s, size_t len)
{
	size_t cols = 0;

	for (size_t i = 0, n; i < len; i += n) {
		n = char_len(s, i, len);
		cols += n > 1 && cmp_ascii_mode ? strlen(ascii_of(s + i, n)) : 1;
	}
	return cols;
}

void cmp_ascii_write(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0, n; i < len; i += n) {
		n = char_len(s, i, len);
		if (n == 1)
			fputc(s[i], f);
		else
			fputs(ascii_of(s + i, n), f);
	}
}

const char *cmp_label(const struct cmp_key *k, bool batch, char *buf, size_t len)
{
	size_t n = 0;

	appendf(buf, len, &n, "%s %s", k->memtype, k->ioctl);
	if (batch)
		appendf(buf, len, &n, " b%u", k->batch);
	if (batch || k->threads != 1)
		appendf(buf, len, &n, " t%u", k->threads);
	if (strcmp(k->placement, "none"))
		appendf(buf, len, &n, " %s", k->placement);
	if (k->inject_ns > 0)
		appendf(buf, len, &n, " inject=%g", k->inject_ns);
	if (k->knob)
		appendf(buf, len, &n, " knob=%s", k->knob);
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
	if (o->clock == CLOCK_ICOUNT && o->floor && o->abs_threshold > 0) {
		fprintf(f, "%sExact counts only grow with work that lands in a pass (interrupts,\n"
			"%srefills), so floors decide: each side's rounds, every boot pooled and\n"
			"%sgrouped by the interrupts in each pass; a floor counts when two rounds\n"
			"%sreach it within half the threshold.  effect = difference of the floors\n"
			"%sat a number of interrupts both sides reproduce (else the lowest\n"
			"%sfloors, less what the extra interrupts can cost: never same).\n"
			"%sthreshold: %s (4 KiB pages; x page size / 4 KiB for larger ones).\n"
			"%sslower/faster: beyond it, the floors' spread included; same: within\n"
			"%sit; else undecided, with the rounds that would decide (exit 3).\n",
			p, p, p, p, p, p, p, thr, p, p);
		return;
	}
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

/*
 * The widths of the tables' first two columns, memtype and ioctl: 15 and 8,
 * or the longest name in r when longer ("writeprotect"), so every row's
 * columns line up; only such names push a row past 80 columns.
 */
void cmp_key_widths(const struct cmp_result *r, int *mtw, int *iow)
{
	*mtw = 15;
	*iow = 8;
	for (size_t i = 0; i < r->nr_cells; i++) {
		int m = (int)strlen(r->cells[i].key.memtype), k = (int)strlen(r->cells[i].key.ioctl);

		*mtw = m > *mtw ? m : *mtw;
		*iow = k > *iow ? k : *iow;
	}
}
