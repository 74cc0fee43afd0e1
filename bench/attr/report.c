// SPDX-License-Identifier: MIT
/*
 * Attribution tables: one kernel's functions per cell, or two kernels' side
 * by side with the difference, and the answer line per memory type and
 * ioctl (per page and per ioctl from the fit over the batch sizes).
 */
#include "attr/attr.h"
#include "core/alloc.h"
#include "machine/callcost.h"

#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct attr_fn *fn_find(const struct attr_cell *c, const char *name)
{
	size_t pos;

	return attr_fn_search(c, name, &pos) ? &c->fn[pos] : NULL;
}

static const struct attr_cell *cell_find(const struct attr_set *s, const struct attr_cell *like)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->c[i].memtype, like->memtype) && !strcmp(s->c[i].ioctl, like->ioctl) &&
		    s->c[i].batch == like->batch)
			return &s->c[i];
	return NULL;
}

/* Least squares of per-ioctl values against the batch: slope per page, intercept per ioctl. */
static void fit_line(const double *x, const double *y, unsigned n, double *slope, double *icpt)
{
	double cov00, cov01, cov11, sumsq;

	if (n < 2 || gsl_fit_linear(x, 1, y, 1, n, icpt, slope, &cov00, &cov01, &cov11, &sumsq) ||
	    !isfinite(*slope)) {
		*slope = n ? y[0] / x[0] : 0;	/* one batch size, or all the same */
		*icpt = NAN;
	}
}

/* fn NULL: the cell's totals. */
static int fit(const struct attr_set *set, const char *mt, const char *io, const char *fn,
	       struct attr_fit *out)
{
	double *x = xcalloc(set->n + 1, sizeof(double)), *yi = xcalloc(set->n + 1, sizeof(double));
	double *yc = xcalloc(set->n + 1, sizeof(double));
	unsigned n = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct attr_cell *c = &set->c[i];
		const struct attr_fn *f;

		if (strcmp(c->memtype, mt) || strcmp(c->ioctl, io) || !c->ioctls)
			continue;
		f = fn ? fn_find(c, fn) : NULL;
		x[n] = c->batch;
		yi[n] = (fn ? (f ? f->insns : 0) : (double)c->kept_insns) / c->ioctls;
		yc[n] = (fn ? (f ? f->ind : 0) : attr_cell_ind(c)) / c->ioctls;
		n++;
	}
	memset(out, 0, sizeof(*out));
	out->batches = n;
	if (n) {
		fit_line(x, yi, n, &out->insn_page, &out->insn_ioctl);
		fit_line(x, yc, n, &out->ind_page, &out->ind_ioctl);
	}
	free(x);
	free(yi);
	free(yc);
	return n ? 0 : -1;
}

int attr_fit_total(const struct attr_set *set, const char *memtype, const char *ioctl,
		   struct attr_fit *f)
{
	return fit(set, memtype, ioctl, NULL, f);
}

int attr_fit_fn(const struct attr_set *set, const char *memtype, const char *ioctl,
		const char *fn, struct attr_fit *f)
{
	return fit(set, memtype, ioctl, fn, f);
}

static void check_line(FILE *f, const char *side, const struct attr_cell *c)
{
	if (!c->bad_passes && !c->scaled_passes)
		fprintf(f, "%splugin %llu instructions = clock %llu ns over %u passes: exact\n", side,
			(unsigned long long)c->insns, (unsigned long long)c->clock, c->passes);
	else if (!c->bad_passes)
		fprintf(f, "%splugin %llu instructions = clock %llu ns over %u passes: exact in %u, "
			"in %u at the boot's clock rate (TSC %u.%03u MHz: clock = count x (1 %+.3f ppm), ±1.5 ns)\n",
			side, (unsigned long long)c->insns, (unsigned long long)c->clock, c->passes,
			c->passes - c->scaled_passes, c->scaled_passes, c->tsc_khz / 1000, c->tsc_khz % 1000,
			c->rate_ppm);
	else
		fprintf(f, "%splugin %llu instructions != clock %llu ns (%+lld) in %u of %u passes: MISMATCH\n",
			side, (unsigned long long)c->insns, (unsigned long long)c->clock,
			(long long)(c->insns - c->clock), c->bad_passes, c->passes);
}

struct row {
	const char *name;
	double a, b, ia, ib;	/* insns and indirect branches per page */
	bool in_a, in_b;
};

static int row_cmp(const void *x, const void *y)
{
	const struct row *p = x, *q = y;
	double dp = fabs(p->b - p->a), dq = fabs(q->b - q->a);

	if (dp != dq)
		return dp < dq ? 1 : -1;
	if (p->a + p->b != q->a + q->b)
		return p->a + p->b < q->a + q->b ? 1 : -1;
	return strcmp(p->name, q->name);
}

/* The union of two cells' functions (either may be NULL), per page. */
static struct row *rows_of(const struct attr_cell *a, const struct attr_cell *b, size_t *n)
{
	size_t na = a ? a->nfn : 0, nb = b ? b->nfn : 0, i = 0, k = 0;
	struct row *r = xcalloc(na + nb + 1, sizeof(*r));

	*n = 0;
	while (i < na || k < nb) {
		int d = i >= na ? 1 : k >= nb ? -1 : strcmp(a->fn[i].name, b->fn[k].name);
		struct row *w = &r[(*n)++];

		if (d <= 0) {
			w->name = a->fn[i].name;
			w->a = a->fn[i].insns / a->pages;
			w->ia = a->fn[i].ind / a->pages;
			w->in_a = true;
			i++;
		}
		if (d >= 0) {
			w->name = b->fn[k].name;
			w->b = b->fn[k].insns / b->pages;
			w->ib = b->fn[k].ind / b->pages;
			w->in_b = true;
			k++;
		}
	}
	return r;
}

static bool row_shown(const struct row *r, const struct attr_report_opts *o)
{
	return fabs(r->a) >= o->min || fabs(r->b) >= o->min || r->ia || r->ib;
}

static void thunks_line(FILE *f, const struct attr_cell *c)
{
	bool any = false;

	for (size_t i = 0; i < c->nfn; i++) {
		if (!c->fn[i].thunk || !c->fn[i].entries)
			continue;
		fprintf(f, "%s %s %.3f", any ? "," : "  thunk calls/page:", c->fn[i].name,
			c->fn[i].entries / c->pages);
		any = true;
	}
	fprintf(f, any ? "\n" : "  thunk calls/page: none (no __x86_*_thunk entered)\n");
}

static void cell_head(FILE *f, const struct attr_cell *c)
{
	fprintf(f, "\n%s %s batch %u: %u passes (%u boots); charged: the %u with the fewest interrupts, "
		"%llu pages, %llu ioctls\n", c->memtype, c->ioctl, c->batch, c->passes, c->boots, c->kept,
		(unsigned long long)c->pages, (unsigned long long)c->ioctls);
}

/* "check: ..." over every pass of the sets: the plugin's count against its clock. */
static void check_summary(FILE *f, const struct attr_set *a, const struct attr_set *b)
{
	unsigned n = 0, bad = 0, scaled = 0;

	for (int side = 0; side < 2; side++) {
		const struct attr_set *s = side ? b : a;

		for (size_t i = 0; s && i < s->n; i++) {
			n += s->c[i].passes;
			bad += s->c[i].bad_passes;
			scaled += s->c[i].scaled_passes;
		}
	}
	fprintf(f, "check: %u passes, the plugin's count = the clock in %u: %u exact, %u at their boot's "
		"TSC rate (±1.5 ns)%s", n, n - bad, n - bad - scaled, scaled, bad ? "; " : "\n");
	if (bad)
		fprintf(f, "%u DIFFER (named on stderr)\n", bad);
}

void attr_print(FILE *f, const struct attr_set *set, const struct attr_report_opts *o)
{
	fprintf(f, "attribution: %u boot(s); per page: instructions and indirect calls/jumps per function\n",
		set->boots);
	check_summary(f, set, NULL);
	for (size_t i = 0; i < set->n; i++) {
		const struct attr_cell *c = &set->c[i];
		size_t n, shown = 0;
		struct row *r = rows_of(c, NULL, &n);

		cell_head(f, c);
		check_line(f, "  ", c);
		fprintf(f, "  total %.2f instructions/page, %.3f indirect/page\n",
			(double)c->kept_insns / c->pages, attr_cell_ind(c) / c->pages);
		qsort(r, n, sizeof(*r), row_cmp);
		fprintf(f, "  %12s %10s  %s\n", "insn/page", "ind/page", "function");
		for (size_t k = 0; k < n && (!o->top || shown < o->top); k++) {
			if (!row_shown(&r[k], o))
				continue;
			fprintf(f, "  %12.2f %10.3f  %s\n", r[k].a, r[k].ia, r[k].name);
			shown++;
		}
		thunks_line(f, c);
		free(r);
	}
}

static void compare_rows(FILE *f, struct row *r, size_t n, const struct attr_report_opts *o)
{
	size_t shown = 0;

	qsort(r, n, sizeof(*r), row_cmp);
	fprintf(f, "  %10s %10s %10s %9s %9s %9s  %s\n", "A insn/pg", "B insn/pg", "Δ insn/pg",
		"A ind/pg", "B ind/pg", "Δ ind/pg", "function");
	for (size_t k = 0; k < n && (!o->top || shown < o->top); k++) {
		if (!row_shown(&r[k], o))
			continue;
		fprintf(f, "  %10.2f %10.2f %+10.2f %9.3f %9.3f %+9.3f  %s%s\n", r[k].a, r[k].b,
			r[k].b - r[k].a, r[k].ia, r[k].ib, r[k].ib - r[k].ia, r[k].name,
			!r[k].in_a ? " (new)" : !r[k].in_b ? " (gone)" : "");
		shown++;
	}
}

static void compare_cell(FILE *f, const struct attr_cell *a, const struct attr_cell *b,
			 const struct attr_report_opts *o)
{
	double ta = (double)a->kept_insns / a->pages, tb = (double)b->kept_insns / b->pages;
	double ia = attr_cell_ind(a) / a->pages, ib = attr_cell_ind(b) / b->pages;
	size_t n;
	struct row *r = rows_of(a, b, &n);

	fprintf(f, "\n%s %s batch %u: A %u passes, B %u; charged (the fewest interrupts): A %u passes, "
		"%llu pages, B %u, %llu pages\n", a->memtype, a->ioctl, a->batch, a->passes, b->passes,
		a->kept, (unsigned long long)a->pages, b->kept, (unsigned long long)b->pages);
	check_line(f, "  A: ", a);
	check_line(f, "  B: ", b);
	fprintf(f, "  total: A %.2f, B %.2f, Δ %+.2f instructions/page; indirect A %.3f, B %.3f, Δ %+.3f/page\n",
		ta, tb, tb - ta, ia, ib, ib - ia);
	compare_rows(f, r, n, o);
	fprintf(f, "  A");
	thunks_line(f, a);
	fprintf(f, "  B");
	thunks_line(f, b);
	free(r);
}

/* Each memtype/ioctl once, in the set's order. */
static bool first_of_pair(const struct attr_set *s, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(s->c[k].memtype, s->c[i].memtype) && !strcmp(s->c[k].ioctl, s->c[i].ioctl))
			return false;
	return true;
}

void attr_print_compare(FILE *f, const struct attr_set *a, const struct attr_set *b,
			const struct attr_report_opts *o)
{
	char buf[2048];

	fprintf(f, "attribution A (%u boots) -> B (%u boots): per page, instructions and indirect calls/jumps\n",
		a->boots, b->boots);
	check_summary(f, a, b);
	for (size_t i = 0; i < a->n; i++) {
		const struct attr_cell *cb = cell_find(b, &a->c[i]);

		if (cb)
			compare_cell(f, &a->c[i], cb, o);
		else
			fprintf(f, "\n%s %s batch %u: in A only\n", a->c[i].memtype, a->c[i].ioctl,
				a->c[i].batch);
	}
	fprintf(f, "\nAnswer (per page: fit of per-ioctl counts over the batch sizes; the 6 largest function moves):\n");
	if (o->cost) {
		cc_model_line(o->cost, buf, sizeof(buf));
		fprintf(f, "  on this machine (calibrate): %s\n  ns/insn: %s\n", buf,
			o->cost->insn_source);
		if (!o->wall_a)
			fprintf(f, "  the prediction is not validated end to end on this machine "
				"(no wall-clock A/B given)\n");
	}
	for (size_t i = 0; i < a->n; i++) {
		if (!first_of_pair(a, i) || !cell_find(b, &a->c[i]))
			continue;
		attr_answer(buf, sizeof(buf), a, b, a->c[i].memtype, a->c[i].ioctl, 6);
		fprintf(f, "  %s\n", buf);
		if (o->cost)
			attr_predict_line(f, a, b, a->c[i].memtype, a->c[i].ioctl, o);
	}
}

void attr_predict_line(FILE *f, const struct attr_set *a, const struct attr_set *b,
		       const char *memtype, const char *ioctl, const struct attr_report_opts *o)
{
	const struct cc_model *m = o->cost;
	struct attr_fit fa, fb;
	double d, base;
	char err[512];

	attr_fit_total(a, memtype, ioctl, &fa);
	attr_fit_total(b, memtype, ioctl, &fb);
	d = cc_predict(m, fb.insn_page - fa.insn_page, fb.ind_page - fa.ind_page);
	base = fa.insn_page * m->ns_per_insn;
	fprintf(f, "    predicted here: %+.1f ns/page (%+.2f%% of A's %.0f ns/page)", d,
		base > 0 ? 100 * d / base : NAN, base);
	if (!isnan(fa.insn_ioctl) && !isnan(fb.insn_ioctl))
		fprintf(f, ", %+.1f ns/ioctl",
			cc_predict(m, fb.insn_ioctl - fa.insn_ioctl, fb.ind_ioctl - fa.ind_ioctl));
	if (o->wall_a && o->wall_b) {
		double wa = cc_dir_ns_page(o->wall_a, memtype, ioctl, err, sizeof(err));
		double wb = cc_dir_ns_page(o->wall_b, memtype, ioctl, err, sizeof(err));

		if (isnan(wa) || isnan(wb))
			fprintf(f, "; measured: none (%s)", err);
		else
			fprintf(f, "; measured (wall clock): %+.1f ns/page (%+.2f%%)", wb - wa,
				100 * (wb - wa) / wa);
	}
	fputc('\n', f);
}

/*
 * The answer names functions that moved by half an instruction per page or
 * more: background work (interrupts, kdamond, RNG refills) landing in some
 * passes moves functions off the ioctl path by up to 0.3 per page between
 * two boots of one kernel; a change to the path moves whole instructions.
 */
#define ANSWER_MIN 0.5

struct move {
	const char *name;
	double d, dio;		/* Δ per page; per ioctl (NAN with one batch) */
	bool only_a, only_b;
};

static int move_cmp(const void *x, const void *y)
{
	const struct move *p = x, *q = y;

	if (fabs(p->d) != fabs(q->d))
		return fabs(p->d) < fabs(q->d) ? 1 : -1;
	return strcmp(p->name, q->name);
}

/* Every function of memtype/ioctl in a or b with its fitted Δ instructions/page, largest first. */
static struct move *moves(const struct attr_set *a, const struct attr_set *b, const char *mt,
			  const char *io, size_t *n)
{
	struct move *m = NULL;
	size_t cap = 0;

	*n = 0;
	for (int side = 0; side < 2; side++) {
		const struct attr_set *s = side ? b : a;

		for (size_t i = 0; i < s->n; i++) {
			const struct attr_cell *c = &s->c[i];

			if (strcmp(c->memtype, mt) || strcmp(c->ioctl, io))
				continue;
			for (size_t k = 0; k < c->nfn; k++) {
				size_t j;

				for (j = 0; j < *n && strcmp(m[j].name, c->fn[k].name); j++)
					;
				if (j == *n) {
					if (*n == cap) {
						cap = cap ? cap * 2 : 256;
						m = xrealloc(m, cap, sizeof(*m));
					}
					m[(*n)++] = (struct move){ .name = c->fn[k].name, .only_a = true,
								   .only_b = true };
				}
				/* seen on this side: not the other's alone */
				if (side)
					m[j].only_a = false;
				else
					m[j].only_b = false;
			}
		}
	}
	for (size_t j = 0; j < *n; j++) {
		struct attr_fit fa, fb;

		attr_fit_fn(a, mt, io, m[j].name, &fa);
		attr_fit_fn(b, mt, io, m[j].name, &fb);
		m[j].d = fb.insn_page - fa.insn_page;
		m[j].dio = fb.insn_ioctl - fa.insn_ioctl;
	}
	if (*n)
		qsort(m, *n, sizeof(*m), move_cmp);
	return m;
}

static size_t put(char *buf, size_t len, size_t at, const char *fmt, double v)
{
	int w;

	if (at >= len)
		return at;
	w = snprintf(buf + at, len - at, fmt, v);
	return w > 0 ? at + w : at;
}

void attr_answer(char *buf, size_t len, const struct attr_set *a, const struct attr_set *b,
		 const char *memtype, const char *ioctl, unsigned nfuncs)
{
	struct attr_fit fa, fb;
	size_t n, at;
	struct move *m;

	attr_fit_total(a, memtype, ioctl, &fa);
	attr_fit_total(b, memtype, ioctl, &fb);
	at = snprintf(buf, len, "%s %s: ", memtype, ioctl);
	at = put(buf, len, at, "%+.1f instructions/page, ", fb.insn_page - fa.insn_page);
	at = put(buf, len, at, "%+.2f indirect calls/page", fb.ind_page - fa.ind_page);
	if (!isnan(fa.insn_ioctl) && !isnan(fb.insn_ioctl)) {
		at = put(buf, len, at, ", %+.1f instructions/ioctl", fb.insn_ioctl - fa.insn_ioctl);
		at = put(buf, len, at, ", %+.2f indirect/ioctl", fb.ind_ioctl - fa.ind_ioctl);
	}
	m = moves(a, b, memtype, ioctl, &n);
	for (size_t j = 0; j < n && j < nfuncs && fabs(m[j].d) >= ANSWER_MIN; j++) {
		if (at < len)
			at += snprintf(buf + at, len - at, "%s%s ", j ? ", " : " (", m[j].name);
		at = put(buf, len, at, m[j].only_b ? "new %+.1f" : m[j].only_a ? "gone %+.1f" : "%+.1f",
			 m[j].d);
	}
	if (n && nfuncs && fabs(m[0].d) >= ANSWER_MIN && at < len)
		snprintf(buf + at, len - at, ")");
	free(m);
}

void attr_delta_table(FILE *f, const struct attr_set *a, const struct attr_set *b,
		      const char *memtype, const char *ioctl, unsigned nfuncs)
{
	size_t n;
	struct move *m = moves(a, b, memtype, ioctl, &n);

	for (size_t j = 0, shown = 0; j < n && shown < nfuncs; j++) {
		if (fabs(m[j].d) < 0.05 && !(fabs(m[j].dio) >= 0.5))
			continue;
		shown++;
		fprintf(f, "\"%s%s\" %.3f %.3f\n", m[j].name,
			m[j].only_b ? " (new)" : m[j].only_a ? " (gone)" : "", m[j].d, m[j].dio);
	}
	free(m);
}
