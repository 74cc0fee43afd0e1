// SPDX-License-Identifier: MIT
/*
 * compare's plain-text report: 80 columns, sections in the order a reader
 * needs them (what differs functionally, what differs in the environment,
 * then the timings, the per-cell rules, the cost fits, the warnings).
 */
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Columns text takes, as it will be printed (--ascii spells some characters longer). */
static size_t columns(const char *s, size_t len)
{
	return cmp_columns(s, len);
}

/* text folded at spaces into 80 columns: first line indented by first, the rest by rest. */
static void wrapped(FILE *f, int first, int rest, const char *text)
{
	int indent = first;

	while (*text) {
		size_t room = 80 - indent, len = strlen(text), cut = len, last = 0, semi = 0;

		for (size_t i = 0; i < len && columns(text, i) <= room; i++) {
			if (text[i] == ' ')
				last = i;
			if (text[i] == ' ' && i && text[i - 1] == ';')
				semi = i;
		}
		if (semi > len / 2 && semi > room / 2)
			last = semi;	/* rather break between clauses */
		if (columns(text, len) > room && last)
			cut = last;
		fprintf(f, "%*s%.*s\n", indent, "", (int)cut, text);
		text += cut;
		text += strspn(text, " ");
		indent = rest;
	}
}

static void verdict4(const struct cmp_cell *c, char *buf, size_t len)
{
	static const char *const v[] = {
		[CMP_SAME] = "same", [CMP_FASTER] = "faster", [CMP_SLOWER] = "slower",
		[CMP_UNDECIDED] = "undec",
		[CMP_INSUFFICIENT] = "same?", [CMP_NOT_COMPARED] = "n/c",
	};

	snprintf(buf, len, "%s%s", v[c->verdict],
		 c->verdict != CMP_NOT_COMPARED && !c->repeats ? "*" : "");
}

/*
 * The main column: the change in % with its 95% interval; under an absolute
 * threshold (icount: instructions) the difference in the clock's unit, its
 * interval symmetric: "+3.0 ±0.5".
 */
static const char *change_text(const struct cmp_cell *c, bool abs, char *buf, size_t len)
{
	if (c->has_ci && abs)
		snprintf(buf, len, fabs(c->delta) < 1e4 ? "%+.1f ±%.1f" : "%+.0f ±%.0f",
			 c->delta, (c->delta_hi - c->delta_lo) / 2);
	else
		cmp_fmt_change(c, buf, len);
	return buf;
}

/* 80 columns: the change is the main column; full ioctl names. */
static void table_row(FILE *f, const struct cmp_cell *c, bool abs, bool placed,
		      int mtw, int iow)
{
	char b[16], n[16], ch[48], v[16], mt[40];

	verdict4(c, v, sizeof(v));
	snprintf(mt, sizeof(mt), "%s", c->key.memtype);
	if (c->key.inject_ns > 0) {	/* run --inject-ns: "shmem-memfd+i50", 15 columns */
		char sfx[24];
		int room = 15 - snprintf(sfx, sizeof(sfx), "+i%g", c->key.inject_ns);

		snprintf(mt, sizeof(mt), "%.*s%s", room > 4 ? room : 4, c->key.memtype, sfx);
	}
	fprintf(f, "%-*s %-*s %5u %3u ", mtw, mt, iow, c->key.ioctl, c->key.batch,
		c->key.threads);
	if (placed)
		fprintf(f, "%-8.8s ", c->key.placement);
	fprintf(f, "%7s %7s %-21s %s\n", cmp_fmt_ns(c->base.median, b, sizeof(b)),
		cmp_fmt_ns(c->new.median, n, sizeof(n)), change_text(c, abs, ch, sizeof(ch)), v);
}

/* Do the cells' placements differ?  Then the table has a placement column. */
static bool placement_varies(const struct cmp_result *r)
{
	for (size_t i = 1; i < r->nr_cells; i++)
		if (strcmp(r->cells[i].key.placement, r->cells[0].key.placement))
			return true;
	return false;
}

static void table(FILE *f, const struct cmp_result *r, const struct cmp_opts *o)
{
	bool abs = o->abs_threshold > 0, placed = placement_varies(r);
	int mtw, iow;

	cmp_key_widths(r, &mtw, &iow);

	fprintf(f, "\nTiming: median %s/page; %s [95%% CI];\n"
		"verdict by the rule under \"Per cell\" (%s)\n", cmp_unit(o),
		abs ? "Δ = new - base, ± half the interval" : "change = new/base - 1, in %",
		o->fdr ? "q: p BH-adjusted" : "p: two-sided");
	fprintf(f, "%-*s %-*s %5s %3s ", mtw, "memtype", iow, "ioctl", "batch", "thr");
	if (placed)
		fprintf(f, "%-8s ", "place");
	fprintf(f, "%7s %7s %-21s %s\n", "base/pg", "new/pg",
		abs ? "Δ/page ±95% CI" : "change [95% CI]", "verdict");
	for (size_t i = 0; i < r->nr_cells; i++)
		table_row(f, &r->cells[i], abs, placed, mtw, iow);
	fprintf(f, "(* one repeat a side: rounds decide, boot-to-boot variance unseen; undec =\n"
		" undecided; same? = fewer than 2 values a side; n/c = not compared)\n");
}

static void functional(FILE *f, const struct cmp_result *r)
{
	char line[400];

	fprintf(f, "\nFunctional differences (caps.json): these cells' timings are not compared\n");
	for (size_t i = 0; i < r->nr_caps; i++)
		fprintf(f, "  %s %s %s: %s -> %s\n", r->caps[i].memtype, r->caps[i].mode,
			r->caps[i].ioctl, r->caps[i].base, r->caps[i].new);
	if (!r->nr_caps && r->caps_compared)
		fprintf(f, "  none\n");
	if (r->caps_note[0]) {
		snprintf(line, sizeof(line), "(%s)", r->caps_note);
		wrapped(f, 2, 3, line);
	}
}

static void environment(FILE *f, const struct cmp_result *r)
{
	static const char *const tag[] = { "", " [mitigations]", " [cpu]" };
	char *line;

	fprintf(f, "\nEnvironment differences (env.json; kernel release/version, date, "
		"command,\ncwd, hostname, available memory ignored)\n");
	for (size_t i = 0; i < r->nr_env; i++) {
		const struct cmp_envdiff *d = &r->env[i];

		if (d->words)
			line = xasprintf("%s:%s only in base: %s; only in new: %s", d->path,
					 tag[d->warn], *d->base ? d->base : "-",
					 *d->new ? d->new : "-");
		else
			line = xasprintf("%s:%s %s -> %s", d->path, tag[d->warn],
					 d->base ? d->base : "(absent)",
					 d->new ? d->new : "(absent)");
		wrapped(f, 2, 6, line);
		free(line);
	}
	if (!r->nr_env && r->env_compared)
		fprintf(f, "  none\n");
	if (r->env_note[0]) {
		line = xasprintf("(%s)", r->env_note);
		wrapped(f, 2, 3, line);
		free(line);
	}
}

static const char *unit_name(const struct cmp_cell *c)
{
	if (c->by_floors)
		return "floors of the rounds,";
	return c->paired ? "pairs" : c->repeats ? "repeats" : "rounds";
}

/*
 * The smallest change the cell could call, and from which bound: the MDE
 * (the noise of the values) or the interval (both from the same level, the
 * unit named on the line above), so the two never disagree unexplained.
 */
static void detectable(FILE *f, const struct cmp_cell *c, const struct cmp_opts *o)
{
	char s[24], t[64], line[320];
	bool by_ci;
	double pct = cmp_detectable_pct(c, &by_ci);
	const char *from = by_ci ? "the interval" : "the noise (MDE)";

	if (c->by_floors) {	/* exact counts: the threshold is the resolution */
		snprintf(line, sizeof(line), "detectable: the threshold, %.3g %s/page",
			 cmp_threshold_per_page(c, o), cmp_unit(o));
		wrapped(f, 6, 8, line);
		return;
	}
	if (!c->has_mde && !c->has_ci)
		return;
	t[0] = '\0';
	if (c->need)
		snprintf(t, sizeof(t), "; %g%% needs %u %s a side", o->target_mde * 100, c->need,
			 c->repeats ? "repeats" : "rounds");
	if (c->has_mde && by_ci)
		snprintf(line, sizeof(line), "detectable: >= %.1f%%, set by %s (MDE from the "
			 "noise: %.1f%%)%s", pct, from, c->mde * 100, t);
	else if (c->has_mde)
		snprintf(line, sizeof(line), "detectable: >= %.1f%% (%s %s/page), set by %s%s",
			 pct, cmp_fmt_ns(c->mde * c->base.median, s, sizeof(s)), cmp_unit(o), from, t);
	else
		snprintf(line, sizeof(line), "detectable: >= %.1f%%, set by %s%s", pct, from, t);
	wrapped(f, 6, 8, line);
}

static size_t pooled_rounds(const struct cmp_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nr_reps; i++)
		if (rr_cell_ok(g->reps[i]))
			n += g->reps[i]->nr_rounds;
	return n;
}

static void details(FILE *f, const struct cmp_result *r, const struct cmp_opts *o)
{
	char l[128], ch[48], line[320];

	fprintf(f, "\nPer cell: the level of the values (repeats, pairs or rounds), how many a\n"
		"side, the change; the smallest change detectable at that level: the MDE\n"
		"from the noise (two-sided %g, 80%% power) or the interval's half-width,\n"
		"whichever is larger; then the rule behind the verdict\n", o->alpha);
	for (size_t i = 0; i < r->nr_cells; i++) {
		const struct cmp_cell *c = &r->cells[i];

		if (c->verdict == CMP_NOT_COMPARED)
			continue;
		snprintf(line, sizeof(line), "%s: %s (%s %zu+%zu: %s)",
			 cmp_label(&c->key, true, l, sizeof(l)), cmp_verdict_name(c->verdict),
			 unit_name(c), c->by_floors ? pooled_rounds(c->base.g) : c->base.n,
			 c->by_floors ? pooled_rounds(c->new.g) : c->new.n,
			 change_text(c, o->abs_threshold > 0, ch, sizeof(ch)));
		wrapped(f, 2, 6, line);
		detectable(f, c, o);
		wrapped(f, 6, 8, c->rule);
		if (c->note[0])
			wrapped(f, 6, 8, c->note);
	}
}

static void left_out(FILE *f, const struct cmp_result *r)
{
	char l[128];

	if (r->nr_not_compared)
		fprintf(f, "\nNot compared (%zu)\n", r->nr_not_compared);
	for (size_t i = 0; i < r->nr_cells; i++) {
		char line[800];

		if (r->cells[i].verdict != CMP_NOT_COMPARED)
			continue;
		snprintf(line, sizeof(line), "%s: %s",
			 cmp_label(&r->cells[i].key, true, l, sizeof(l)), r->cells[i].rule);
		wrapped(f, 2, 6, line);
	}
	if (r->nr_unmatched)
		fprintf(f, "\nOnly in one directory (%zu)\n", r->nr_unmatched);
	for (size_t i = 0; i < r->nr_unmatched; i++)
		fprintf(f, "  %s: only in %s\n", cmp_label(&r->unmatched[i].key, true, l, sizeof(l)),
			r->unmatched[i].in_base ? "base" : "new");
}

static void gmeans(FILE *f, const struct cmp_result *r)
{
	fprintf(f, "\nGeometric mean of the ratios (95%% t-interval over the cells' log ratios)\n");
	for (size_t i = 0; i < r->nr_gmeans; i++) {
		const struct cmp_gmean *g = &r->gmeans[i];

		if (g->has_ci)
			fprintf(f, "  %-15s %5.3f [%5.3f,%5.3f]  %zu cells\n",
				g->memtype ? g->memtype : "overall", g->gm, g->lo, g->hi, g->k);
		else
			fprintf(f, "  %-15s %5.3f (1 cell: no interval)\n",
				g->memtype ? g->memtype : "overall", g->gm);
	}
}

/* "1374±204" / "227.7±3.9" / "85.81±2.08": as many decimals as the size warrants. */
static const char *pm(double v, double half, char *buf, size_t len)
{
	int prec = fabs(v) < 100 ? 2 : fabs(v) < 1000 ? 1 : 0;

	snprintf(buf, len, "%.*f±%.*f", prec, v, prec, half);
	return buf;
}

static void fit_side(FILE *f, const char *name, const struct cmp_fit_side *s, bool repeats)
{
	char b[48], a[48], line[200];

	snprintf(line, sizeof(line), "%s β %s ns/page, α %s ns/ioctl, n=%zu (%s)%s", name,
		 pm(s->beta, cmp_fit_half(s, true), b, sizeof(b)),
		 pm(s->alpha, cmp_fit_half(s, false), a, sizeof(a)), s->n,
		 repeats ? "repeats" : "rounds", s->weighted ? ", weighted" : "");
	wrapped(f, 6, 11, line);
}

static void fit_lines(FILE *f, const struct cmp_result *r, bool controls)
{
	char s[256], line[300];

	for (size_t i = 0; i < r->nr_fits; i++) {
		const struct cmp_fit *t = &r->fits[i];

		if (t->control != controls)
			continue;
		snprintf(line, sizeof(line), "%s %s", t->moved ? "!" : " ",
			 cmp_fit_sentence(t, bench_clock_unit(r->base->clock), s, sizeof(s)));
		wrapped(f, 0, 6, line);
		if (!t->has_delta)
			continue;
		fit_side(f, "base", &t->base, t->repeats);
		fit_side(f, "new ", &t->new, t->repeats);
	}
}

static void fits(FILE *f, const struct cmp_result *r)
{
	if (!r->nr_fits)
		return;
	fprintf(f, "\nPer-page cost β and per-ioctl cost α: ns/ioctl = α + β·batch,\n"
		"least squares per directory (±: 95%% t interval); Δ = new - base,\n"
		"95%% (Welch); ! = moved: the interval excludes 0 and the change is\n"
		">= the threshold\n");
	fit_lines(f, r, false);
	for (size_t i = 0; i < r->nr_fits; i++) {
		if (!r->fits[i].control)
			continue;
		fprintf(f, "  -- controls (paths the series leaves alone): "
			"must not move --\n");
		fit_lines(f, r, true);
		break;
	}
}

void cmp_print_text(FILE *f, const struct cmp_result *r, const struct cmp_opts *o)
{
	char d[512];

	fprintf(f, "\n=== base %s\n", cmp_dir_desc(r->base, d, sizeof(d)));
	fprintf(f, "=== new  %s\n", cmp_dir_desc(r->new, d, sizeof(d)));
	cmp_print_answer(f, r);
	functional(f, r);
	environment(f, r);
	table(f, r, o);
	details(f, r, o);
	left_out(f, r);
	gmeans(f, r);
	fits(f, r);
	cmp_print_perf(f, r);
	if (r->nr_warnings)
		fprintf(f, "\nWarnings\n");
	for (size_t i = 0; i < r->nr_warnings; i++) {
		char *w;

		w = xasprintf("WARNING: %s", r->warnings[i]);
		wrapped(f, 2, 4, w);
		free(w);
	}
	fprintf(f, "\nSummary: %zu slower, %zu faster, %zu same, %zu undecided, %zu insufficient,\n"
		"  %zu not compared, %zu only in one directory\n", r->nr_slower, r->nr_faster,
		r->nr_same, r->nr_undecided, r->nr_insufficient, r->nr_not_compared,
		r->nr_unmatched);
}
