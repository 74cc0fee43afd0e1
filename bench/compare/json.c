// SPDX-License-Identifier: MIT
/* compare as one JSON object: everything the text says, machine-readable. */
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>

static json_t *num(double v, bool ok)
{
	return ok && isfinite(v) ? json_real(v) : json_null();
}

static json_t *interval(double lo, double hi, bool ok)
{
	return ok && isfinite(lo) && isfinite(hi) ? json_pack("[f, f]", lo, hi) : json_null();
}

static json_t *key_json(const struct cmp_key *k, bool batch)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "memtype", k->memtype,
			      "mapping", k->mapping, "mode", k->mode, "ioctl", k->ioctl,
			      "threads", (json_int_t)k->threads, "placement", k->placement);

	if (batch)
		json_object_set_new(o, "batch", json_integer(k->batch));
	return o;
}

static json_t *side_json(const struct cmp_side *s, bool tested)
{
	return json_pack("{s:I, s:I, s:o}", "repeats", (json_int_t)s->g->nr_ok,
			 "n", (json_int_t)s->n, "median_ns_per_page", num(s->median, tested));
}

/* The icount rule's floors (compare/floor.c): what was set against what. */
static json_t *floors_json(const struct cmp_cell *c)
{
	const struct cmp_decision *d = &c->dec;

	return json_pack("{s:o, s:o, s:i, s:i, s:i, s:i, s:o, s:o, s:b, s:b, s:f, s:f, s:o}",
			 "base", num(d->floor_b, isfinite(d->floor_b)),
			 "new", num(d->floor_n, isfinite(d->floor_n)),
			 "reach_base", d->reach_b, "reach_new", d->reach_n,
			 "below_base", d->below_b, "below_new", d->below_n,
			 "irqs_base", d->irqs_b >= 0 ? json_integer(d->irqs_b) : json_null(),
			 "irqs_new", d->irqs_n >= 0 ? json_integer(d->irqs_n) : json_null(),
			 "repeated_base", !d->unreproduced_b, "repeated_new", !d->unreproduced_n,
			 "irq_allowance", d->irq_allow, "boot_spread", d->boot_spread,
			 "rounds_to_decide", d->need_rounds ? json_integer(d->need_rounds) : json_null());
}

static json_t *cell_json(const struct cmp_cell *c)
{
	bool tested = c->verdict != CMP_NOT_COMPARED;
	json_t *o = key_json(&c->key, true);

	json_object_update_new(o, json_pack(
		"{s:b, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"control", c->control, "verdict", cmp_verdict_name(c->verdict),
		"rule", c->rule, "note", c->note,
		"unit", tested ? json_string(c->by_floors ? "floors" : c->paired ? "pairs" :
					      c->repeats ? "repeats" : "rounds") : json_null(),
		"base", tested ? side_json(&c->base, tested) : json_null(),
		"new", tested ? side_json(&c->new, tested) : json_null(),
		"ratio", num(c->ratio, tested), "ci95", interval(c->ci_lo, c->ci_hi, c->has_ci),
		"p", num(c->p, c->has_p), "q", num(c->q, c->has_p),
		"p_method", c->has_p ? json_string(cmp_p_method(c)) : json_null(),
		"noise_ns_per_page", num(c->s, c->has_mde),
		"mde_pct", num(c->mde * 100, c->has_mde),
		"mde_ns_per_page", num(c->mde * c->base.median, c->has_mde),
		"needed_per_side", c->need ? json_integer(c->need) : json_null()));
	if (c->has_ci)
		json_object_update_new(o, json_pack("{s:f, s:o, s:s, s:o}",
			"delta_per_page", c->delta,
			"delta_ci95", interval(c->delta_lo, c->delta_hi, true),
			"level", cmp_level_name(c->dec.level),
			"repeats_to_decide", c->dec.need ? json_integer(c->dec.need) : json_null()));
	if (c->by_floors)
		json_object_set_new(o, "floors", floors_json(c));
	return o;
}

static json_t *fit_side_json(const struct cmp_fit_side *s)
{
	if (!s->ok)
		return json_pack("{s:b, s:I, s:I}", "ok", 0, "n", (json_int_t)s->n,
				 "batches", (json_int_t)s->nr_batches);
	return json_pack("{s:b, s:I, s:I, s:b, s:f, s:o, s:f, s:o}", "ok", 1,
			 "n", (json_int_t)s->n, "batches", (json_int_t)s->nr_batches,
			 "weighted", s->weighted,
			 "alpha_ns_per_ioctl", s->alpha,
			 "alpha_ci95", interval(s->alpha - cmp_fit_half(s, false),
						s->alpha + cmp_fit_half(s, false), true),
			 "beta_ns_per_page", s->beta,
			 "beta_ci95", interval(s->beta - cmp_fit_half(s, true),
					       s->beta + cmp_fit_half(s, true), true));
}

static json_t *fit_json(const struct cmp_fit *f, const char *unit)
{
	char s[256];
	json_t *o = key_json(&f->key, false);

	json_object_update_new(o, json_pack("{s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:s}",
		"control", f->control, "unit", f->repeats ? "repeats" : "rounds",
		"base", fit_side_json(&f->base), "new", fit_side_json(&f->new),
		"delta_alpha", f->has_delta ? json_pack("{s:f, s:o}", "ns_per_ioctl", f->da,
			"ci95", interval(f->da_lo, f->da_hi, true)) : json_null(),
		"delta_beta", f->has_delta ? json_pack("{s:f, s:o}", "ns_per_page", f->db,
			"ci95", interval(f->db_lo, f->db_hi, true)) : json_null(),
		"moved", f->moved, "sentence", cmp_fit_sentence(f, unit, s, sizeof(s))));
	return o;
}

static json_t *gmean_json(const struct cmp_gmean *g)
{
	return json_pack("{s:o, s:I, s:f, s:o}", "memtype",
			 g->memtype ? json_string(g->memtype) : json_null(), "cells", (json_int_t)g->k,
			 "ratio", g->gm, "ci95", interval(g->lo, g->hi, g->has_ci));
}

static json_t *env_json(const struct cmp_result *r)
{
	static const char *const warn[] = { NULL, "mitigations", "cpu" };
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_env; i++) {
		const struct cmp_envdiff *d = &r->env[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "path", d->path,
			"kind", d->words ? "words" : "value", d->words ? "only_in_base" : "base",
			d->base, d->words ? "only_in_new" : "new", d->new, "warn", warn[d->warn]));
	}
	return json_pack("{s:b, s:s, s:o}", "compared", r->env_compared, "note", r->env_note,
			 "differences", a);
}

static json_t *caps_json(const struct cmp_result *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nr_caps; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			"memtype", r->caps[i].memtype, "mode", r->caps[i].mode,
			"ioctl", r->caps[i].ioctl, "base", r->caps[i].base, "new", r->caps[i].new));
	return json_pack("{s:b, s:s, s:o}", "compared", r->caps_compared, "note", r->caps_note,
			 "differences", a);
}

static json_t *dir_json(const struct rr_dir *d)
{
	const char *rel = rr_env_string(d, "kernel.release");

	return json_pack("{s:s, s:s?, s:I}", "dir", d->path, "kernel_release", rel,
			 "lines", (json_int_t)d->nr_cells);
}

static json_t *result_json(const struct cmp_result *r)
{
	json_t *cells = json_array(), *un = json_array(), *gm = json_array();
	json_t *fits = json_array(), *warn = json_array();

	for (size_t i = 0; i < r->nr_cells; i++)
		json_array_append_new(cells, cell_json(&r->cells[i]));
	for (size_t i = 0; i < r->nr_unmatched; i++) {
		json_t *k = key_json(&r->unmatched[i].key, true);

		json_object_set_new(k, "only_in", json_string(r->unmatched[i].in_base ? "base" : "new"));
		json_array_append_new(un, k);
	}
	for (size_t i = 0; i < r->nr_gmeans; i++)
		json_array_append_new(gm, gmean_json(&r->gmeans[i]));
	for (size_t i = 0; i < r->nr_fits; i++)
		json_array_append_new(fits, fit_json(&r->fits[i], bench_clock_unit(r->base->clock)));
	for (size_t i = 0; i < r->nr_warnings; i++)
		json_array_append_new(warn, json_string(r->warnings[i]));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:{s:s, s:o}, s:o, s:o, s:{s:I, s:I, "
			 "s:I, s:I, s:I, s:I, s:I}}",
			 "base", dir_json(r->base), "new", dir_json(r->new),
			 "functional_differences", caps_json(r), "environment", env_json(r),
			 "cells", cells, "unmatched", un,
			 "geomean", "method", "t-interval over the cells' log ratios", "groups", gm,
			 "fits", fits, "warnings", warn, "summary",
			 "slower", (json_int_t)r->nr_slower, "faster", (json_int_t)r->nr_faster,
			 "same", (json_int_t)r->nr_same, "undecided", (json_int_t)r->nr_undecided,
			 "insufficient", (json_int_t)r->nr_insufficient,
			 "not_compared", (json_int_t)r->nr_not_compared,
			 "unmatched", (json_int_t)r->nr_unmatched);
}

void cmp_print_json(FILE *f, const struct cmp_result *r, size_t nr, const struct cmp_opts *o,
		    int status)
{
	json_t *all = json_array(), *root;

	for (size_t i = 0; i < nr; i++)
		json_array_append_new(all, result_json(&r[i]));
	root = json_pack("{s:i, s:s, s:{s:s, s:s, s:b, s:s, s:f, s:f, s:I, s:I, s:o}, s:o, s:i}",
			 "schema", 1, "kind", "compare", "method", "centre", o->floor ? "median of per-repeat minima" : "median",
			 "test", "mann-whitney-u two-sided", "fdr", o->fdr,
			 "interval", "percentile bootstrap 95%", "alpha", o->alpha,
			 "threshold_pct", o->threshold * 100, "resamples", (json_int_t)o->resamples,
			 "seed", (json_int_t)o->seed,
			 "target_mde_pct", num(o->target_mde * 100, o->target_mde > 0),
			 "comparisons", all, "exit_status", status);
	if (!root)
		abort();
	/* which rule decided: exact counts' floors, or the repeats-then-rounds rule */
	json_object_set_new(json_object_get(root, "method"), "rule",
			    json_string(o->clock == CLOCK_ICOUNT && o->floor && o->abs_threshold > 0 ?
					"icount floors" : "repeats, then rounds"));
	json_object_set_new(json_object_get(root, "method"), "abs_threshold_per_4k",
			    num(o->abs_threshold, o->abs_threshold > 0));
	json_dumpf(root, f, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
	fputc('\n', f);
	json_decref(root);
}
