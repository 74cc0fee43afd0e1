// SPDX-License-Identifier: MIT
/* Topology planning on hwloc synthetic and XML topologies, and this machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "machine/topo.h"

int cmd_topo(int argc, char **argv);

#define ONE_NODE	"synthetic:pack:1 core:2 pu:1"
#define TWO_NODES	"synthetic:pack:2 numa:1 core:4 pu:2"
#define FOUR_NODES	"synthetic:pack:4 numa:1 core:2 pu:1"
#define SNC_NODES	"synthetic:pack:2 numa:2 core:2 pu:2"
#define NO_MEMORY	"synthetic:pack:2 [numa] core:2 pu:1"
/* SMT siblings numbered like most x86 machines: CPU n and n + 4. */
#define SPLIT_SMT	"synthetic:pack:2 numa:1 core:2 pu:2(indexes=0,4,1,5,2,6,3,7)"

/*
 * Nodes 0 and 1: a package each, 2 cores x 2 PUs, 1 GiB.  Node 2: 4 GiB
 * and no CPU of its own (hwloc attaches it to the machine, so its cpuset
 * is every CPU: it must still own none).  With a SLIT-like matrix.
 */
#define OBJ(type, os, cpus, nodes) \
	"<object type=\"" type "\" os_index=\"" #os "\" cpuset=\"" cpus \
	"\" complete_cpuset=\"" cpus "\" nodeset=\"" nodes "\" complete_nodeset=\"" nodes "\""
static const char memonly_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
	"<topology version=\"2.0\">\n"
	OBJ("Machine", 0, "0x000000ff", "0x00000007")
	" allowed_cpuset=\"0x000000ff\" allowed_nodeset=\"0x00000007\">\n"
	OBJ("NUMANode", 2, "0x000000ff", "0x00000004") " local_memory=\"4294967296\"/>\n"
	OBJ("Package", 0, "0x0000000f", "0x00000001") ">\n"
	OBJ("NUMANode", 0, "0x0000000f", "0x00000001") " local_memory=\"1073741824\"/>\n"
	OBJ("Core", 0, "0x00000003", "0x00000001") ">\n"
	OBJ("PU", 0, "0x00000001", "0x00000001") "/>\n"
	OBJ("PU", 1, "0x00000002", "0x00000001") "/>\n"
	"</object>\n"
	OBJ("Core", 1, "0x0000000c", "0x00000001") ">\n"
	OBJ("PU", 2, "0x00000004", "0x00000001") "/>\n"
	OBJ("PU", 3, "0x00000008", "0x00000001") "/>\n"
	"</object>\n"
	"</object>\n"
	OBJ("Package", 1, "0x000000f0", "0x00000002") ">\n"
	OBJ("NUMANode", 1, "0x000000f0", "0x00000002") " local_memory=\"1073741824\"/>\n"
	OBJ("Core", 2, "0x00000030", "0x00000002") ">\n"
	OBJ("PU", 4, "0x00000010", "0x00000002") "/>\n"
	OBJ("PU", 5, "0x00000020", "0x00000002") "/>\n"
	"</object>\n"
	OBJ("Core", 3, "0x000000c0", "0x00000002") ">\n"
	OBJ("PU", 6, "0x00000040", "0x00000002") "/>\n"
	OBJ("PU", 7, "0x00000080", "0x00000002") "/>\n"
	"</object>\n"
	"</object>\n"
	"</object>\n"
	"<distances2 type=\"NUMANode\" nbobjs=\"3\" kind=\"5\" indexing=\"os\">\n"
	"<indexes length=\"6\">0 1 2 </indexes>\n"
	"<u64values length=\"27\">10 21 30 21 10 30 30 30 10 </u64values>\n"
	"</distances2>\n"
	"</topology>\n";

static char tmpdir[64], memonly_path[96];

static int write_fixture(void **state)
{
	FILE *f;

	(void)state;
	strcpy(tmpdir, "/tmp/test_topo.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(memonly_path, sizeof(memonly_path), "%s/memonly.xml", tmpdir);
	f = fopen(memonly_path, "w");
	if (!f)
		return -1;
	fputs(memonly_xml, f);
	return fclose(f) ? -1 : 0;
}

static int remove_fixture(void **state)
{
	(void)state;
	unlink(memonly_path);
	rmdir(tmpdir);
	return 0;
}

static struct topo *open_ok(const char *source)
{
	char err[256] = "";
	struct topo *t = topo_open(source, err, sizeof(err));

	if (!t)
		fail_msg("topo_open(%s): %s", source ? source : "NULL", err);
	return t;
}

static const struct topo_pu *pu_of(struct topo *t, int cpu)
{
	unsigned n;
	const struct topo_pu *p = topo_pus(t, &n);

	for (unsigned i = 0; i < n; i++)
		if (p[i].cpu == cpu)
			return &p[i];
	fail_msg("cpu %d not in the topology", cpu);
	return NULL;
}

static void plan_ok(struct topo *t, enum pin_policy pol, int node, unsigned n, bool over,
		    int *cpus)
{
	char err[256] = "";

	if (topo_plan_threads(t, pol, node, n, over, cpus, err, sizeof(err)))
		fail_msg("plan %s node %d %u threads: %s", pin_policy_name(pol), node, n, err);
}

static void plan_fails(struct topo *t, enum pin_policy pol, int node, unsigned n, bool over,
		       const char *msg)
{
	char err[256] = "";
	int cpus[64];

	assert_int_equal(topo_plan_threads(t, pol, node, n, over, cpus, err, sizeof(err)), -1);
	if (!strstr(err, msg))
		fail_msg("error '%s' does not say '%s'", err, msg);
	assert_null(strchr(err, '\n'));
}

static void expect_cpus(const int *got, const int *want, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("thread %u on CPU %d, expected %d", i, got[i], want[i]);
}

static int count_placements(struct topo *t, const char *kind, char *why, size_t len)
{
	struct placement_pair pp[64];
	int n = topo_plan_placements(t, kind, pp, (int)ARRAY_SIZE(pp), why, len);

	assert_int_equal(topo_plan_placements(t, kind, NULL, 0, NULL, 0), n);
	for (int i = 0; i < n; i++) {
		assert_true(topo_node_has_cpus(t, pp[i].cpu_node));
		assert_true(topo_node_has_memory(t, pp[i].mem_node));
	}
	return n;
}

static void test_policy_names(void **state)
{
	(void)state;
	assert_int_equal(pin_policy_parse("core"), PIN_CORE);
	assert_int_equal(pin_policy_parse("compact"), PIN_COMPACT);
	assert_int_equal(pin_policy_parse("scatter"), PIN_SCATTER);
	assert_int_equal(pin_policy_parse("Core"), -1);
	assert_int_equal(pin_policy_parse(""), -1);
	assert_int_equal(pin_policy_parse(NULL), -1);
	for (int p = PIN_CORE; p <= PIN_SCATTER; p++)
		assert_int_equal(pin_policy_parse(pin_policy_name(p)), p);
}

static void test_open_errors(void **state)
{
	const char *bad[] = { "synthetic:frobnicate:3", "/nonexistent/topo.xml", "foo",
			      "synthetic:", "" };
	char err[256];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_null(topo_open(bad[i], err, sizeof(err)));
		assert_true(err[0] != '\0');
		assert_null(strchr(err, '\n'));
	}
	assert_null(topo_open("foo", NULL, 0));
	topo_close(NULL);
}

/*
 * hwloc builds a synthetic topology in time and memory quadratic in its PUs
 * (262144: over a minute and 2.4 GB): more than a Linux machine can have
 * (8192) is refused at once, saying so; 8192 itself still loads.
 */
static void test_synthetic_too_big(void **state)
{
	struct topo *t;
	char err[256];
	uint64_t t0 = now_ns();

	(void)state;
	assert_null(topo_open("synthetic:pack:64 numa:4 core:64 pu:16", err, sizeof(err)));
	assert_non_null(strstr(err, "more than 8192 PUs"));
	assert_null(topo_open("synthetic:pack:2 core:99999999999 pu:2", err, sizeof(err)));
	assert_non_null(strstr(err, "more than 8192 PUs"));
	assert_true(now_ns() - t0 < 1000000000ull);
	t = topo_open("synthetic:pack:2 numa:2 core:1024 pu:2", err, sizeof(err));
	assert_non_null(t);
	topo_close(t);
}

static void test_one_node_no_smt(void **state)
{
	struct topo *t = open_ok(ONE_NODE);
	int cpus[8], want_over[] = { 0, 1, 0, 1, 0 };
	char why[160];
	json_t *j;

	(void)state;
	assert_int_equal(topo_nr_nodes(t), 1);
	assert_true(topo_node_exists(t, 0));
	assert_false(topo_node_exists(t, 1));
	assert_true(topo_node_has_memory(t, 0));
	assert_true(topo_node_has_cpus(t, 0));
	assert_int_equal(topo_nr_cpus(t, -1), 2);
	assert_int_equal(topo_nr_cpus(t, 0), 2);
	assert_int_equal(topo_nr_cores(t, -1), 2);
	for (int p = PIN_CORE; p <= PIN_SCATTER; p++) {
		assert_int_equal(topo_plan_capacity(t, p, -1), 2);
		plan_ok(t, p, -1, 2, false, cpus);
		expect_cpus(cpus, (int[]){ 0, 1 }, 2);
	}
	plan_fails(t, PIN_CORE, -1, 3, false, "3 threads > 2 cores (use --oversubscribe)");
	plan_fails(t, PIN_COMPACT, 0, 3, false, "3 threads > 2 CPUs on node 0 (use --oversubscribe)");
	plan_ok(t, PIN_CORE, -1, 5, true, cpus);
	expect_cpus(cpus, want_over, 5);
	plan_fails(t, PIN_CORE, -1, 0, false, "0 threads");

	assert_int_equal(count_placements(t, "local", why, sizeof(why)), 1);
	assert_string_equal(why, "");
	assert_int_equal(count_placements(t, "all", why, sizeof(why)), 1);
	assert_int_equal(count_placements(t, "remote", why, sizeof(why)), 0);
	assert_non_null(strstr(why, "1 NUMA node"));

	j = topo_to_json(t);
	assert_non_null(j);
	assert_false(json_is_true(json_object_get(j, "smt")));
	assert_int_equal(json_integer_value(json_object_get(j, "numa_nodes")), 1);
	assert_int_equal(json_integer_value(json_object_get(j, "pus")), 2);
	assert_true(json_is_null(json_object_get(j, "distances")));
	json_decref(j);
	topo_close(t);
}

/* No two of the first n threads on one core, for every n up to the cores. */
static void check_core_policy_spreads(struct topo *t, int node)
{
	unsigned cores = topo_nr_cores(t, node);
	int cpus[64];

	assert_true(cores <= 64);
	for (unsigned n = 1; n <= cores; n++) {
		plan_ok(t, PIN_CORE, node, n, false, cpus);
		for (unsigned a = 0; a < n; a++) {
			assert_int_equal(pu_of(t, cpus[a])->smt, 0);
			if (node >= 0)
				assert_int_equal(topo_cpu_node(t, cpus[a]), node);
			for (unsigned b = a + 1; b < n; b++)
				assert_int_not_equal(pu_of(t, cpus[a])->core, pu_of(t, cpus[b])->core);
		}
	}
}

/* A plan for n threads is the start of the plan for more. */
static void check_prefixes(struct topo *t)
{
	int all[64], some[64];
	unsigned n = topo_nr_cpus(t, -1) * 2;

	assert_true(n <= 64);
	for (int p = PIN_CORE; p <= PIN_SCATTER; p++) {
		plan_ok(t, p, -1, n, true, all);
		for (unsigned k = 1; k < n; k++) {
			plan_ok(t, p, -1, k, true, some);
			expect_cpus(some, all, k);
		}
	}
}

static void test_two_nodes_smt(void **state)
{
	struct topo *t = open_ok(TWO_NODES);
	int cpus[64];
	char why[160];
	struct placement_pair pp[4];

	(void)state;
	assert_int_equal(topo_nr_nodes(t), 2);
	assert_int_equal(topo_nr_packages(t), 2);
	assert_int_equal(topo_nr_cpus(t, -1), 16);
	assert_int_equal(topo_nr_cpus(t, 1), 8);
	assert_int_equal(topo_nr_cores(t, -1), 8);
	assert_int_equal(topo_nr_cores(t, 0), 4);
	assert_int_equal(topo_cpu_node(t, 7), 0);
	assert_int_equal(topo_cpu_node(t, 8), 1);
	assert_int_equal(topo_cpu_node(t, 16), -1);
	assert_int_equal(topo_plan_capacity(t, PIN_CORE, -1), 8);
	assert_int_equal(topo_plan_capacity(t, PIN_COMPACT, -1), 16);
	assert_int_equal(topo_plan_capacity(t, PIN_SCATTER, 1), 8);
	assert_int_equal(topo_plan_capacity(t, PIN_CORE, 5), 0);

	/* core: one per core, in order; siblings only once every core has one */
	check_core_policy_spreads(t, -1);
	check_core_policy_spreads(t, 1);
	plan_ok(t, PIN_CORE, -1, 8, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 2, 4, 6, 8, 10, 12, 14 }, 8);
	plan_fails(t, PIN_CORE, -1, 9, false,
		   "9 threads > 8 cores (use --oversubscribe, or --policy compact for SMT siblings)");
	plan_ok(t, PIN_CORE, -1, 17, true, cpus);
	expect_cpus(cpus, (int[]){ 0, 2, 4, 6, 8, 10, 12, 14,
				   1, 3, 5, 7, 9, 11, 13, 15, 0 }, 17);

	/* compact: SMT siblings first */
	plan_ok(t, PIN_COMPACT, -1, 4, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 1, 2, 3 }, 4);
	assert_int_equal(pu_of(t, cpus[0])->core, pu_of(t, cpus[1])->core);
	plan_ok(t, PIN_COMPACT, 1, 3, false, cpus);
	expect_cpus(cpus, (int[]){ 8, 9, 10 }, 3);
	plan_fails(t, PIN_COMPACT, -1, 17, false, "17 threads > 16 CPUs (use --oversubscribe)");

	/* scatter: nodes alternate, one core a turn, siblings last */
	plan_ok(t, PIN_SCATTER, -1, 16, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 8, 2, 10, 4, 12, 6, 14,
				   1, 9, 3, 11, 5, 13, 7, 15 }, 16);
	plan_ok(t, PIN_SCATTER, 0, 4, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 2, 4, 6 }, 4);

	/* node restriction */
	plan_ok(t, PIN_CORE, 1, 4, false, cpus);
	expect_cpus(cpus, (int[]){ 8, 10, 12, 14 }, 4);
	plan_fails(t, PIN_CORE, 1, 5, false, "5 threads > 4 cores on node 1");
	plan_fails(t, PIN_SCATTER, 1, 9, false, "9 threads > 8 CPUs on node 1 (use --oversubscribe)");
	plan_fails(t, PIN_CORE, 2, 1, false, "node 2 does not exist (nodes: 0-1)");
	plan_fails(t, PIN_CORE, -7, 1, true, "node -7 does not exist (nodes: 0-1)");
	check_prefixes(t);

	assert_int_equal(count_placements(t, "local", why, sizeof(why)), 2);
	assert_int_equal(count_placements(t, "remote", why, sizeof(why)), 2);
	assert_int_equal(topo_plan_placements(t, "remote", pp, 4, why, sizeof(why)), 2);
	assert_int_equal(pp[0].cpu_node, 0);
	assert_int_equal(pp[0].mem_node, 1);
	assert_int_equal(pp[1].cpu_node, 1);
	assert_int_equal(pp[1].mem_node, 0);
	assert_int_equal(count_placements(t, "all", why, sizeof(why)), 4);
	assert_int_equal(topo_plan_placements(t, "all", pp, 3, why, sizeof(why)), -1);
	assert_int_equal(topo_plan_placements(t, "near", pp, 4, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "near"));
	assert_int_equal(topo_bind_thread(t, 0), -EOPNOTSUPP);
	topo_close(t);
}

static void test_four_nodes(void **state)
{
	struct topo *t = open_ok(FOUR_NODES);
	int cpus[16], nodes[] = { 0, 1, 2, 3, 0, 1, 2, 3 }, snc_nodes[] = { 0, 2, 1, 3 };
	char why[160];

	(void)state;
	assert_int_equal(topo_nr_nodes(t), 4);
	plan_ok(t, PIN_SCATTER, -1, 8, false, cpus);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(topo_cpu_node(t, cpus[i]), nodes[i]);
	plan_ok(t, PIN_CORE, -1, 3, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 1, 2 }, 3);
	plan_ok(t, PIN_CORE, 3, 2, false, cpus);
	expect_cpus(cpus, (int[]){ 6, 7 }, 2);
	plan_fails(t, PIN_CORE, 3, 3, false, "3 threads > 2 cores on node 3 (use --oversubscribe)");
	plan_fails(t, PIN_CORE, 4, 1, false, "node 4 does not exist (nodes: 0-3)");
	assert_int_equal(count_placements(t, "local", why, sizeof(why)), 4);
	assert_int_equal(count_placements(t, "remote", why, sizeof(why)), 12);
	assert_int_equal(count_placements(t, "all", why, sizeof(why)), 16);
	check_prefixes(t);
	topo_close(t);

	/* Two nodes per package: scatter alternates packages as well. */
	t = open_ok(SNC_NODES);
	assert_int_equal(topo_nr_nodes(t), 4);
	assert_int_equal(topo_nr_packages(t), 2);
	plan_ok(t, PIN_SCATTER, -1, 8, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 8, 4, 12, 2, 10, 6, 14 }, 8);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(topo_cpu_node(t, cpus[i]), snc_nodes[i]);
	check_core_policy_spreads(t, -1);
	check_core_policy_spreads(t, 2);
	topo_close(t);
}

static void test_memory_only_node(void **state)
{
	struct topo *t = open_ok(memonly_path);
	struct placement_pair pp[16];
	char why[160];
	int cpus[8], n;
	json_t *j, *d, *node2;

	(void)state;
	assert_int_equal(topo_nr_nodes(t), 3);
	assert_true(topo_node_exists(t, 2));
	assert_true(topo_node_has_memory(t, 2));
	assert_false(topo_node_has_cpus(t, 2));
	assert_int_equal(topo_nr_cpus(t, 2), 0);
	assert_int_equal(topo_nr_cpus(t, 0), 4);
	assert_int_equal(topo_node_memory(t, 2), 4ull << 30);
	for (int cpu = 0; cpu < 8; cpu++)
		assert_int_equal(topo_cpu_node(t, cpu), cpu / 4);
	assert_int_equal(topo_plan_capacity(t, PIN_COMPACT, 2), 0);
	plan_fails(t, PIN_CORE, 2, 1, false, "node 2 has no allowed CPUs (nodes with CPUs: 0-1)");
	plan_fails(t, PIN_COMPACT, 2, 1, true, "node 2 has no allowed CPUs");
	plan_ok(t, PIN_SCATTER, -1, 4, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 4, 2, 6 }, 4);

	assert_int_equal(count_placements(t, "local", why, sizeof(why)), 2);
	assert_int_equal(count_placements(t, "remote", why, sizeof(why)), 4);
	n = topo_plan_placements(t, "all", pp, 16, why, sizeof(why));
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++)
		assert_int_not_equal(pp[i].cpu_node, 2);
	assert_int_equal(pp[2].cpu_node, 0);
	assert_int_equal(pp[2].mem_node, 2);

	assert_non_null(topo_distances(t));
	assert_int_equal(topo_distances(t)[0 * 3 + 2], 30);
	assert_int_equal(topo_distances(t)[1 * 3 + 1], 10);
	j = topo_to_json(t);
	d = json_object_get(j, "distances");
	assert_int_equal(json_array_size(d), 3);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(d, 0), 1)), 21);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(d, 2), 0)), 30);
	node2 = json_array_get(json_object_get(j, "nodes"), 2);
	assert_int_equal(json_integer_value(json_object_get(node2, "os_index")), 2);
	assert_string_equal(json_string_value(json_object_get(node2, "cpus")), "");
	assert_int_equal(json_array_size(json_object_get(node2, "cpu_list")), 0);
	assert_true(json_is_true(json_object_get(j, "smt")));
	json_decref(j);
	topo_close(t);
}

static void test_nodes_without_memory(void **state)
{
	struct topo *t = open_ok(NO_MEMORY);
	char why[160];

	(void)state;
	assert_int_equal(topo_nr_nodes(t), 2);
	assert_false(topo_node_has_memory(t, 0));
	assert_true(topo_node_has_cpus(t, 0));
	for (unsigned i = 0; i < 3; i++) {
		const char *kind = (const char *[]){ "local", "remote", "all" }[i];

		assert_int_equal(count_placements(t, kind, why, sizeof(why)), 0);
		assert_non_null(strstr(why, "no NUMA node reports memory"));
	}
	topo_close(t);
}

static void test_split_smt_numbering(void **state)
{
	struct topo *t = open_ok(SPLIT_SMT);
	int cpus[8];
	json_t *j;

	(void)state;
	plan_ok(t, PIN_CORE, -1, 4, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 1, 2, 3 }, 4);
	plan_ok(t, PIN_CORE, -1, 8, true, cpus);
	expect_cpus(cpus, (int[]){ 0, 1, 2, 3, 4, 5, 6, 7 }, 8);
	plan_ok(t, PIN_COMPACT, -1, 8, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 4, 1, 5, 2, 6, 3, 7 }, 8);
	plan_ok(t, PIN_SCATTER, -1, 8, false, cpus);
	expect_cpus(cpus, (int[]){ 0, 2, 1, 3, 4, 6, 5, 7 }, 8);
	plan_ok(t, PIN_CORE, 1, 2, false, cpus);
	expect_cpus(cpus, (int[]){ 2, 3 }, 2);
	check_core_policy_spreads(t, -1);
	assert_int_equal(topo_cpu_node(t, 5), 0);
	assert_int_equal(topo_cpu_node(t, 6), 1);
	j = topo_to_json(t);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "nodes"), 0), "cpus")), "0-1,4-5");
	json_decref(j);
	topo_close(t);
}

static void test_format_list(void **state)
{
	char buf[64], tiny[4];

	(void)state;
	assert_string_equal(topo_format_list(buf, sizeof(buf), NULL, 0), "");
	assert_string_equal(topo_format_list(buf, sizeof(buf), (int[]){ 3 }, 1), "3");
	assert_string_equal(topo_format_list(buf, sizeof(buf), (int[]){ 0, 1, 2, 3 }, 4), "0-3");
	assert_string_equal(topo_format_list(buf, sizeof(buf),
					     (int[]){ 0, 1, 4, 6, 7, 8, 10 }, 7), "0-1,4,6-8,10");
	topo_format_list(tiny, sizeof(tiny), (int[]){ 10, 12, 14, 16 }, 4);
	assert_true(strlen(tiny) < sizeof(tiny));
}

static char *print_to_string(struct topo *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	topo_print(t, f);
	fclose(f);
	return buf;
}

static void test_print(void **state)
{
	struct topo *t = open_ok(ONE_NODE);
	char *s = print_to_string(t);

	(void)state;
	assert_non_null(strstr(s, "1 NUMA node: remote placement impossible"));
	assert_non_null(strstr(s, "no SMT"));
	free(s);
	topo_close(t);

	t = open_ok(memonly_path);
	s = print_to_string(t);
	assert_non_null(strstr(s, "SMT siblings: 0,1 2,3"));
	assert_non_null(strstr(s, "node 2: 4.0 GiB, no CPUs (memory only)"));
	assert_non_null(strstr(s, "remote  4: 0>1 0>2 1>0 1>2"));
	assert_non_null(strstr(s, "   21"));
	free(s);
	topo_close(t);
}

static void test_this_machine(void **state)
{
	struct topo *t = open_ok(NULL);
	cpu_set_t saved, now;
	char why[160];
	int cpu;

	(void)state;
	assert_true(topo_nr_nodes(t) >= 1);
	assert_true(topo_nr_cpus(t, -1) >= 1);
	assert_true(count_placements(t, "all", why, sizeof(why)) >= 1);
	plan_ok(t, PIN_CORE, -1, 1, false, &cpu);
	assert_true(topo_node_exists(t, topo_cpu_node(t, cpu)));
	assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
	assert_true(CPU_ISSET(cpu, &saved));
	assert_int_equal(topo_bind_thread(t, cpu), 0);
	assert_int_equal(sched_getaffinity(0, sizeof(now), &now), 0);
	assert_int_equal(CPU_COUNT(&now), 1);
	assert_true(CPU_ISSET(cpu, &now));
	assert_int_equal(sched_getcpu(), cpu);
	assert_int_equal(topo_bind_thread(t, -1), -EINVAL);
	assert_int_equal(sched_setaffinity(0, sizeof(saved), &saved), 0);
	topo_close(t);
}

struct bind_arg {
	struct topo *t;
	int cpu, ret, count;
	bool on_cpu;
};

static void *bind_one(void *p)
{
	struct bind_arg *a = p;
	cpu_set_t set;

	a->ret = topo_bind_thread(a->t, a->cpu);
	if (a->ret || sched_getaffinity(0, sizeof(set), &set))
		return NULL;
	a->count = CPU_COUNT(&set);
	a->on_cpu = CPU_ISSET(a->cpu, &set) && sched_getcpu() == a->cpu;
	return NULL;
}

/* Threads pin themselves concurrently through one topology, as the harness does. */
static void test_bind_threads(void **state)
{
	struct topo *t = open_ok(NULL);
	unsigned n = topo_plan_capacity(t, PIN_COMPACT, -1);
	struct bind_arg a[64];
	pthread_t th[64];
	int cpus[64];

	(void)state;
	if (n > 64)
		n = 64;
	plan_ok(t, PIN_COMPACT, -1, n, false, cpus);
	for (unsigned i = 0; i < n; i++) {
		a[i] = (struct bind_arg){ .t = t, .cpu = cpus[i], .ret = -1 };
		assert_int_equal(pthread_create(&th[i], NULL, bind_one, &a[i]), 0);
	}
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(a[i].ret, 0);
		assert_int_equal(a[i].count, 1);
		assert_true(a[i].on_cpu);
	}
	topo_close(t);
}

/* Run cmd_topo with stdout and stderr sent to /dev/null. */
static int run_cmd(const char *a1, const char *a2, const char *a3, const char *a4,
		   const char *a5, const char *a6)
{
	char *argv[] = { "topo", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
			 (char *)a5, (char *)a6, NULL };
	int argc = 1, out, err, null, ret;

	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	err = dup(2);
	null = open("/dev/null", O_WRONLY);
	assert_true(out >= 0 && err >= 0 && null >= 0);
	dup2(null, 1);
	dup2(null, 2);
	ret = cmd_topo(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return ret;
}

static void test_cmd_topo(void **state)
{
	(void)state;
	assert_int_equal(run_cmd("--help", NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_cmd(NULL, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_cmd("--json", NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(run_cmd("--source", TWO_NODES, "--threads", "8", "--json", NULL), 0);
	assert_int_equal(run_cmd("--source=" TWO_NODES, "--threads=all", "--policy=scatter",
				 "--node=1", NULL, NULL), 0);
	assert_int_equal(run_cmd("--source", TWO_NODES, "--threads", "9", NULL, NULL), 2);
	assert_int_equal(run_cmd("--source", TWO_NODES, "--threads", "9", "--oversubscribe",
				 NULL), 0);
	assert_int_equal(run_cmd("--source", TWO_NODES, "--threads", "2", "--policy", "rr"), 2);
	assert_int_equal(run_cmd("--source", TWO_NODES, "--threads", "2", "--node", "5"), 2);
	assert_int_equal(run_cmd("--source", memonly_path, "--threads", "1", "--node", "2"), 2);
	assert_int_equal(run_cmd("--source", memonly_path, "--threads", "1", "--node", "1"), 0);
	assert_int_equal(run_cmd("--source", "nowhere", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run_cmd("--policy", "core", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run_cmd("--threads", "0", NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run_cmd("--threads", NULL, NULL, NULL, NULL, NULL), 2);
	assert_int_equal(run_cmd("extra", NULL, NULL, NULL, NULL, NULL), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_names),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_synthetic_too_big),
		cmocka_unit_test(test_one_node_no_smt),
		cmocka_unit_test(test_two_nodes_smt),
		cmocka_unit_test(test_four_nodes),
		cmocka_unit_test(test_memory_only_node),
		cmocka_unit_test(test_nodes_without_memory),
		cmocka_unit_test(test_split_smt_numbering),
		cmocka_unit_test(test_format_list),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_this_machine),
		cmocka_unit_test(test_bind_threads),
		cmocka_unit_test(test_cmd_topo),
	};

	return cmocka_run_group_tests(tests, write_fixture, remove_fixture);
}
