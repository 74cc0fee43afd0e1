// SPDX-License-Identifier: MIT
/*
 * compare: match the cells of two results directories, pick the unit of
 * comparison (repeats or rounds), and give each matched cell a verdict.
 */
#include "compare/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *bad_text(const struct cmp_group *g, char *buf, size_t len)
{
	const struct rr_cell *b = g->bad;

	snprintf(buf, len, "%s%s%s", b->status, b->reason ? ": " : "",
		 b->reason ? b->reason : (rr_cell_ok(b) ? " with no rounds" : ""));
	return buf;
}

/* Not compared: a side has no usable repeat, or the kernels differ functionally. */
static bool excluded(const struct cmp_result *r, struct cmp_cell *c)
{
	const struct cmp_capdiff *cd = cmp_caps_find(r, &c->key);
	char b1[160], b2[160];

	if (cd)
		snprintf(c->rule, sizeof(c->rule), "functional difference: %s -> %s",
			 cd->base, cd->new);
	else if (!c->base.g->nr_ok && !c->new.g->nr_ok)
		snprintf(c->rule, sizeof(c->rule), "base %s; new %s",
			 bad_text(c->base.g, b1, sizeof(b1)), bad_text(c->new.g, b2, sizeof(b2)));
	else if (!c->base.g->nr_ok)
		snprintf(c->rule, sizeof(c->rule), "base %s", bad_text(c->base.g, b1, sizeof(b1)));
	else if (!c->new.g->nr_ok)
		snprintf(c->rule, sizeof(c->rule), "new %s", bad_text(c->new.g, b1, sizeof(b1)));
	else
		return false;
	c->verdict = CMP_NOT_COMPARED;
	return true;
}

/* The size (bytes per thread) of g's ok repeats: 0 unknown, -1 they differ. */
static long long group_size(const struct cmp_group *g)
{
	long long size = 0;

	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];

		if (!rr_cell_ok(c) || !c->size)
			continue;
		if (size && (long long)c->size != size)
			return -1;
		size = c->size;
	}
	return size;
}

/* Rounds a repeat of g's ok repeats: 0 when they differ. */
static size_t group_rounds(const struct cmp_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nr_reps; i++) {
		const struct rr_cell *c = g->reps[i];

		if (!rr_cell_ok(c))
			continue;
		if (n && c->nr_rounds != n)
			return 0;
		n = c->nr_rounds;
	}
	return n;
}

static const char *size_text(long long size, char *buf, size_t len)
{
	if (size < 0)
		snprintf(buf, len, "mixed");
	else if (size && !(size % (1 << 20)))
		snprintf(buf, len, "%lldM", size >> 20);
	else
		snprintf(buf, len, "%lld bytes", size);
	return buf;
}

/*
 * Cells measured with a different --size are different measurements (a
 * range that fits in cache or not, page tables of another depth): not
 * compared unless --allow-mismatch.  Different rounds a repeat only change
 * the precision (and, with --stat min, the floor): a warning.
 */
static bool mismatched(struct cmp_result *r, struct cmp_cell *c, const struct cmp_opts *o)
{
	long long sb = group_size(c->base.g), sn = group_size(c->new.g);
	size_t rb = group_rounds(c->base.g), rn = group_rounds(c->new.g);
	char l[128], b1[32], b2[32];

	if (rb && rn && rb != rn && !r->nr_rounds_mismatch++)
		snprintf(r->rounds_example, sizeof(r->rounds_example), "%s: %zu vs %zu",
			 cmp_label(&c->key, true, l, sizeof(l)), rb, rn);
	if (!sb || !sn || sb == sn)
		return false;
	size_text(sb, b1, sizeof(b1));
	size_text(sn, b2, sizeof(b2));
	if (!r->nr_size_mismatch++)
		snprintf(r->size_example, sizeof(r->size_example), "%s: %s vs %s",
			 cmp_label(&c->key, true, l, sizeof(l)), b1, b2);
	if (o->allow_mismatch) {
		snprintf(c->note, sizeof(c->note), "size differs: base %s, new %s "
			 "(--allow-mismatch)", b1, b2);
		return false;
	}
	snprintf(c->rule, sizeof(c->rule), "size differs: base %s, new %s "
		 "(--allow-mismatch compares anyway)", b1, b2);
	c->verdict = CMP_NOT_COMPARED;
	return true;
}

/* One warning for each kind of mismatch, with its first cell. */
static void warn_mismatches(struct cmp_result *r, const struct cmp_opts *o)
{
	if (r->nr_size_mismatch)
		cmp_warn(r, "%zu cell%s measured with a different --size (%s)%s",
			 r->nr_size_mismatch, r->nr_size_mismatch == 1 ? "" : "s",
			 r->size_example, o->allow_mismatch ? ": compared anyway" :
			 ": not compared (--allow-mismatch compares them)");
	if (r->nr_rounds_mismatch)
		cmp_warn(r, "%zu cell%s measured with different rounds a repeat (%s)%s",
			 r->nr_rounds_mismatch, r->nr_rounds_mismatch == 1 ? "" : "s",
			 r->rounds_example, o->floor ?
			 ": with --stat min the side with more rounds has the lower floor" :
			 ": the sides' precision differs");
}

static void note_partial(struct cmp_cell *c)
{
	const struct cmp_group *g[2] = { c->base.g, c->new.g };
	static const char *const side[2] = { "base", "new" };
	size_t off = strlen(c->note);
	char b[160];

	for (int i = 0; i < 2; i++) {
		if (!g[i]->bad)
			continue;
		appendf(c->note, sizeof(c->note), &off, "%s%s: %zu of %zu repeats left out (%s)",
			off ? "; " : "", side[i], g[i]->nr_reps - g[i]->nr_ok, g[i]->nr_reps,
			bad_text(g[i], b, sizeof(b)));
	}
}

static unsigned long cell_seed(const struct cmp_key *k, unsigned long seed)
{
	char buf[256];
	unsigned long h = 14695981039346656037ul;

	snprintf(buf, sizeof(buf), "%s/%s/%s/%u/%u/%s", k->memtype, k->mapping, k->ioctl,
		 k->batch, k->threads, k->placement);
	for (const char *p = buf; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ul;
	return seed ^ h;
}


/* Fewer than two values a side: no spread, so no interval and no verdict. */
static void insufficient(struct cmp_cell *c)
{
	size_t off = 0;

	c->verdict = CMP_INSUFFICIENT;
	c->rule[0] = '\0';
	if (c->base.n < 2)
		appendf(c->rule, sizeof(c->rule), &off, "base n=%zu", c->base.n);
	if (c->new.n < 2)
		appendf(c->rule, sizeof(c->rule), &off, "%snew n=%zu", off ? ", " : "", c->new.n);
	appendf(c->rule, sizeof(c->rule), &off, ": no interval");
}

/* The noise and the minimum detectable effect of the units compared. */
static void describe(struct cmp_cell *c, const struct cmp_opts *o)
{
	struct cmp_side *b = &c->base, *n = &c->new;

	c->s = cmp_pooled_noise(b->v, b->n, n->v, n->n);
	c->mde = cmp_mde(c->s, b->n, n->n, b->median, o->alpha);
	c->has_mde = isfinite(c->mde);
	if (o->target_mde > 0 && c->has_mde)
		c->need = cmp_needed_n(c->s, b->median, o->target_mde, o->alpha);
}

static void test_cell(struct cmp_cell *c, const struct cmp_opts *o)
{
	struct cmp_side *b = &c->base, *n = &c->new;

	c->repeats = b->g->nr_ok >= 2 && n->g->nr_ok >= 2;
	b->n = cmp_units(b->g, c->repeats, false, &b->v);
	n->n = cmp_units(n->g, c->repeats, false, &n->v);
	b->median = cmp_median(b->v, b->n);
	n->median = cmp_median(n->v, n->n);
	c->ratio = n->median / b->median;
	if (b->n < 2 || n->n < 2) {
		insufficient(c);
		return;
	}
	if (!(o->paired && c->repeats && cmp_paired(c, o, cell_seed(&c->key, o->seed))))
		describe(c, o);
	cmp_decide_cell(c, o);
}

static void add_cell(struct cmp_result *r, const struct cmp_group *gb,
		     const struct cmp_group *gn, const struct cmp_opts *o)
{
	struct cmp_cell *c;

	r->cells = xrealloc(r->cells, r->nr_cells + 1, sizeof(*c));
	c = &r->cells[r->nr_cells++];
	memset(c, 0, sizeof(*c));
	cmp_key_of(gb->reps[0], &c->key);
	c->control = cmp_is_control(c->key.memtype, c->key.ioctl);
	c->base.g = gb;
	c->new.g = gn;
	c->ratio = c->base.median = c->new.median = NAN;
	if (excluded(r, c) || mismatched(r, c, o))
		return;
	note_partial(c);
	test_cell(c, o);
}

static void add_unmatched(struct cmp_result *r, const struct cmp_group *g, bool in_base)
{
	struct cmp_unmatched *u;

	r->unmatched = xrealloc(r->unmatched, r->nr_unmatched + 1, sizeof(*u));
	u = &r->unmatched[r->nr_unmatched++];
	cmp_key_of(g->reps[0], &u->key);
	u->in_base = in_base;
}

static void match(struct cmp_result *r, const struct cmp_opts *o)
{
	size_t i = 0, j = 0;

	while (i < r->nr_gbase || j < r->nr_gnew) {
		int d;

		if (i == r->nr_gbase)
			d = 1;
		else if (j == r->nr_gnew)
			d = -1;
		else
			d = rr_key_cmp(r->gbase[i].reps[0], r->gnew[j].reps[0]);
		if (d < 0)
			add_unmatched(r, &r->gbase[i++], true);
		else if (d > 0)
			add_unmatched(r, &r->gnew[j++], false);
		else
			add_cell(r, &r->gbase[i++], &r->gnew[j++], o);
	}
}

/* The verdicts, once every cell has its p (and q, over all of them). */
static void judge_all(struct cmp_result *r, const struct cmp_opts *o)
{
	double *p = xrealloc(NULL, r->nr_cells, sizeof(double));
	double *q = xrealloc(NULL, r->nr_cells, sizeof(double));
	size_t n = 0, k = 0;

	for (size_t i = 0; i < r->nr_cells; i++)
		if (r->cells[i].has_p)
			p[n++] = r->cells[i].p;
	cmp_bh_adjust(p, n, q);
	for (size_t i = 0; i < r->nr_cells; i++) {
		struct cmp_cell *c = &r->cells[i];

		if (c->has_p)
			c->q = q[k++];
		if (c->has_p || c->by_floors)
			cmp_judge_cell(c, o);
	}
	free(p);
	free(q);
}

int cmp_run(const struct rr_dir *base, const struct rr_dir *new, const struct cmp_opts *o,
	    struct cmp_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->base = base;
	r->new = new;
	r->gbase = cmp_group_cells(base, &r->nr_gbase);
	r->gnew = cmp_group_cells(new, &r->nr_gnew);
	cmp_caps_diff(r);
	cmp_env_diff(r);
	match(r, o);
	warn_mismatches(r, o);
	judge_all(r, o);
	cmp_gmeans(r);
	cmp_fits(r, o);
	cmp_count(r, o);
	if (!r->nr_cells) {
		snprintf(err, errlen, "%s vs %s: no cells in common (%zu only in base, %zu only in new)",
			 base->path, new->path, r->nr_gbase, r->nr_gnew);
		return -1;
	}
	if (!(r->nr_slower + r->nr_faster + r->nr_same + r->nr_undecided)) {
		char why[400] = "";

		if (r->nr_size_mismatch && !o->allow_mismatch)
			snprintf(why, sizeof(why), ", %zu of them measured with a different --size "
				 "(%s; --allow-mismatch compares them)", r->nr_size_mismatch,
				 r->size_example);
		snprintf(err, errlen, "%s vs %s: none of the %zu cells in common could be tested "
			 "(%zu not compared%s, %zu with fewer than 2 values a side: no interval%s)",
			 base->path, new->path, r->nr_cells, r->nr_not_compared, why,
			 r->nr_insufficient, r->nr_insufficient ?
			 "; 2 or more repeats or rounds a side would decide" : "");
		return -1;
	}
	return 0;
}

