/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TOPO_H
#define UFFDBENCH_TOPO_H

/*
 * Topology, and where threads and memory go: pure planning over an hwloc
 * topology (this machine, a synthetic description or an XML file), so that
 * every decision can be tested without the hardware.
 *
 * Numbers are OS indexes throughout: a CPU is what sched_setaffinity() and
 * sched_getcpu() use, a node is what mbind() and /sys/devices/system/node
 * use.  Only the CPUs this process may run on count ("allowed": cgroup
 * cpuset and CPU affinity, for this machine); NUMA nodes stay visible even
 * when none of their CPUs is allowed, since memory can still be put there.
 *
 * The CPU node of a CPU is the kernel's (libnuma) on this machine, and
 * otherwise the lowest-numbered NUMA node whose hwloc cpuset holds it: a
 * CPU-less node (HBM, CXL, a memory-only node) that hwloc attaches near some
 * CPUs never owns them.
 *
 * A struct topo is read-only once opened: every function but topo_close()
 * may be called from several threads at once.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum pin_policy {
	PIN_CORE,	/* default: one thread per physical core, cores in order */
	PIN_COMPACT,	/* PUs in hwloc logical order: SMT siblings first */
	PIN_SCATTER,	/* round-robin over NUMA nodes (then packages), a core a turn */
};

/* "core", "compact", "scatter"; -1 when unknown. */
int pin_policy_parse(const char *s);
const char *pin_policy_name(enum pin_policy p);

struct topo;

/*
 * source NULL: this machine, restricted to the allowed CPUs.
 * "synthetic:<desc>": an hwloc synthetic topology, e.g.
 *   "synthetic:pack:2 numa:1 core:4 pu:2" (2 nodes of 1 GiB, SMT 2).
 * "<path>.xml": an hwloc XML export (lstopo --of xml).
 * NULL with a one-line err on failure.
 */
struct topo *topo_open(const char *source, char *err, size_t errlen);
void topo_close(struct topo *t);
/* "this machine", or the source given to topo_open(). */
const char *topo_source(struct topo *t);
/* Opened with source NULL: binding works, only allowed CPUs are listed. */
bool topo_is_this_machine(struct topo *t);

/* NUMA nodes, with or without memory or CPUs. */
unsigned topo_nr_nodes(struct topo *t);
/* os_index of the i-th node in increasing os_index order; -1 past the end. */
int topo_node_at(struct topo *t, unsigned i);
bool topo_node_exists(struct topo *t, int node);
bool topo_node_has_memory(struct topo *t, int node);
bool topo_node_has_cpus(struct topo *t, int node);
/* Bytes of memory of a node as hwloc reports it; 0 when none or unknown. */
unsigned long long topo_node_memory(struct topo *t, int node);
/* Allowed PUs / physical cores (with an allowed PU) of a node; -1 = all. */
unsigned topo_nr_cpus(struct topo *t, int node);
unsigned topo_nr_cores(struct topo *t, int node);
/* Allowed packages (with an allowed PU). */
unsigned topo_nr_packages(struct topo *t);
/* The NUMA node of an allowed PU; -1 when unknown or not allowed. */
int topo_cpu_node(struct topo *t, int cpu);

/*
 * The NUMA latency matrix (the kernel's SLIT on this machine), n x n with
 * n = topo_nr_nodes() in topo_node_at() order: [i * n + j] is from node i to
 * node j.  NULL when hwloc has none covering every node.
 */
const unsigned long long *topo_distances(struct topo *t);

/* "0-3,8,10-11" for ascending numbers v[0..n); "" for none.  Returns buf. */
const char *topo_format_list(char *buf, size_t len, const int *v, unsigned n);

/* The allowed PUs in hwloc logical order (SMT siblings adjacent). */
struct topo_pu {
	int cpu;		/* OS index */
	int node;		/* its CPU node (os_index), -1 unknown */
	unsigned core;		/* 0.. in logical order of the allowed cores */
	unsigned package;	/* 0.. in logical order of the allowed packages */
	unsigned smt;		/* rank among the allowed PUs of its core */
};
const struct topo_pu *topo_pus(struct topo *t, unsigned *nr);

/*
 * How many threads pol can place on cpu_node (-1 = anywhere) without
 * oversubscribing: cores for PIN_CORE, PUs otherwise; 0 for a node that
 * does not exist or has no allowed CPU.
 */
unsigned topo_plan_capacity(struct topo *t, enum pin_policy pol, int cpu_node);

/*
 * CPUs (OS indexes) for nthreads threads, on CPU node cpu_node (-1 =
 * anywhere): cpus[i] is thread i's.  Asking for more than
 * topo_plan_capacity() is an error unless oversubscribe; then the plan goes
 * on with the PUs not used yet (PIN_CORE: the SMT siblings, in the same
 * core order) and, once every PU has a thread, wraps around.  A plan for n
 * threads is always the first n entries of the plan for more.
 * 0, or -1 with a one-line err, e.g. "node 3 does not exist (nodes: 0-1)",
 * "4 threads > 2 CPUs on node 0 (use --oversubscribe)".
 */
int topo_plan_threads(struct topo *t, enum pin_policy pol, int cpu_node,
		      unsigned nthreads, bool oversubscribe, int *cpus,
		      char *err, size_t errlen);

/*
 * Pin the calling thread to one allowed PU (hwloc_set_cpubind,
 * HWLOC_CPUBIND_THREAD); only for a topology of this machine (source NULL).
 * 0, -EINVAL for a PU that is not allowed here, -EOPNOTSUPP for another
 * source, or the -errno of the failed call.
 */
int topo_bind_thread(struct topo *t, int cpu);

/*
 * Placement cells possible here; a placement is (thread node, memory node).
 *   "local":  (n, n) for each node with both allowed CPUs and memory;
 *   "remote": (a, b), a != b, a with allowed CPUs, b with memory;
 *   "all":    every CPU node x every memory node.
 * Pairs come in increasing (cpu_node, mem_node) order.  Returns how many
 * there are and writes them to out; with out NULL, only counts.  When none
 * is possible, returns 0 and why says why ("1 NUMA node: remote placement
 * impossible"); otherwise why is "".  -1 with why for an unknown kind or
 * when more than max would be written.
 */
struct placement_pair {
	int cpu_node, mem_node;
};
int topo_plan_placements(struct topo *t, const char *kind,
			 struct placement_pair *out, int max,
			 char *why, size_t whylen);

/*
 * {"source", "packages", "cores", "pus", "numa_nodes", "smt": bool,
 *  "nodes": [{"os_index", "memory_bytes", "cpus": "0-3", "cpu_list": [..]}],
 *  "distances": [[..]] (rows and columns in "nodes" order) or null}
 */
json_t *topo_to_json(struct topo *t);
/* Human-readable: packages, nodes, cores, SMT, distances, placements. */
void topo_print(struct topo *t, FILE *f);

#endif
