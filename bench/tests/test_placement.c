// SPDX-License-Identifier: MIT
/*
 * Placement as a dimension of `run`: option parsing and the placement plan
 * on synthetic topologies (1, 2, 4 nodes, a memory-only node, nodes without
 * memory), the matrix expansion, the verification arithmetic, and on this
 * machine mbind + move_pages and real runs of the CLI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include "core/common.h"
#include "machine/placement.h"
#include "run/run.h"

#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ONE_NODE	"synthetic:pack:1 core:2 pu:1"
#define TWO_NODES	"synthetic:pack:2 numa:1 core:4 pu:2"
#define FOUR_NODES	"synthetic:pack:4 numa:1 core:2 pu:1"
#define NO_MEMORY	"synthetic:pack:2 [numa] core:2 pu:1"

/* Nodes 0 and 1 with 4 CPUs and 1 GiB each; node 2: 4 GiB, no CPU. */
#define OBJ(type, os, cpus, nodes) \
	"<object type=\"" type "\" os_index=\"" #os "\" cpuset=\"" cpus \
	"\" complete_cpuset=\"" cpus "\" nodeset=\"" nodes "\" complete_nodeset=\"" nodes "\""
#define PU(os, bit, node) OBJ("PU", os, bit, node) "/>\n"
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
	PU(0, "0x00000001", "0x00000001") PU(1, "0x00000002", "0x00000001") "</object>\n"
	OBJ("Core", 1, "0x0000000c", "0x00000001") ">\n"
	PU(2, "0x00000004", "0x00000001") PU(3, "0x00000008", "0x00000001") "</object>\n"
	"</object>\n"
	OBJ("Package", 1, "0x000000f0", "0x00000002") ">\n"
	OBJ("NUMANode", 1, "0x000000f0", "0x00000002") " local_memory=\"1073741824\"/>\n"
	OBJ("Core", 2, "0x00000030", "0x00000002") ">\n"
	PU(4, "0x00000010", "0x00000002") PU(5, "0x00000020", "0x00000002") "</object>\n"
	OBJ("Core", 3, "0x000000c0", "0x00000002") ">\n"
	PU(6, "0x00000040", "0x00000002") PU(7, "0x00000080", "0x00000002") "</object>\n"
	"</object>\n"
	"</object>\n"
	"</topology>\n";

static char memonly_path[96];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	if (!tmp_make("place"))
		return -1;
	snprintf(memonly_path, sizeof(memonly_path), "%s/memonly.xml", tmp);
	f = fopen(memonly_path, "w");
	if (!f)
		return -1;
	fputs(memonly_xml, f);
	return fclose(f);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) ? -1 : 0;
}

static struct topo *open_ok(const char *src)
{
	char err[256];
	struct topo *t = topo_open(src, err, sizeof(err));

	if (!t)
		fail_msg("topo_open(%s): %s", src ? src : "this machine", err);
	return t;
}

static unsigned numa_nodes_here(void)
{
	struct topo *t = open_ok(NULL);
	unsigned n = topo_nr_nodes(t);

	topo_close(t);
	return n;
}

/* Options from "opt=val" strings, NULL-terminated; must parse. */
static void opts(struct place_opts *o, const char *const *kv)
{
	char err[256], key[32];

	place_opts_init(o);
	for (; *kv; kv++) {
		const char *eq = strchr(*kv, '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - *kv), *kv);
		if (place_opts_set(o, key, eq + 1, err, sizeof(err)))
			fail_msg("%s: %s", *kv, err);
	}
}

#define OPTS(o, ...) opts(o, (const char *const[]){ __VA_ARGS__, NULL })

/* Plan src with options; the cells' names joined by spaces into names. */
static int plan(const char *src, const struct place_opts *o, struct place_cell *pc,
		char *names, size_t len, char *err, size_t errlen)
{
	struct topo *t = open_ok(src);
	int n = place_plan(t, o, pc, PLACE_MAX_NODES, err, errlen);

	names[0] = '\0';
	for (int i = 0; i < n; i++)
		snprintf(names + strlen(names), len - strlen(names), "%s%s", i ? " " : "",
			 pc[i].name);
	topo_close(t);
	return n;
}

static void expect_plan(const char *src, const struct place_opts *o, const char *want)
{
	struct place_cell pc[PLACE_MAX_NODES];
	char names[512], err[256];

	int n = plan(src, o, pc, names, sizeof(names), err, sizeof(err));

	if (n < 0)
		fail_msg("%s: %s", src, err);
	assert_string_equal(names, want);
	for (int i = 0; i < n; i++)
		assert_string_equal(pc[i].skip, "");
}

static void expect_error(const char *src, const struct place_opts *o, const char *says)
{
	struct place_cell pc[PLACE_MAX_NODES];
	char names[512], err[256];

	assert_int_equal(plan(src, o, pc, names, sizeof(names), err, sizeof(err)), -1);
	if (!strstr(err, says))
		fail_msg("want '%s' in '%s'", says, err);
}

static void test_parse(void **state)
{
	static const struct { const char *opt, *val, *says; } bad[] = {
		{ "placement", "far", "unknown placement 'far'" },
		{ "cpu-node", "local", "bad node" },
		{ "cpu-node", "interleave", "bad node" },
		{ "cpu-node", "3-1", "bad node range" },
		{ "mem-node", "64", "bad node range" },
		{ "mem-node", "", "needs a value" },
		{ "src-node", "0,1", "want one node" },
		{ "src-node", "interleave", "bad node" },
	};
	struct place_opts o;
	char err[256];

	(void)state;
	place_opts_init(&o);
	assert_false(place_opts_given(&o));
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		place_opts_init(&o);
		assert_int_equal(place_opts_set(&o, bad[i].opt, bad[i].val, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].says))
			fail_msg("--%s %s: want '%s' in '%s'", bad[i].opt, bad[i].val, bad[i].says, err);
	}
	OPTS(&o, "cpu-node=0,2-3", "mem-node=local", "src-node=any");
	assert_true(place_opts_given(&o));
	assert_int_equal(o.nr_cpu, 3);
	assert_int_equal(o.cpu[2], 3);
	assert_int_equal(o.mem[0], PLACE_LOCAL);
	assert_int_equal(o.src, PLACE_ANY);
	OPTS(&o, "mem-node=interleave");
	assert_int_equal(o.mem[0], PLACE_INTERLEAVE);
	OPTS(&o, "placement=remote");
	assert_string_equal(o.shorthand, "remote");
}

static void test_one_node(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_opts o;
	char names[512], err[256];

	(void)state;
	OPTS(&o, "placement=local");
	expect_plan(ONE_NODE, &o, "0>0");
	OPTS(&o, "placement=all");
	expect_plan(ONE_NODE, &o, "0>0");
	OPTS(&o, "placement=interleave");
	expect_plan(ONE_NODE, &o, "0>i");
	/* remote: one cell, skipped with the reason, never faked */
	OPTS(&o, "placement=remote");
	assert_int_equal(plan(ONE_NODE, &o, pc, names, sizeof(names), err, sizeof(err)), 1);
	assert_string_equal(pc[0].name, "remote");
	assert_string_equal(pc[0].skip, "1 NUMA node: remote placement impossible");
	assert_int_equal(pc[0].mpol, PLACE_MPOL_DEFAULT);
	OPTS(&o, "mem-node=5");
	expect_error(ONE_NODE, &o, "--mem-node 5: node 5 does not exist (nodes with memory: 0)");
	OPTS(&o, "cpu-node=1");
	expect_error(ONE_NODE, &o, "--cpu-node 1: node 1 does not exist");
	OPTS(&o, "src-node=2");
	expect_error(ONE_NODE, &o, "--src-node 2");
	OPTS(&o, "mem-node=local");
	expect_error(ONE_NODE, &o, "--mem-node local needs --cpu-node");
	OPTS(&o, "placement=local", "cpu-node=0");
	expect_error(ONE_NODE, &o, "cannot be combined");
}

static void test_two_nodes(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_opts o;
	char names[512], err[256];

	(void)state;
	OPTS(&o, "placement=local");
	expect_plan(TWO_NODES, &o, "0>0 1>1");
	OPTS(&o, "placement=remote");
	expect_plan(TWO_NODES, &o, "0>1 1>0");
	OPTS(&o, "placement=all");
	expect_plan(TWO_NODES, &o, "0>0 0>1 1>0 1>1");
	OPTS(&o, "placement=interleave");
	assert_int_equal(plan(TWO_NODES, &o, pc, names, sizeof(names), err, sizeof(err)), 2);
	assert_string_equal(names, "0>i 1>i");
	assert_int_equal(pc[1].mpol, PLACE_MPOL_INTERLEAVE);
	assert_int_equal(pc[1].mem_mask[0], 3);
	assert_int_equal(pc[1].src_node, 1);		/* src local by default */
	OPTS(&o, "cpu-node=0,1", "mem-node=local");
	expect_plan(TWO_NODES, &o, "0>0 1>1");
	OPTS(&o, "cpu-node=0", "mem-node=0,1", "src-node=1");
	assert_int_equal(plan(TWO_NODES, &o, pc, names, sizeof(names), err, sizeof(err)), 2);
	assert_string_equal(names, "0>0+s1 0>1+s1");
	assert_int_equal(pc[1].mpol, PLACE_MPOL_BIND);
	assert_int_equal(pc[1].mem_mask[0], 2);
	assert_int_equal(pc[0].src_node, 1);
	OPTS(&o, "cpu-node=any", "mem-node=1");
	expect_plan(TWO_NODES, &o, "a>1");
	OPTS(&o, "cpu-node=1");
	expect_plan(TWO_NODES, &o, "1>a");
	/* local and an explicit node meet: one cell */
	OPTS(&o, "cpu-node=0", "mem-node=local,0");
	expect_plan(TWO_NODES, &o, "0>0");
	OPTS(&o, "cpu-node=0-2");
	expect_error(TWO_NODES, &o, "node 2 does not exist (nodes with allowed CPUs: 0-1)");
}

static void test_four_nodes(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_opts o;
	char names[512], err[256];

	(void)state;
	OPTS(&o, "placement=all");
	assert_int_equal(plan(FOUR_NODES, &o, pc, names, sizeof(names), err, sizeof(err)), 16);
	OPTS(&o, "placement=remote");
	assert_int_equal(plan(FOUR_NODES, &o, pc, names, sizeof(names), err, sizeof(err)), 12);
	assert_string_equal(pc[0].name, "0>1");
	assert_string_equal(pc[11].name, "3>2");
	OPTS(&o, "cpu-node=0-3", "mem-node=2");
	expect_plan(FOUR_NODES, &o, "0>2 1>2 2>2 3>2");
	OPTS(&o, "placement=interleave");
	assert_int_equal(plan(FOUR_NODES, &o, pc, names, sizeof(names), err, sizeof(err)), 4);
	assert_int_equal(pc[3].mem_mask[0], 0xf);
}

static void test_memory_only_node(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_opts o;
	char names[512], err[256];

	(void)state;
	/* node 2 holds memory but no CPU: a memory target, never a CPU node */
	OPTS(&o, "placement=local");
	expect_plan(memonly_path, &o, "0>0 1>1");
	OPTS(&o, "placement=remote");
	expect_plan(memonly_path, &o, "0>1 0>2 1>0 1>2");
	OPTS(&o, "placement=all");
	expect_plan(memonly_path, &o, "0>0 0>1 0>2 1>0 1>1 1>2");
	OPTS(&o, "placement=interleave");
	assert_int_equal(plan(memonly_path, &o, pc, names, sizeof(names), err, sizeof(err)), 2);
	assert_int_equal(pc[0].mem_mask[0], 7);
	OPTS(&o, "cpu-node=0", "mem-node=2");
	expect_plan(memonly_path, &o, "0>2");
	OPTS(&o, "cpu-node=2");
	expect_error(memonly_path, &o, "--cpu-node 2: node 2 has no allowed CPUs (nodes with them: 0-1)");
}

static void test_nodes_without_memory(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_opts o;
	char names[512], err[256];

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		const char *kind[] = { "placement=local", "placement=remote", "placement=all" };

		OPTS(&o, kind[i]);
		assert_int_equal(plan(NO_MEMORY, &o, pc, names, sizeof(names), err, sizeof(err)), 1);
		assert_non_null(strstr(pc[0].skip, "no NUMA node reports memory"));
	}
	OPTS(&o, "placement=interleave");
	assert_int_equal(plan(NO_MEMORY, &o, pc, names, sizeof(names), err, sizeof(err)), 1);
	assert_string_equal(pc[0].skip, "no NUMA node reports memory: interleave impossible");
	OPTS(&o, "mem-node=0");
	expect_error(NO_MEMORY, &o, "--mem-node 0: node 0 has no memory (nodes with them: none)");
	OPTS(&o, "cpu-node=1");
	expect_plan(NO_MEMORY, &o, "1>a");
}

/* The matrix times the placements: every cell once per placement, own key. */
static void test_expand(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct run_spec spec;
	struct place_opts o;
	struct cell *cells;
	struct topo *t = open_ok(TWO_NODES);
	char err[256], key[160];
	int n, np;

	(void)state;
	spec_defaults(&spec);
	assert_int_equal(spec_set(&spec, "memtype", "anon", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&spec, "ioctl", "copy", err, sizeof(err)), 0);
	assert_int_equal(spec_set(&spec, "threads", "1,all", err, sizeof(err)), 0);
	OPTS(&o, "placement=all");
	np = place_plan(t, &o, pc, PLACE_MAX_NODES, err, sizeof(err));
	assert_int_equal(np, 4);
	/* "all" threads: the fewest a planned CPU node fits (4 cores each) */
	assert_int_equal(run_place_capacity(t, PIN_CORE, pc, np), 4);
	assert_int_equal(run_place_capacity(t, PIN_COMPACT, pc, np), 8);
	assert_int_equal(run_place_capacity(t, PIN_CORE, NULL, 0), 8);
	n = spec_expand(&spec, run_place_capacity(t, PIN_CORE, pc, np), &cells, err, sizeof(err));
	assert_int_equal(n, 4);		/* 2 batches x 2 thread counts */
	assert_int_equal(run_place_expand(&cells, n, pc, 0), 4);
	n = run_place_expand(&cells, n, pc, np);
	assert_int_equal(n, 16);
	cell_key(&cells[0], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t1/0>0");
	cell_key(&cells[3], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t1/1>1");
	cell_key(&cells[7], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t4/1>1");
	assert_int_equal(run_place_cpu_node(&cells[2]), 1);
	cells[0].place = NULL;
	cell_key(&cells[0], key, sizeof(key));
	assert_string_equal(key, "anon/copy/b1/t1/none");	/* old results still match */
	assert_int_equal(run_place_cpu_node(&cells[0]), -1);
	free(cells);
	topo_close(t);
}

static void test_verify_arithmetic(void **state)
{
	struct place_cell p = { .cpu_node = 0, .mem_node = 1, .mpol = PLACE_MPOL_BIND };
	struct place_verify v = { 0 }, sum = { 0 };
	char note[160];

	(void)state;
	assert_true(place_mem_fraction(&v) < 0);
	assert_true(place_cpu_fraction(&v) < 0);
	assert_true(place_verified_ok(&v));
	v = (struct place_verify){ .pages_sampled = 100, .pages_on_node = 62, .last_node = 0,
				   .thread_rounds = 10, .rounds_on_node = 10 };
	assert_false(place_verified_ok(&v));
	place_miss_note(&p, &v, note, sizeof(note));
	assert_string_equal(note, "placement missed: 0.62 on node 1");
	v.pages_on_node = 95;
	assert_true(place_verified_ok(&v));
	place_miss_note(&p, &v, note, sizeof(note));
	assert_string_equal(note, "");
	v.rounds_on_node = 5;
	place_miss_note(&p, &v, note, sizeof(note));
	assert_string_equal(note, "placement missed: CPUs 0.50 on node 0");
	/* the shared zero page is nowhere: not a miss, not a hit */
	v = (struct place_verify){ .pages_sampled = 64, .zero_pages = 64 };
	assert_true(place_mem_fraction(&v) < 0);
	assert_true(place_verified_ok(&v));
	place_verify_merge(&sum, &v);
	place_verify_merge(&sum, &(struct place_verify){ .pages_sampled = 64, .pages_on_node = 64 });
	assert_true(place_mem_fraction(&sum) == 1.0);
	p.mpol = PLACE_MPOL_INTERLEAVE;
	v = (struct place_verify){ .pages_sampled = 10, .pages_on_node = 1 };
	place_miss_note(&p, &v, note, sizeof(note));
	assert_string_equal(note, "placement missed: 0.10 on the memory nodes (interleave)");
}

/* This machine: bind anon memory to its node 0, touch it, ask where it is. */
static void test_bind_and_sample_here(void **state)
{
	struct place_cell pc[PLACE_MAX_NODES];
	struct place_verify v = { 0 };
	struct place_opts o;
	size_t len = 256 << 10, psz = sysconf(_SC_PAGESIZE);
	struct topo *t = open_ok(NULL);
	char err[256], *p;

	(void)state;
	OPTS(&o, "placement=local");
	assert_true(place_plan(t, &o, pc, PLACE_MAX_NODES, err, sizeof(err)) >= 1);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(place_bind_range(&pc[0], p, len), 0);
	assert_int_equal(place_bind_src(&pc[0], p, len), 0);
	assert_int_equal(place_bind_range(NULL, p, len), 0);
	memset(p, 1, len);
	place_sample(&pc[0], p, len, psz, &v);
	assert_int_equal(v.pages_sampled, 64);
	assert_true(place_mem_fraction(&v) == 1.0);
	munmap(p, len);
	topo_close(t);
}

#define RUN(...) cli_run(NULL, (const char *const[]){ "run", "--memtype", "anon", "--ioctl", "copy", \
	"--batch", "1", "--size", "256k", "--rounds", "2", __VA_ARGS__, NULL })

static json_t *first_cell(const char *dir)
{
	char path[256];
	json_error_t jerr;
	json_t *o;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	o = json_loadf(f, JSON_DISABLE_EOF_CHECK, &jerr);
	fclose(f);
	assert_non_null(o);
	return o;
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* One real cell with --placement local: placement recorded and verified. */
static void test_cli_local(void **state)
{
	char dir[128];
	json_t *o, *pv, *thr;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/local", tmp);
	assert_int_equal(RUN("--placement", "local", "--out", dir), 0);
	assert_non_null(strstr(out, " 0>0 "));
	assert_null(strstr(out, "placement missed"));
	o = first_cell(dir);
	assert_string_equal(json_string_value(json_object_get(o, "key")), "anon/copy/b1/t1/0>0");
	assert_string_equal(json_string_value(json_object_get(o, "placement")), "0>0");
	assert_string_equal(json_string_value(json_object_get(o, "mem_policy")), "bind");
	assert_true(num(o, "cpu_node") == 0 && num(o, "mem_node") == 0 && num(o, "src_node") == 0);
	pv = json_object_get(o, "placement_verified");
	assert_true(num(pv, "mem_fraction") == 1.0);
	assert_true(num(pv, "cpu_fraction") == 1.0);
	assert_int_equal(num(pv, "pages_sampled"), 128);
	assert_true(json_is_true(json_object_get(o, "placement_ok")));
	thr = json_array_get(json_object_get(json_array_get(json_object_get(o, "rounds"), 0),
					     "threads"), 0);
	assert_true(json_is_integer(json_object_get(thr, "cpu")));
	assert_int_equal(num(thr, "node"), 0);
	json_decref(o);
}

static void test_cli_bad_input(void **state)
{
	static const char *const cases[][3] = {
		{ "--mem-node", "5", "--mem-node 5: node 5 does not exist" },
		{ "--cpu-node", "7", "--cpu-node 7: node 7 does not exist" },
		{ "--src-node", "9", "--src-node 9" },
		{ "--placement", "near", "unknown placement 'near'" },
	};
	char dir[128];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(dir, sizeof(dir), "%s/bad%u", tmp, i);
		assert_int_equal(RUN(cases[i][0], cases[i][1], "--out", dir), 2);
		if (!strstr(out, cases[i][2]))
			fail_msg("want '%s' in: %s", cases[i][2], out);
		assert_int_not_equal(access(dir, F_OK), 0);
	}
	/* more threads than the node has CPUs */
	snprintf(dir, sizeof(dir), "%s/oversub", tmp);
	assert_int_equal(RUN("--cpu-node", "0", "--threads", "1024", "--out", dir), 2);
	assert_non_null(strstr(out, "on node 0 (use --oversubscribe"));
	assert_int_not_equal(access(dir, F_OK), 0);
}

/*
 * One node: remote cells cannot run, and nothing else is asked: exit 2 with
 * the reason, before anything is written.
 */
static void test_cli_remote_one_node(void **state)
{
	char dir[128];

	(void)state;
	if (numa_nodes_here() != 1)
		skip();
	snprintf(dir, sizeof(dir), "%s/remote", tmp);
	assert_int_equal(RUN("--placement", "remote", "--out", dir), 2);
	assert_non_null(strstr(out, "no cell of this matrix can run here"));
	assert_non_null(strstr(out, "anon/copy/b1/t1/remote: 1 NUMA node: remote placement impossible"));
	assert_int_not_equal(access(dir, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_one_node),
		cmocka_unit_test(test_two_nodes),
		cmocka_unit_test(test_four_nodes),
		cmocka_unit_test(test_memory_only_node),
		cmocka_unit_test(test_nodes_without_memory),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_verify_arithmetic),
		cmocka_unit_test(test_bind_and_sample_here),
		cmocka_unit_test(test_cli_local),
		cmocka_unit_test(test_cli_bad_input),
		cmocka_unit_test(test_cli_remote_one_node),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
