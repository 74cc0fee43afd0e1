// SPDX-License-Identifier: MIT
/*
 * Planning on a struct topo: which CPU each thread is pinned to (policy
 * core / compact / scatter) and which (thread node, memory node)
 * placements exist.  Only the public topo.h interface is used here.
 */
#include "machine/topo.h"
#include "core/common.h"
#include "core/alloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const policy_names[] = {
	[PIN_CORE] = "core",
	[PIN_COMPACT] = "compact",
	[PIN_SCATTER] = "scatter",
};

int pin_policy_parse(const char *s)
{
	for (unsigned i = 0; s && i < ARRAY_SIZE(policy_names); i++)
		if (!strcmp(s, policy_names[i]))
			return (int)i;
	return -1;
}

const char *pin_policy_name(enum pin_policy p)
{
	return (unsigned)p < ARRAY_SIZE(policy_names) ? policy_names[p] : "?";
}

enum node_filter { ANY_NODE, CPU_NODES, MEM_NODES };

static bool node_matches(struct topo *t, int node, enum node_filter f)
{
	if (f == CPU_NODES)
		return topo_node_has_cpus(t, node);
	if (f == MEM_NODES)
		return topo_node_has_memory(t, node);
	return true;
}

/* "0-1,3" for the nodes passing f, "none" when there is none. */
static const char *node_list(struct topo *t, enum node_filter f, char *buf, size_t len)
{
	unsigned n = 0, nr = topo_nr_nodes(t);
	int *v = xcalloc(nr, sizeof(*v));

	for (unsigned i = 0; i < nr; i++)
		if (node_matches(t, topo_node_at(t, i), f))
			v[n++] = topo_node_at(t, i);
	topo_format_list(buf, len, v, n);
	free(v);
	return n ? buf : "none";
}

/* Allowed cores on a node, each with its allowed PUs. */
struct plan_core {
	unsigned first, nr;	/* PUs: plan.pus[first .. first + nr) */
	int node;
	unsigned package;
};

struct plan {
	unsigned nr_pus, nr_cores;
	int *pus;			/* CPUs, hwloc logical order */
	struct plan_core *cores;	/* logical order, then policy order */
};

static void plan_free(struct plan *p)
{
	free(p->pus);
	free(p->cores);
}

static void plan_collect(struct topo *t, int cpu_node, struct plan *p)
{
	unsigned n, last_core = 0;
	const struct topo_pu *pu = topo_pus(t, &n);

	p->pus = xcalloc(n, sizeof(*p->pus));
	p->cores = xcalloc(n, sizeof(*p->cores));
	for (unsigned i = 0; i < n; i++) {
		struct plan_core *c = &p->cores[p->nr_cores];

		if (cpu_node >= 0 && pu[i].node != cpu_node)
			continue;
		if (!p->nr_pus || pu[i].core != last_core) {
			c->first = p->nr_pus;
			c->node = pu[i].node;
			c->package = pu[i].package;
			p->nr_cores++;
		}
		last_core = pu[i].core;
		p->cores[p->nr_cores - 1].nr++;
		p->pus[p->nr_pus++] = pu[i].cpu;
	}
}

/*
 * Scatter: cores grouped by (node, package); groups taken round-robin, in
 * the order (rank of the group within its package, package), so turns
 * alternate nodes and, when a package holds several nodes, packages too.
 */
static unsigned scatter_groups(struct plan *p, unsigned *grp, unsigned *order)
{
	unsigned ng = 0, *rank = xcalloc(p->nr_cores + 1, sizeof(*rank));

	for (unsigned c = 0; c < p->nr_cores; c++) {
		unsigned g, same_pkg = 0;

		for (g = 0; g < ng; g++) {
			struct plan_core *o = &p->cores[order[g]];

			if (o->node == p->cores[c].node && o->package == p->cores[c].package)
				break;
			same_pkg += o->package == p->cores[c].package;
		}
		if (g == ng) {
			order[ng] = c;	/* first core of the group, for now */
			rank[ng++] = same_pkg;
		}
		grp[c] = g;
	}
	/* Stable insertion sort of the group ids by rank. */
	for (unsigned g = 0; g < ng; g++)
		order[g] = g;
	for (unsigned i = 1; i < ng; i++)
		for (unsigned j = i; j > 0 && rank[order[j - 1]] > rank[order[j]]; j--) {
			unsigned tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	free(rank);
	return ng;
}

static void scatter_order(struct plan *p)
{
	unsigned n = p->nr_cores, out = 0;
	unsigned *grp = xcalloc(n + 1, sizeof(*grp)), *order = xcalloc(n + 1, sizeof(*order));
	unsigned *cursor = xcalloc(n + 1, sizeof(*cursor));
	struct plan_core *sorted = xcalloc(n + 1, sizeof(*sorted));
	unsigned ng = scatter_groups(p, grp, order);

	while (out < n) {
		for (unsigned k = 0; k < ng; k++) {
			unsigned g = order[k], c = cursor[g];

			while (c < n && grp[c] != g)
				c++;
			cursor[g] = c + 1;
			if (c < n)
				sorted[out++] = p->cores[c];
		}
	}
	memcpy(p->cores, sorted, n * sizeof(*sorted));
	free(grp);
	free(order);
	free(cursor);
	free(sorted);
}

/* Every PU once, in the order threads get them. */
static void plan_sequence(struct plan *p, enum pin_policy pol, int *seq)
{
	unsigned k = 0, max_smt = 0;

	for (unsigned c = 0; c < p->nr_cores; c++) {
		if (p->cores[c].nr > max_smt)
			max_smt = p->cores[c].nr;
		for (unsigned r = 0; pol == PIN_COMPACT && r < p->cores[c].nr; r++)
			seq[k++] = p->pus[p->cores[c].first + r];
	}
	if (pol == PIN_COMPACT)
		return;
	for (unsigned r = 0; r < max_smt; r++)
		for (unsigned c = 0; c < p->nr_cores; c++)
			if (r < p->cores[c].nr)
				seq[k++] = p->pus[p->cores[c].first + r];
}

static int check_node(struct topo *t, int cpu_node, char *err, size_t errlen)
{
	char list[128];

	if (cpu_node == -1) {
		if (topo_nr_cpus(t, -1))
			return 0;
		seterr(err, errlen, "no allowed CPUs");
		return -1;
	}
	if (!topo_node_exists(t, cpu_node)) {
		seterr(err, errlen, "node %d does not exist (nodes: %s)", cpu_node,
		       node_list(t, ANY_NODE, list, sizeof(list)));
		return -1;
	}
	if (topo_node_has_cpus(t, cpu_node))
		return 0;
	seterr(err, errlen, "node %d has no allowed CPUs (nodes with CPUs: %s)", cpu_node,
	       node_list(t, CPU_NODES, list, sizeof(list)));
	return -1;
}

unsigned topo_plan_capacity(struct topo *t, enum pin_policy pol, int cpu_node)
{
	if (cpu_node < -1 || (cpu_node >= 0 && !topo_node_exists(t, cpu_node)))
		return 0;
	return pol == PIN_CORE ? topo_nr_cores(t, cpu_node) : topo_nr_cpus(t, cpu_node);
}

static void too_many(struct topo *t, enum pin_policy pol, int cpu_node, unsigned nthreads,
		     char *err, size_t errlen)
{
	unsigned cap = topo_plan_capacity(t, pol, cpu_node);
	bool core = pol == PIN_CORE;
	char where[32] = "";

	if (cpu_node >= 0)
		snprintf(where, sizeof(where), " on node %d", cpu_node);
	seterr(err, errlen, "%u threads > %u %s%s%s (use --oversubscribe%s)", nthreads, cap,
	       core ? "core" : "CPU", cap == 1 ? "" : "s", where,
	       core && topo_nr_cpus(t, cpu_node) > cap ? ", or --policy compact for SMT siblings" : "");
}

int topo_plan_threads(struct topo *t, enum pin_policy pol, int cpu_node, unsigned nthreads,
		      bool oversubscribe, int *cpus, char *err, size_t errlen)
{
	struct plan p = { 0 };
	int *seq = NULL, ret = -1;

	if ((unsigned)pol >= ARRAY_SIZE(policy_names)) {
		seterr(err, errlen, "unknown pin policy %d", (int)pol);
		return -1;
	}
	if (check_node(t, cpu_node, err, errlen))
		return -1;
	if (!nthreads || !cpus) {
		seterr(err, errlen, "%s", cpus ? "0 threads: plan at least 1" : "no CPU array");
		return -1;
	}
	if (nthreads > topo_plan_capacity(t, pol, cpu_node) && !oversubscribe) {
		too_many(t, pol, cpu_node, nthreads, err, errlen);
		return -1;
	}
	plan_collect(t, cpu_node, &p);
	if (!p.nr_pus) {
		seterr(err, errlen, "no CPU to place threads on");
		goto out;
	}
	if (pol == PIN_SCATTER)
		scatter_order(&p);
	seq = xcalloc(p.nr_pus, sizeof(*seq));
	plan_sequence(&p, pol, seq);
	for (unsigned i = 0; i < nthreads; i++)
		cpus[i] = seq[i % p.nr_pus];
	ret = 0;
out:
	free(seq);
	plan_free(&p);
	return ret;
}

enum placement_kind { PLACE_LOCAL, PLACE_REMOTE, PLACE_ALL };

static int placement_kind(const char *kind)
{
	static const char *const names[] = { "local", "remote", "all" };

	for (unsigned i = 0; kind && i < ARRAY_SIZE(names); i++)
		if (!strcmp(kind, names[i]))
			return (int)i;
	return -1;
}

static bool placement_ok(struct topo *t, enum placement_kind k, int a, int b)
{
	if (!topo_node_has_cpus(t, a) || !topo_node_has_memory(t, b))
		return false;
	if (k == PLACE_LOCAL)
		return a == b;
	if (k == PLACE_REMOTE)
		return a != b;
	return true;
}

static void why_none(struct topo *t, enum placement_kind k, const char *kind,
		     char *why, size_t len)
{
	char cbuf[128], mbuf[128];
	const char *cpun = node_list(t, CPU_NODES, cbuf, sizeof(cbuf));
	const char *memn = node_list(t, MEM_NODES, mbuf, sizeof(mbuf));

	if (k == PLACE_REMOTE && topo_nr_nodes(t) == 1)
		seterr(why, len, "1 NUMA node: remote placement impossible");
	else if (!strcmp(cpun, "none"))
		seterr(why, len, "no NUMA node has allowed CPUs: %s placement impossible", kind);
	else if (!strcmp(memn, "none"))
		seterr(why, len, "no NUMA node reports memory: %s placement impossible", kind);
	else if (k == PLACE_REMOTE)
		seterr(why, len, "CPUs and memory only on node %s: remote placement impossible",
		       cpun);
	else
		seterr(why, len, "no node has both CPUs (%s) and memory (%s): %s placement impossible",
		       cpun, memn, kind);
}

int topo_plan_placements(struct topo *t, const char *kind, struct placement_pair *out,
			 int max, char *why, size_t whylen)
{
	int k = placement_kind(kind), count = 0;
	unsigned n = topo_nr_nodes(t);

	if (k < 0) {
		seterr(why, whylen, "unknown placement '%s' (local, remote, all)",
		       kind ? kind : "");
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++) {
			int a = topo_node_at(t, i), b = topo_node_at(t, j);

			if (!placement_ok(t, k, a, b))
				continue;
			if (out && count >= max) {
				seterr(why, whylen, "more than %d %s placements", max, kind);
				return -1;
			}
			if (out)
				out[count] = (struct placement_pair){ a, b };
			count++;
		}
	seterr(why, whylen, "%s", "");
	if (!count)
		why_none(t, k, kind, why, whylen);
	return count;
}
