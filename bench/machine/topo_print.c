// SPDX-License-Identifier: MIT
/*
 * Describing a struct topo: JSON (env.json, `topo --json`) and text
 * (`uffdbench topo`).  Only the public topo.h interface is used here.
 */
#include "machine/topo.h"
#include "core/common.h"
#include "core/alloc.h"

#include <stdlib.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The allowed CPUs of a node, ascending, into a malloc'ed array; their count. */
static unsigned node_cpus(struct topo *t, int node, int **out)
{
	unsigned nr, n = 0;
	const struct topo_pu *pu = topo_pus(t, &nr);
	int *v = xcalloc(nr, sizeof(*v));

	for (unsigned i = 0; i < nr; i++)
		if (pu[i].node == node)
			v[n++] = pu[i].cpu;
	qsort(v, n, sizeof(*v), cmp_int);
	*out = v;
	return n;
}

/* "0-3" for the allowed CPUs of a node, malloc'ed. */
static char *node_cpu_string(struct topo *t, int node)
{
	int *v = NULL;
	unsigned n = node_cpus(t, node, &v);
	size_t len = (size_t)n * 12 + 1;
	char *s = xmalloc(len);

	topo_format_list(s, len, v, n);
	free(v);
	return s;
}

static json_t *distances_json(struct topo *t)
{
	const unsigned long long *m = topo_distances(t);
	unsigned n = topo_nr_nodes(t);
	json_t *rows;

	if (!m)
		return json_null();
	rows = json_array();
	for (unsigned i = 0; rows && i < n; i++) {
		json_t *row = json_array();

		for (unsigned j = 0; row && j < n; j++)
			json_array_append_new(row, json_integer((json_int_t)m[i * n + j]));
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *node_json(struct topo *t, int node)
{
	int *v = NULL;
	unsigned n = node_cpus(t, node, &v);
	char *cpus = node_cpu_string(t, node);
	json_t *list = json_array(), *o;

	for (unsigned i = 0; list && i < n; i++)
		json_array_append_new(list, json_integer(v[i]));
	o = json_pack("{s:i, s:I, s:s, s:o*}", "os_index", node,
		      "memory_bytes", (json_int_t)topo_node_memory(t, node),
		      "cpus", cpus, "cpu_list", list);
	free(cpus);
	free(v);
	return o;
}

/* Most allowed PUs any core has: 1 without SMT. */
static unsigned max_smt(struct topo *t)
{
	unsigned nr, max = 1;
	const struct topo_pu *pu = topo_pus(t, &nr);

	for (unsigned i = 0; i < nr; i++)
		if (pu[i].smt + 1 > max)
			max = pu[i].smt + 1;
	return max;
}

json_t *topo_to_json(struct topo *t)
{
	json_t *nodes = json_array();

	for (unsigned i = 0; nodes && i < topo_nr_nodes(t); i++)
		json_array_append_new(nodes, node_json(t, topo_node_at(t, i)));
	return json_pack("{s:s, s:i, s:i, s:i, s:i, s:b, s:o*, s:o*}",
			 "source", topo_source(t), "packages", (int)topo_nr_packages(t),
			 "cores", (int)topo_nr_cores(t, -1), "pus", (int)topo_nr_cpus(t, -1),
			 "numa_nodes", (int)topo_nr_nodes(t), "smt", max_smt(t) > 1,
			 "nodes", nodes, "distances", distances_json(t));
}

static const char *fmt_bytes(char *buf, size_t len, unsigned long long v)
{
	if (v >= 1ull << 30)
		snprintf(buf, len, "%.1f GiB", v / (double)(1ull << 30));
	else if (v >= 1ull << 20)
		snprintf(buf, len, "%.0f MiB", v / (double)(1ull << 20));
	else
		snprintf(buf, len, "%llu bytes", v);
	return buf;
}

/* "SMT siblings: 0,1 2,3 ..." (logical order), wrapped. */
static void print_siblings(struct topo *t, int node, FILE *f)
{
	const char *lead = "      SMT siblings:";
	unsigned nr;
	const struct topo_pu *p = topo_pus(t, &nr);
	int col = 0;

	for (unsigned i = 0; i < nr; i++) {
		if (p[i].node != node)
			continue;
		if (p[i].smt) {
			col += fprintf(f, ",%d", p[i].cpu);
			continue;
		}
		if (col > 70) {
			fputc('\n', f);
			col = 0;
		}
		if (!col)
			col = fprintf(f, "%s", lead);
		col += fprintf(f, " %d", p[i].cpu);
		lead = "                   ";
	}
	if (col)
		fputc('\n', f);
}

static void print_node(struct topo *t, int node, bool smt, FILE *f)
{
	unsigned long long mem = topo_node_memory(t, node);
	unsigned cores = topo_nr_cores(t, node);
	char buf[32], *cpus;

	fprintf(f, "  node %d: %s", node, mem ? fmt_bytes(buf, sizeof(buf), mem) : "no memory");
	if (!cores) {
		fprintf(f, ", no CPUs%s\n", mem ? " (memory only)" : "");
		return;
	}
	cpus = node_cpu_string(t, node);
	fprintf(f, ", CPUs %s (%u core%s)\n", cpus, cores, cores == 1 ? "" : "s");
	free(cpus);
	if (smt)
		print_siblings(t, node, f);
}

static void print_distances(struct topo *t, FILE *f)
{
	const unsigned long long *m = topo_distances(t);
	unsigned n = topo_nr_nodes(t);

	if (!m) {
		fprintf(f, "  distances: none reported\n");
		return;
	}
	fprintf(f, "  distances (relative latency, row: from node, column: to node):\n      ");
	for (unsigned j = 0; j < n; j++)
		fprintf(f, " %5d", topo_node_at(t, j));
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "\n  %4d", topo_node_at(t, i));
		for (unsigned j = 0; j < n; j++)
			fprintf(f, " %5llu", m[i * n + j]);
	}
	fputc('\n', f);
}

static void print_placement_kind(struct topo *t, const char *kind, FILE *f)
{
	char why[160];
	int n = topo_plan_placements(t, kind, NULL, 0, why, sizeof(why));
	struct placement_pair *pp;

	if (n <= 0) {
		fprintf(f, "    %-7s impossible: %s\n", kind, why);
		return;
	}
	fprintf(f, "    %-7s %d:", kind, n);
	pp = xcalloc(n, sizeof(*pp));
	if (topo_plan_placements(t, kind, pp, n, why, sizeof(why)) == n)
		for (int i = 0; i < n && i < 16; i++)
			fprintf(f, " %d>%d", pp[i].cpu_node, pp[i].mem_node);
	fprintf(f, "%s\n", n > 16 ? " ..." : "");
	free(pp);
}

void topo_print(struct topo *t, FILE *f)
{
	unsigned smt = max_smt(t), pk = topo_nr_packages(t), nodes = topo_nr_nodes(t);
	unsigned cores = topo_nr_cores(t, -1), pus = topo_nr_cpus(t, -1);

	fprintf(f, "topology: %s%s\n", topo_source(t),
		topo_is_this_machine(t) ? " (allowed CPUs only)" : "");
	fprintf(f, "  %u package%s, %u core%s, %u PU%s, ", pk, pk == 1 ? "" : "s",
		cores, cores == 1 ? "" : "s", pus, pus == 1 ? "" : "s");
	if (smt > 1)
		fprintf(f, "SMT (up to %u PUs per core), ", smt);
	else
		fprintf(f, "no SMT, ");
	fprintf(f, "%u NUMA node%s\n", nodes, nodes == 1 ? "" : "s");
	for (unsigned i = 0; i < nodes; i++)
		print_node(t, topo_node_at(t, i), smt > 1, f);
	print_distances(t, f);
	fprintf(f, "  placements (thread node>memory node):\n");
	print_placement_kind(t, "local", f);
	print_placement_kind(t, "remote", f);
	print_placement_kind(t, "all", f);
}
