// SPDX-License-Identifier: MIT
/*
 * The placement options of `run` and the plan they make on a topology:
 * which (CPU node, memory node, source node) cells exist, which are skipped
 * and why, and what is bad input.  Pure: no binding, no allocation beyond
 * the caller's array, so synthetic topologies test every decision.
 */
#include "machine/placement.h"
#include "core/common.h"
#include "core/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void place_opts_init(struct place_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->src = PLACE_LOCAL;
}

bool place_opts_given(const struct place_opts *o)
{
	return o->shorthand || o->nr_cpu || o->nr_mem || o->src_set;
}

static int parse_word(const char *val, int *v, int *n, bool local, bool interleave)
{
	static const struct { const char *s; int v; } words[] = {
		{ "any", PLACE_ANY }, { "local", PLACE_LOCAL }, { "interleave", PLACE_INTERLEAVE },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(words); i++) {
		if (strcmp(val, words[i].s))
			continue;
		if ((words[i].v == PLACE_LOCAL && !local) ||
		    (words[i].v == PLACE_INTERLEAVE && !interleave))
			return -1;
		v[0] = words[i].v;
		*n = 1;
		return 0;
	}
	return -1;
}

struct node_list {
	int *v, *n;
	bool words;
};

/* One item: "0", "0-3", with words "local" etc. too; a node twice is refused. */
static int add_node_item(void *arg, const char *item, char *err, size_t errlen)
{
	struct node_list *l = arg;
	unsigned a, b;
	int one;

	if (*l->n >= PLACE_MAX_NODES)
		return seterr(err, errlen, "too many nodes");
	if (l->words && !parse_word(item, &l->v[*l->n], &one, true, true))
		return list_add_unique_int(l->v, l->n, l->v[*l->n], item, err, errlen);
	if (list_parse_range(item, &a, &b))
		return seterr(err, errlen, "bad node '%s': want N, N-M, a list of them", item);
	if (b < a || b >= PLACE_MAX_NODES)
		return seterr(err, errlen, "bad node range '%s' (nodes 0..%d)", item,
			      PLACE_MAX_NODES - 1);
	for (unsigned x = a; x <= b; x++) {
		if (*l->n >= PLACE_MAX_NODES)
			return seterr(err, errlen, "too many nodes");
		if (list_add_unique_int(l->v, l->n, (int)x, item, err, errlen))
			return seterr(err, errlen, "node %u given twice", x);
	}
	return 0;
}

/* "0", "0-3", "0,2-3"; nodes < PLACE_MAX_NODES; with words, "local" etc. too. */
static int parse_nodes(const char *val, int *v, int *n, bool words, char *err, size_t errlen)
{
	struct node_list l = { v, n, words };

	*n = 0;
	return list_for_each(val, add_node_item, &l, err, errlen);
}

static int set_src(struct place_opts *o, const char *val, char *err, size_t errlen)
{
	int v[PLACE_MAX_NODES], n;

	if (parse_word(val, v, &n, true, false) && parse_nodes(val, v, &n, false, err, errlen))
		return -1;
	if (n != 1)
		return seterr(err, errlen, "want one node, local or any");
	o->src = v[0];
	o->src_set = true;
	return 0;
}

static int set_shorthand(struct place_opts *o, const char *val, char *err, size_t errlen)
{
	static const char *const kinds[] = { "local", "remote", "all", "interleave" };

	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(val, kinds[i])) {
			o->shorthand = kinds[i];
			return 0;
		}
	return seterr(err, errlen, "unknown placement '%s' (local, remote, all, interleave)", val);
}

int place_opts_set(struct place_opts *o, const char *opt, const char *val,
		   char *err, size_t errlen)
{
	if (!val || !*val)
		return seterr(err, errlen, "needs a value");
	if (!strcmp(opt, "placement"))
		return set_shorthand(o, val, err, errlen);
	if (!strcmp(opt, "src-node"))
		return set_src(o, val, err, errlen);
	if (!strcmp(opt, "cpu-node")) {
		if (!parse_word(val, o->cpu, &o->nr_cpu, false, false))
			return 0;
		return parse_nodes(val, o->cpu, &o->nr_cpu, false, err, errlen);
	}
	if (!strcmp(opt, "mem-node"))
		return parse_nodes(val, o->mem, &o->nr_mem, true, err, errlen);
	return seterr(err, errlen, "unknown placement option '%s'", opt);
}

/* Bad input: the message names the option and the nodes that would do. */
static int check_node(struct topo *t, const char *opt, int node, bool cpus,
		      char *err, size_t errlen)
{
	char list[128];
	int v[PLACE_MAX_NODES], n = 0;

	if (node < 0)
		return 0;
	for (unsigned i = 0; i < topo_nr_nodes(t) && n < PLACE_MAX_NODES; i++) {
		int x = topo_node_at(t, i);

		if (cpus ? topo_node_has_cpus(t, x) : topo_node_has_memory(t, x))
			v[n++] = x;
	}
	topo_format_list(list, sizeof(list), v, n);
	if (!topo_node_exists(t, node))
		return seterr(err, errlen, "--%s %d: node %d does not exist (nodes with %s: %s)",
			    opt, node, node, cpus ? "allowed CPUs" : "memory", n ? list : "none");
	if (cpus ? topo_node_has_cpus(t, node) : topo_node_has_memory(t, node))
		return 0;
	return seterr(err, errlen, "--%s %d: node %d has no %s (nodes with them: %s)", opt, node,
		    node, cpus ? "allowed CPUs" : "memory", n ? list : "none");
}

static void node_part(char *buf, size_t len, int node)
{
	if (node == PLACE_ANY)
		snprintf(buf, len, "a");
	else if (node == PLACE_INTERLEAVE)
		snprintf(buf, len, "i");
	else
		snprintf(buf, len, "%d", node);
}

static void set_mask(struct topo *t, struct place_cell *p)
{
	memset(p->mem_mask, 0, sizeof(p->mem_mask));
	if (p->mem_node >= 0)
		p->mem_mask[p->mem_node / 64] |= 1ull << (p->mem_node % 64);
	for (unsigned i = 0; p->mem_node == PLACE_INTERLEAVE && i < topo_nr_nodes(t); i++) {
		int x = topo_node_at(t, i);

		if (x < PLACE_MAX_NODES && topo_node_has_memory(t, x))
			p->mem_mask[x / 64] |= 1ull << (x % 64);
	}
}

static void fill_cell(struct topo *t, const struct place_opts *o, struct place_cell *p,
		      int cpu, int mem)
{
	char c[8], m[8];
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	p->cpu_node = cpu;
	p->mem_node = mem == PLACE_LOCAL ? cpu : mem;
	p->src_node = o->src == PLACE_LOCAL ? cpu : o->src;
	p->mpol = p->mem_node == PLACE_INTERLEAVE ? PLACE_MPOL_INTERLEAVE :
		  p->mem_node >= 0 ? PLACE_MPOL_BIND : PLACE_MPOL_DEFAULT;
	set_mask(t, p);
	node_part(c, sizeof(c), p->cpu_node);
	node_part(m, sizeof(m), p->mem_node);
	appendf(p->name, sizeof(p->name), &n, "%s>%s", c, m);
	if (o->src >= 0)
		appendf(p->name, sizeof(p->name), &n, "+s%d", o->src);
}

/* A placement that cannot exist here: one cell of it, skipped with why. */
static int skipped(struct place_cell *out, const char *name, const char *why)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->skip, sizeof(out->skip), "%s", why);
	out->cpu_node = out->mem_node = out->src_node = PLACE_ANY;
	return 1;
}

static int plan_interleave(struct topo *t, const struct place_opts *o,
			   struct place_cell *out, int max)
{
	int n = 0;

	for (unsigned i = 0; i < topo_nr_nodes(t) && n < max; i++) {
		int a = topo_node_at(t, i);

		if (topo_node_has_cpus(t, a))
			fill_cell(t, o, &out[n++], a, PLACE_INTERLEAVE);
	}
	if (!n)
		return skipped(out, "interleave", "no NUMA node has allowed CPUs: interleave impossible");
	if (!out[0].mem_mask[0] && !out[0].mem_mask[1])
		return skipped(out, "interleave", "no NUMA node reports memory: interleave impossible");
	return n;
}

static int plan_shorthand(struct topo *t, const struct place_opts *o,
			  struct place_cell *out, int max, char *err, size_t errlen)
{
	struct placement_pair pp[PLACE_MAX_NODES];
	char why[160];
	int n;

	if (o->nr_cpu || o->nr_mem)
		return seterr(err, errlen, "--placement %s cannot be combined with --cpu-node or --mem-node",
			    o->shorthand);
	if (!strcmp(o->shorthand, "interleave"))
		return plan_interleave(t, o, out, max);
	n = topo_plan_placements(t, o->shorthand, pp, max < PLACE_MAX_NODES ? max : PLACE_MAX_NODES,
				 why, sizeof(why));
	if (n < 0)
		return seterr(err, errlen, "--placement: %s", why);
	if (!n)
		return skipped(out, o->shorthand, why);
	for (int i = 0; i < n; i++)
		fill_cell(t, o, &out[i], pp[i].cpu_node, pp[i].mem_node);
	return n;
}

static int check_lists(struct topo *t, const struct place_opts *o, char *err, size_t errlen)
{
	bool cpu_any = !o->nr_cpu || o->cpu[0] == PLACE_ANY;

	for (int i = 0; i < o->nr_cpu; i++)
		if (check_node(t, "cpu-node", o->cpu[i], true, err, errlen))
			return -1;
	for (int i = 0; i < o->nr_mem; i++) {
		if (o->mem[i] == PLACE_LOCAL && cpu_any)
			return seterr(err, errlen, "--mem-node local needs --cpu-node N");
		if (check_node(t, "mem-node", o->mem[i], false, err, errlen))
			return -1;
	}
	return check_node(t, "src-node", o->src, false, err, errlen);
}

int place_plan(struct topo *t, const struct place_opts *o, struct place_cell *out,
	       int max, char *err, size_t errlen)
{
	static const int any[1] = { PLACE_ANY };
	const int *cpu = o->nr_cpu ? o->cpu : any, *mem = o->nr_mem ? o->mem : any;
	int nc = o->nr_cpu ? o->nr_cpu : 1, nm = o->nr_mem ? o->nr_mem : 1, n = 0;

	if (max < 1)
		return seterr(err, errlen, "no room for placements");
	if (check_lists(t, o, err, errlen))
		return -1;
	if (o->shorthand)
		return plan_shorthand(t, o, out, max, err, errlen);
	for (int i = 0; i < nc; i++)
		for (int j = 0; j < nm; j++) {
			struct place_cell p;
			bool dup = false;

			fill_cell(t, o, &p, cpu[i], mem[j]);
			for (int k = 0; k < n; k++)
				dup |= !strcmp(out[k].name, p.name);
			if (dup)
				continue;
			if (n >= max)
				return seterr(err, errlen, "more than %d placements", max);
			out[n++] = p;
		}
	return n;
}
