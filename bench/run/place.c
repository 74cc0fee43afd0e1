// SPDX-License-Identifier: MIT
/*
 * Placement as a dimension of `run`: plan the placement cells on this
 * machine, multiply the matrix by them, and give each cell's threads the
 * CPUs of its CPU node.
 */
#include "core/common.h"
#include "run/run.h"
#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

int run_place_plan(struct topo *t, const struct run_args *a, struct place_cell *places,
		   char *err, size_t errlen)
{
	if (!place_opts_given(&a->place))
		return 0;
	return place_plan(t, &a->place, places, PLACE_MAX_NODES, err, errlen);
}

/* What --threads all means: the fewest threads any planned CPU node fits. */
unsigned run_place_capacity(struct topo *t, enum pin_policy pol,
			    const struct place_cell *places, int n)
{
	unsigned cap = topo_plan_capacity(t, pol, -1);

	for (int i = 0; i < n; i++) {
		unsigned c;

		if (places[i].skip[0] || places[i].cpu_node < 0)
			continue;
		c = topo_plan_capacity(t, pol, places[i].cpu_node);
		if (c && c < cap)
			cap = c;
	}
	return cap;
}

/* Every cell once per placement, placement-minor; 0 places: unchanged. */
int run_place_expand(struct cell **cells, int n, const struct place_cell *places, int np)
{
	struct cell *out;

	if (np <= 0)
		return n;
	out = xcalloc((size_t)n * np, sizeof(*out));
	for (int i = 0; i < n; i++)
		for (int j = 0; j < np; j++) {
			out[i * np + j] = (*cells)[i];
			out[i * np + j].place = &places[j];
		}
	free(*cells);
	*cells = out;
	return n * np;
}

int run_place_cpu_node(const struct cell *c)
{
	return c->place && !c->place->skip[0] ? c->place->cpu_node : -1;
}
