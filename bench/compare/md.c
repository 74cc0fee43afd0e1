// SPDX-License-Identifier: MIT
/* compare as Markdown (for an issue or a web page) and as CSV (for a sheet). */
#include "compare/compare.h"

#include <math.h>
#include <string.h>

static void md_lists(FILE *f, const struct cmp_result *r)
{
	fprintf(f, "\n**Functional differences** (caps.json; these cells are not timed)\n\n");
	for (size_t i = 0; i < r->nr_caps; i++)
		fprintf(f, "- %s %s %s: `%s` → `%s`\n", r->caps[i].memtype, r->caps[i].mode,
			r->caps[i].ioctl, r->caps[i].base, r->caps[i].new);
	if (!r->nr_caps)
		fprintf(f, "- %s\n", r->caps_compared ? "none" : r->caps_note);
	fprintf(f, "\n**Environment differences** (env.json)\n\n");
	for (size_t i = 0; i < r->nr_env; i++) {
		const struct cmp_envdiff *d = &r->env[i];

		if (d->words)
			fprintf(f, "- `%s`: only in base: `%s`; only in new: `%s`\n", d->path,
				d->base, d->new);
		else
			fprintf(f, "- `%s`: `%s` → `%s`\n", d->path, d->base ? d->base : "(absent)",
				d->new ? d->new : "(absent)");
	}
	if (!r->nr_env)
		fprintf(f, "- %s\n", r->env_compared ? "none" : r->env_note);
}

/* Text inside a table cell: a '|' would end the cell. */
static void md_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fprintf(f, *s == '|' ? "\\|" : "%c", *s);
}

static void md_row(FILE *f, const struct cmp_cell *c)
{
	char b[16], n[16], p[16], v[24], lo[24], hi[24];

	fprintf(f, "| %s | %s | %u | %u | %s | %s | ", c->key.memtype, c->key.ioctl,
		c->key.batch, c->key.threads, cmp_fmt_ns(c->base.median, b, sizeof(b)),
		cmp_fmt_ns(c->new.median, n, sizeof(n)));
	if (isfinite(c->ratio))
		fprintf(f, "%s%% | ", cmp_fmt_pct(c->ratio, v, sizeof(v)));
	else
		fprintf(f, "- | ");
	if (c->has_ci)
		fprintf(f, "[%s, %s] | %s | ", cmp_fmt_pct(c->ci_lo, lo, sizeof(lo)),
			cmp_fmt_pct(c->ci_hi, hi, sizeof(hi)), cmp_fmt_p(c->p, p, sizeof(p)));
	else
		fprintf(f, "- | - | ");
	fprintf(f, "**%s** | %s | ", cmp_verdict_name(c->verdict),
		c->verdict == CMP_NOT_COMPARED ? "-" : c->paired ? "pairs" : c->repeats ? "repeats" : "rounds");
	md_text(f, c->rule);
	fprintf(f, " |\n");
}

static void md_table(FILE *f, const struct cmp_result *r)
{
	fprintf(f, "\n| memtype | ioctl | batch | threads | base ns/page | new ns/page | change "
		"| 95%% CI | p | verdict | unit | rule |\n");
	fprintf(f, "|---|---|--:|--:|--:|--:|--:|---|--:|---|---|---|\n");
	for (size_t i = 0; i < r->nr_cells; i++)
		md_row(f, &r->cells[i]);
}

static void md_rest(FILE *f, const struct cmp_result *r)
{
	char s[256];

	if (r->nr_unmatched)
		fprintf(f, "\n**Only in one directory**\n\n");
	for (size_t i = 0; i < r->nr_unmatched; i++)
		fprintf(f, "- %s: only in %s\n", cmp_label(&r->unmatched[i].key, true, s, sizeof(s)),
			r->unmatched[i].in_base ? "base" : "new");
	fprintf(f, "\n**Geometric mean of ratios** (95%% t-interval over cells' log ratios)\n\n");
	for (size_t i = 0; i < r->nr_gmeans; i++) {
		const struct cmp_gmean *g = &r->gmeans[i];

		fprintf(f, "- %s: %.3f", g->memtype ? g->memtype : "**overall**", g->gm);
		if (g->has_ci)
			fprintf(f, " [%.3f, %.3f]", g->lo, g->hi);
		fprintf(f, " (%zu cell%s)\n", g->k, g->k == 1 ? ", no interval" : "s");
	}
	if (r->nr_fits)
		fprintf(f, "\n**Per-page (β) and per-ioctl (α) cost**, ns/ioctl = α + β·batch\n\n");
	for (size_t i = 0; i < r->nr_fits; i++)
		fprintf(f, "- %s%s%s\n", cmp_fit_sentence(&r->fits[i], bench_clock_unit(r->base->clock), s, sizeof(s)),
			r->fits[i].control ? " (control)" : "",
			r->fits[i].moved ? " **moved**" : "");
	if (r->nr_warnings)
		fprintf(f, "\n**Warnings**\n\n");
	for (size_t i = 0; i < r->nr_warnings; i++)
		fprintf(f, "- %s\n", r->warnings[i]);
	fprintf(f, "\n%zu slower, %zu faster, %zu same, %zu undecided, %zu insufficient, "
		"%zu not compared, %zu only in one directory\n", r->nr_slower, r->nr_faster,
		r->nr_same, r->nr_undecided, r->nr_insufficient, r->nr_not_compared,
		r->nr_unmatched);
}

void cmp_print_markdown(FILE *f, const struct cmp_result *r, const struct cmp_opts *o)
{
	char b[512], n[512];

	(void)o;
	fprintf(f, "\n### base %s vs new %s\n", cmp_dir_desc(r->base, b, sizeof(b)),
		cmp_dir_desc(r->new, n, sizeof(n)));
	md_lists(f, r);
	md_table(f, r);
	md_rest(f, r);
}

/* A CSV field: quoted when it holds a comma, a quote or a newline. */
static void csv_str(FILE *f, const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\n")) {
		fputc('"', f);
		for (; *s; s++)
			fprintf(f, *s == '"' ? "\"\"" : "%c", *s);
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static void csv_num(FILE *f, double v, bool ok)
{
	if (ok && isfinite(v))
		fprintf(f, "%.6g,", v);
	else
		fputc(',', f);
}

static void csv_key(FILE *f, const struct cmp_result *r, const struct cmp_key *k)
{
	csv_str(f, r->base->path, false);
	csv_str(f, r->new->path, false);
	fprintf(f, "%s,%s,%s,%s,%u,%u,", k->memtype, k->mapping, k->mode, k->ioctl, k->batch,
		k->threads);
	csv_str(f, k->placement, false);
}

static void csv_cell(FILE *f, const struct cmp_result *r, const struct cmp_cell *c)
{
	bool tested = c->verdict != CMP_NOT_COMPARED;

	csv_key(f, r, &c->key);
	csv_str(f, cmp_verdict_name(c->verdict), false);
	csv_str(f, !tested ? "" : c->paired ? "pairs" : c->repeats ? "repeats" : "rounds", false);
	fprintf(f, "%zu,%zu,", c->base.n, c->new.n);
	csv_num(f, c->base.median, tested);
	csv_num(f, c->new.median, tested);
	csv_num(f, c->ratio, tested);
	csv_num(f, c->ci_lo, c->has_ci);
	csv_num(f, c->ci_hi, c->has_ci);
	csv_num(f, c->p, c->has_p);
	csv_num(f, c->q, c->has_p);
	fprintf(f, "%s,", !c->has_p ? "" : cmp_p_method(c));
	csv_num(f, c->mde * 100, c->has_mde);
	csv_num(f, c->mde * c->base.median, c->has_mde);
	fprintf(f, c->need ? "%u," : ",", c->need);
	fprintf(f, "%d,", c->control);
	csv_str(f, c->rule, false);
	csv_str(f, c->note, true);
}

void cmp_print_csv(FILE *f, const struct cmp_result *r, size_t nr)
{
	fprintf(f, "base,new,memtype,mapping,mode,ioctl,batch,threads,placement,verdict,unit,"
		"n_base,n_new,base_ns_per_page,new_ns_per_page,ratio,ci_lo,ci_hi,p,q,p_method,"
		"mde_pct,mde_ns_per_page,needed_per_side,control,rule,note\n");
	for (size_t i = 0; i < nr; i++) {
		for (size_t j = 0; j < r[i].nr_cells; j++)
			csv_cell(f, &r[i], &r[i].cells[j]);
		for (size_t j = 0; j < r[i].nr_unmatched; j++) {
			csv_key(f, &r[i], &r[i].unmatched[j].key);
			fprintf(f, "%s,,,,,,,,,,,,,,,,,\n",
				r[i].unmatched[j].in_base ? "only in base" : "only in new");
		}
	}
}
