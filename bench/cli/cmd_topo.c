// SPDX-License-Identifier: MIT
/* uffdbench topo: the topology, the placements possible, a thread plan. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "machine/topo.h"
#include "core/alloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLAN_THREADS 65536

struct topo_opts {
	const char *source, *policy, *threads, *node;
	bool json, oversubscribe;
};

struct topo_plan {
	enum pin_policy policy;
	int node;
	unsigned nthreads;
	int *cpus;
};

enum { OPT_SOURCE, OPT_JSON, OPT_THREADS, OPT_POLICY, OPT_NODE, OPT_OVERSUB };

static const struct cli_opt topo_opts[] = {
	{ "source", "SRC", OPT_SOURCE, "topology to read instead of this machine's:\n"
	  "synthetic:DESC, an hwloc synthetic description, e.g. 'synthetic:pack:2 numa:1 "
	  "core:4 pu:2';\nFILE.xml, an hwloc XML export (lstopo --of xml)", .values = "@file" },
	{ "json", NULL, OPT_JSON, "print JSON instead of text" },
	{ "threads", "N|all", OPT_THREADS, "plan N threads (all: as many as the policy fits)" },
	{ "policy", "P", OPT_POLICY, "core: one thread per physical core, no SMT sibling while "
	  "a core is free;\ncompact: fill the SMT siblings of a core first;\nscatter: "
	  "round-robin over NUMA nodes (then packages)", "core", "core compact scatter" },
	{ "node", "N|any", OPT_NODE, "only CPUs of NUMA node N", "any" },
	{ "oversubscribe", NULL, OPT_OVERSUB, "allow more threads than CPUs (than cores for "
	  "'core'): the plan goes on with unused PUs, then wraps around" },
	{ 0 }
};

const struct cli_help cmd_topo_help = {
	.head =
	"usage: uffdbench topo [--source SRC] [--json]\n"
	"                      [--threads N|all [--policy P] [--node N|any]\n"
	"                       [--oversubscribe]]\n"
	"\n"
	"Show the CPUs and NUMA nodes this process may use (hwloc; only the allowed\n"
	"CPUs), the NUMA distances, which placements (thread node, memory node) are\n"
	"possible here and why not, and with --threads the CPU each thread would be\n"
	"pinned to.\n"
	"\n",
	.opts = topo_opts,
	.tail =
	"Exit status: 0; 2 on bad input (unknown source or policy, a node that does\n"
	"not exist or has no CPUs, too many threads without --oversubscribe).\n\n"
	"Examples:\n"
	"  uffdbench topo\n"
	"  uffdbench topo --threads all --policy scatter\n"
	"  uffdbench topo --source 'synthetic:pack:2 numa:1 core:4 pu:2' --threads 4\n",
};

/* 0, 1 for --help (printed), -1 on bad input (said). */
static int parse_args(int argc, char **argv, struct topo_opts *o)
{
	struct cli_parser p;
	int key, status;

	cli_start(&p, &cmd_topo_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_SOURCE: o->source = p.arg; break;
		case OPT_JSON: o->json = true; break;
		case OPT_THREADS: o->threads = p.arg; break;
		case OPT_POLICY: o->policy = p.arg; break;
		case OPT_NODE: o->node = p.arg; break;
		case OPT_OVERSUB: o->oversubscribe = true; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status == EXIT_OK ? 1 : -1;
	if (!o->threads && (o->policy || o->node || o->oversubscribe)) {
		errmsg("topo: --policy, --node and --oversubscribe need --threads");
		return -1;
	}
	return 0;
}

static int parse_plan(struct topo *t, struct topo_opts *o, struct topo_plan *p)
{
	int pol = pin_policy_parse(o->policy ? o->policy : "core");
	unsigned v;

	if (pol < 0) {
		errmsg("topo: unknown policy '%s' (core, compact, scatter)", o->policy);
		return -1;
	}
	p->policy = pol;
	p->node = -1;
	if (o->node && strcmp(o->node, "any")) {
		if (parse_uint(o->node, &v) || v > INT_MAX) {
			errmsg("topo: bad node '%s' (a NUMA node number or 'any')", o->node);
			return -1;
		}
		p->node = (int)v;
	}
	if (!strcmp(o->threads, "all"))
		p->nthreads = topo_plan_capacity(t, p->policy, p->node);
	else if (parse_uint(o->threads, &p->nthreads) || p->nthreads > MAX_PLAN_THREADS) {
		errmsg("topo: bad thread count '%s' (1-%u or 'all')", o->threads,
		       MAX_PLAN_THREADS);
		return -1;
	}
	return 0;
}

static int make_plan(struct topo *t, struct topo_opts *o, struct topo_plan *p)
{
	char err[256];

	if (parse_plan(t, o, p))
		return -1;
	p->cpus = xcalloc(p->nthreads, sizeof(*p->cpus));
	if (!topo_plan_threads(t, p->policy, p->node, p->nthreads, o->oversubscribe,
			       p->cpus, err, sizeof(err)))
		return 0;
	errmsg("topo: %s", err);
	return -1;
}

static json_t *plan_json(struct topo *t, struct topo_plan *p, bool oversubscribe)
{
	json_t *cpus = json_array(), *nodes = json_array();

	for (unsigned i = 0; i < p->nthreads; i++) {
		json_array_append_new(cpus, json_integer(p->cpus[i]));
		json_array_append_new(nodes, json_integer(topo_cpu_node(t, p->cpus[i])));
	}
	return json_pack("{s:s, s:i, s:o, s:b, s:o*, s:o*}", "policy",
			 pin_policy_name(p->policy), "threads", (int)p->nthreads,
			 "node", p->node < 0 ? json_null() : json_integer(p->node),
			 "oversubscribe", oversubscribe, "cpus", cpus, "cpu_nodes", nodes);
}

static int print_json(struct topo *t, struct topo_opts *o, struct topo_plan *p)
{
	json_t *j = topo_to_json(t);

	if (j && o->threads)
		json_object_set_new(j, "plan", plan_json(t, p, o->oversubscribe));
	if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) < 0) {
		json_decref(j);
		errmsg("topo: cannot write JSON");
		return EXIT_USAGE;
	}
	json_decref(j);
	putchar('\n');
	return EXIT_OK;
}

static void print_list(const char *label, const int *v, unsigned n)
{
	printf("  %-6s", label);
	for (unsigned i = 0; i < n; i++)
		printf("%s%d", i ? "," : " ", v[i]);
	putchar('\n');
}

static void print_plan(struct topo *t, struct topo_plan *p)
{
	int *nodes = xcalloc(p->nthreads, sizeof(*nodes));
	unsigned cap = topo_plan_capacity(t, p->policy, p->node);

	printf("plan: %u thread%s, policy %s, node ", p->nthreads, p->nthreads == 1 ? "" : "s",
	       pin_policy_name(p->policy));
	if (p->node < 0)
		printf("any");
	else
		printf("%d", p->node);
	if (p->nthreads > cap)
		printf(" (oversubscribed: capacity %u)", cap);
	putchar('\n');
	print_list("CPUs:", p->cpus, p->nthreads);
	if (!nodes)
		return;
	for (unsigned i = 0; i < p->nthreads; i++)
		nodes[i] = topo_cpu_node(t, p->cpus[i]);
	print_list("nodes:", nodes, p->nthreads);
	free(nodes);
}

int cmd_topo(int argc, char **argv)
{
	struct topo_opts o = { 0 };
	struct topo_plan p = { 0 };
	struct topo *t;
	char err[256];
	int ret = parse_args(argc, argv, &o);

	if (ret)
		return ret > 0 ? EXIT_OK : EXIT_USAGE;
	ret = EXIT_USAGE;
	t = topo_open(o.source, err, sizeof(err));
	if (!t) {
		errmsg("topo: %s", err);
		return EXIT_USAGE;
	}
	if (o.threads && make_plan(t, &o, &p))
		goto out;
	if (o.json) {
		ret = print_json(t, &o, &p);
		goto out;
	}
	topo_print(t, stdout);
	if (o.threads)
		print_plan(t, &p);
	ret = EXIT_OK;
out:
	free(p.cpus);
	topo_close(t);
	return ret;
}
