// SPDX-License-Identifier: MIT
/*
 * The answer first: one line per memory type and ioctl (and thread count),
 * what the change costs per page and per ioctl, from the α/β fit when the
 * cell was measured at two or more batch sizes, else from the cell itself;
 * then whether the series is present on each side (env.json).
 *
 *   shmem-memfd continue: +12.0 instructions/page [+11.9, +12.0],
 *       -13 instructions/ioctl [-15, -11]; cells: slower 2 of 2
 */
#include "compare/compare.h"
#include "core/common.h"

#include <math.h>
#include <string.h>

static bool same_group(const struct cmp_key *a, const struct cmp_key *b)
{
	return !strcmp(a->memtype, b->memtype) && !strcmp(a->ioctl, b->ioctl) &&
	       a->threads == b->threads && !strcmp(a->placement, b->placement) &&
	       a->inject_ns == b->inject_ns &&
	       !strcmp(a->knob ? a->knob : "", b->knob ? b->knob : "");
}

/* "slower (2 of 3 cells)", the verdicts of the group's cells, worst first */
static void verdicts(const struct cmp_result *r, const struct cmp_key *k, char *buf, size_t len)
{
	static const enum cmp_verdict order[] = { CMP_SLOWER, CMP_UNDECIDED, CMP_FASTER, CMP_SAME };
	size_t count[CMP_NOT_COMPARED + 1] = { 0 }, n = 0, off = 0;

	for (size_t i = 0; i < r->nr_cells; i++)
		if (same_group(&r->cells[i].key, k) && r->cells[i].verdict != CMP_NOT_COMPARED) {
			count[r->cells[i].verdict]++;
			n++;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (count[order[i]])
			appendf(buf, len, &off, "%s%s %zu of %zu", off ? ", " : "",
				cmp_verdict_name(order[i]), count[order[i]], n);
}

static const struct cmp_fit *fit_of(const struct cmp_result *r, const struct cmp_key *k)
{
	for (size_t i = 0; i < r->nr_fits; i++)
		if (same_group(&r->fits[i].key, k) && r->fits[i].has_delta)
			return &r->fits[i];
	return NULL;
}

static void line_for(FILE *f, const struct cmp_result *r, const struct cmp_cell *c,
		     const char *unit)
{
	const struct cmp_fit *fit = fit_of(r, &c->key);
	char l[128], v[96];

	cmp_label(&c->key, false, l, sizeof(l));
	verdicts(r, &c->key, v, sizeof(v));
	if (fit)
		fprintf(f, "  %s: %+.1f %s/page [%+.1f, %+.1f],\n      %+.0f %s/ioctl "
			"[%+.0f, %+.0f]; cells: %s\n", l, fit->db, unit, fit->db_lo, fit->db_hi,
			fit->da, unit, fit->da_lo, fit->da_hi, v);
	else
		fprintf(f, "  %s b%u: %+.1f %s/page [%+.1f, %+.1f];\n      cells: %s\n", l,
			c->key.batch, c->delta, unit, c->delta_lo, c->delta_hi, v);
}

static const char *series(const struct rr_dir *d)
{
	json_t *p = json_object_get(json_object_get(d->env, "series"), "present");

	return json_is_boolean(p) ? (json_is_true(p) ? "yes" : "no") : "unknown";
}

void cmp_print_answer(FILE *f, const struct cmp_result *r)
{
	const char *unit = bench_clock_unit(r->base->clock);
	const struct cmp_cell *last = NULL;

	fprintf(f, "\nAnswer: new - base per page and per ioctl (95%%), by memory type and "
		"ioctl\n");
	for (size_t i = 0; i < r->nr_cells; i++) {
		const struct cmp_cell *c = &r->cells[i];

		if (c->verdict == CMP_NOT_COMPARED || !c->has_ci)
			continue;
		if (last && same_group(&last->key, &c->key))
			continue;
		last = c;
		line_for(f, r, c, unit);
	}
	if (!last)
		fprintf(f, "  no cell could be compared\n");
	fprintf(f, "  (vm_uffd_ops series present: base %s, new %s)\n", series(r->base),
		series(r->new));
}
