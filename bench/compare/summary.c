// SPDX-License-Identifier: MIT
/*
 * What sums up one comparison: the geometric mean of the ratios per memory
 * type and overall, the verdict counts, and the warnings that follow from
 * them (controls that moved, cells tested on rounds, multiple testing).
 */
#include "compare/compare.h"

#include <stdlib.h>
#include <string.h>

static void add_gmean(struct cmp_result *r, const char *memtype)
{
	double *ratios = xrealloc(NULL, r->nr_cells, sizeof(double));
	struct cmp_gmean *g;
	size_t k = 0;

	for (size_t i = 0; i < r->nr_cells; i++) {
		const struct cmp_cell *c = &r->cells[i];

		if (c->verdict > CMP_UNDECIDED)
			continue;
		if (!memtype || !strcmp(memtype, c->key.memtype))
			ratios[k++] = c->ratio;
	}
	if (k) {
		r->gmeans = xrealloc(r->gmeans, r->nr_gmeans + 1, sizeof(*g));
		g = &r->gmeans[r->nr_gmeans++];
		g->memtype = memtype;
		g->k = k;
		g->has_ci = cmp_log_tinterval(ratios, k, 0.95, &g->gm, &g->lo, &g->hi);
	}
	free(ratios);
}

void cmp_gmeans(struct cmp_result *r)
{
	for (size_t i = 0; i < r->nr_cells; i++)
		if (!i || strcmp(r->cells[i - 1].key.memtype, r->cells[i].key.memtype))
			add_gmean(r, r->cells[i].key.memtype);
	add_gmean(r, NULL);
}

void cmp_count(struct cmp_result *r, const struct cmp_opts *o)
{
	size_t rounds = 0, tested;

	for (size_t i = 0; i < r->nr_cells; i++) {
		const struct cmp_cell *c = &r->cells[i];

		r->nr_slower += c->verdict == CMP_SLOWER;
		r->nr_faster += c->verdict == CMP_FASTER;
		r->nr_same += c->verdict == CMP_SAME;
		r->nr_undecided += c->verdict == CMP_UNDECIDED;
		r->nr_insufficient += c->verdict == CMP_INSUFFICIENT;
		r->nr_not_compared += c->verdict == CMP_NOT_COMPARED;
		rounds += c->verdict <= CMP_INSUFFICIENT && !c->repeats;
		if (c->control && (c->verdict == CMP_SLOWER || c->verdict == CMP_FASTER))
			cmp_warn(r, "the change also moves the common path: control %s %s "
				 "batch %u threads %u is %s, %+.2f %s/page",
				 c->key.memtype, c->key.ioctl, c->key.batch, c->key.threads,
				 cmp_verdict_name(c->verdict), c->delta, cmp_unit(o));
	}
	tested = r->nr_slower + r->nr_faster + r->nr_same;
	if (tested > 1 && !o->fdr)
		cmp_warn(r, "%zu cells tested, each at alpha %g: if nothing changed, up to "
			 "%.1f of them may still be called slower (and as many faster) by "
			 "chance (--per-cell); the default --fdr adjusts p across the cells",
			 tested, o->alpha, tested * o->alpha / 2);
	if (rounds)
		cmp_warn(r, "%zu cell%s with fewer than 2 repeats a side: undecided, its interval "
			 "from rounds of one process (not independent: optimistic); use run "
			 "--repeat 3 or more", rounds, rounds == 1 ? "" : "s");
}

