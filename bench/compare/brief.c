// SPDX-License-Identifier: MIT
/*
 * compare --brief: the answer in about ten lines, for a reply on a mailing
 * list.  One row per memory type and ioctl: the change of ns/page with its
 * 95% interval (a row of one cell: that cell's; of several batch sizes or
 * thread counts: the geometric mean of their ratios, bracketed by the lowest
 * and highest bound of their intervals) and the cells' verdicts.  The
 * bracket is the cells' own intervals, not a new statistic: it spans 0
 * whenever one cell's interval does, so it never contradicts the verdicts
 * (a t-interval over the cells would measure how alike the batch sizes
 * are, not the noise, and could exclude 0 while every cell is "same").
 */
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool same_row(const struct cmp_cell *a, const struct cmp_cell *b)
{
	return !strcmp(a->key.memtype, b->key.memtype) && !strcmp(a->key.ioctl, b->key.ioctl);
}

static bool compared(const struct cmp_cell *c)
{
	return c->verdict <= CMP_UNDECIDED && isfinite(c->ratio);
}

/* "3 same", "1 slower, 2 same" */
static void verdicts(const struct cmp_cell *c, size_t n, char *buf, size_t len)
{
	static const enum cmp_verdict order[] = { CMP_SLOWER, CMP_FASTER, CMP_UNDECIDED,
						   CMP_SAME };
	size_t count[CMP_NOT_COMPARED + 1] = { 0 }, used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		count[c[i].verdict]++;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (count[order[i]])
			appendf(buf, len, &used, "%s%zu %s", used ? ", " : "", count[order[i]],
				cmp_verdict_name(order[i]));
	if (count[CMP_INSUFFICIENT])
		appendf(buf, len, &used, "%s%zu same? (too few values)", used ? ", " : "",
			count[CMP_INSUFFICIENT]);
}

static void not_compared(const struct cmp_cell *c, char *buf, size_t len)
{
	const char *why = strstr(c->rule, ": ");
	int n;

	why = why ? why + 2 : c->rule;
	if (!strncmp(why, "kernel: ", 8))
		why += 8;
	n = strcspn(why, ";");
	snprintf(buf, len, "n/c: %.*s", n < 44 ? n : 44, why);
}

/* Floors (icount): the mean Δ per page over the row, [lowest, highest] bound. */
static size_t floor_change(const struct cmp_cell *c, size_t n, char *buf, size_t len)
{
	double sum = 0, lo = INFINITY, hi = -INFINITY;
	size_t k = 0;
	bool all_ci = true;

	for (size_t i = 0; i < n; i++) {
		if (!compared(&c[i]))
			continue;
		k++;
		sum += c[i].delta;
		all_ci &= c[i].has_ci;
		lo = fmin(lo, c[i].delta_lo);
		hi = fmax(hi, c[i].delta_hi);
	}
	if (k && all_ci)
		snprintf(buf, len, fabs(sum / k) < 1e4 ? "%+.1f [%+.1f, %+.1f]" : "%+.0f [%+.0f, %+.0f]",
			 sum / k, lo, hi);
	else if (k)
		snprintf(buf, len, "%+.1f [no interval]", sum / k);
	else
		snprintf(buf, len, "-");
	return k;
}

static bool by_floors(const struct cmp_result *r)
{
	for (size_t i = 0; i < r->nr_cells; i++)
		if (r->cells[i].by_floors)
			return true;
	return false;
}

/* The row's change: one cell's own, or the geometric mean in the cells' bracket. */
static size_t change(const struct cmp_cell *c, size_t n, char *buf, size_t len)
{
	double logs = 0, lo = INFINITY, hi = -INFINITY;
	char a[24], b[24], x[24];
	bool all_ci = true;
	size_t k = 0, one = 0;

	for (size_t i = 0; i < n; i++)
		if (c[i].by_floors)
			return floor_change(c, n, buf, len);

	for (size_t i = 0; i < n; i++) {
		if (!compared(&c[i]))
			continue;
		one = i;
		k++;
		logs += log(c[i].ratio);
		all_ci &= c[i].has_ci;
		lo = fmin(lo, c[i].ci_lo);
		hi = fmax(hi, c[i].ci_hi);
	}
	if (k == 1)
		cmp_fmt_change(&c[one], buf, len);
	else if (k && all_ci)
		snprintf(buf, len, "%s%% [%s, %s]", cmp_fmt_pct(exp(logs / k), x, sizeof(x)),
			 cmp_fmt_pct(lo, a, sizeof(a)), cmp_fmt_pct(hi, b, sizeof(b)));
	else if (k)
		snprintf(buf, len, "%s%% [no interval]", cmp_fmt_pct(exp(logs / k), x, sizeof(x)));
	else
		snprintf(buf, len, "-");
	return k;
}

static void row(FILE *f, const struct cmp_cell *c, size_t n, int mtw, int iow)
{
	char ch[64], v[96];
	size_t k = change(c, n, ch, sizeof(ch));

	verdicts(c, n, v, sizeof(v));
	if (!k) {	/* none compared: why ("base skipped: WHY; ..."), in 80 columns */
		not_compared(c, v, sizeof(v));
		fprintf(f, "%-*s %-*s %5zu %s\n", mtw, c->key.memtype, iow, c->key.ioctl, k, v);
		return;
	}
	fprintf(f, "%-*s %-*s %5zu %-*s %s\n", mtw, c->key.memtype, iow, c->key.ioctl, k,
		c->by_floors ? 26 : 22, ch, v);
}

/* Which level the intervals come from, in words. */
static const char *level(const struct cmp_result *r)
{
	bool rounds = false, pairs = false, floors = false;

	for (size_t i = 0; i < r->nr_cells; i++) {
		floors |= r->cells[i].by_floors;
		rounds |= compared(&r->cells[i]) && !r->cells[i].repeats;
		pairs |= r->cells[i].paired;
	}
	if (floors)
		return "icount: Δ of the floors per page; [ ] from each side's lowest round to its floor";
	if (rounds)
		return "some cells on rounds, not repeats: their intervals are optimistic";
	return pairs ? "paired repeats (--paired)" : "repeats (fresh processes)";
}

void cmp_print_brief(FILE *f, const struct cmp_result *r, const struct cmp_opts *o)
{
	char b[512], n[512];
	int mtw, iow;

	cmp_key_widths(r, &mtw, &iow);
	fprintf(f, "base %s\nnew  %s\n", cmp_dir_desc(r->base, b, sizeof(b)),
		cmp_dir_desc(r->new, n, sizeof(n)));
	fprintf(f, "%-*s %-*s %5s %-*s %s\n", mtw, "memtype", iow, "ioctl", "cells",
		by_floors(r) ? 26 : 22, by_floors(r) ? "Δ instructions/page" : "ns/page change [95%]",
		"verdicts");
	for (size_t i = 0, j; i < r->nr_cells; i = j) {
		for (j = i + 1; j < r->nr_cells && same_row(&r->cells[i], &r->cells[j]); j++)
			;
		row(f, &r->cells[i], j - i, mtw, iow);
	}
	if (by_floors(r))
		fprintf(f, "Intervals (icount): Δ of the floors per page, [ ] from each side's "
			"lowest round\nto its floor; a row of several cells: their mean, [lowest, "
			"highest] bound;\nthreshold: %g instruction per 4 KiB (x512 on 2 MiB pages), "
			"or 0.02%% of the path\nwhere larger; n/c: not compared (skipped or failed "
			"on a side, or a functional\nchange).\n", o->abs_threshold);
	else
		fprintf(f, "Intervals: 95%%, from %s; a row of\n"
			"several cells: their geometric mean, [lowest, highest] of their intervals;\n"
			"n/c: not compared (skipped or failed on a side, or a functional change).\n",
			level(r));
	if (r->nr_caps)
		fprintf(f, "Functional differences (caps.json): %zu, e.g. %s %s %s: %s -> %s\n",
			r->nr_caps, r->caps[0].memtype, r->caps[0].mode, r->caps[0].ioctl,
			r->caps[0].base, r->caps[0].new);
	fprintf(f, "%zu slower, %zu faster, %zu same, %zu undecided, %zu too few values, "
		"%zu n/c\n", r->nr_slower, r->nr_faster, r->nr_same, r->nr_undecided,
		r->nr_insufficient, r->nr_not_compared);
}
