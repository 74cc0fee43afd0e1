// SPDX-License-Identifier: MIT
/*
 * Topology: load it (this machine, synthetic, XML), index the allowed PUs,
 * the NUMA nodes and their distances once, answer questions, pin threads.
 * Planning is in machine/topo_plan.c, describing (JSON, text) in machine/topo_print.c.
 */
#include "machine/topo.h"
#include "core/common.h"
#include "core/alloc.h"

#include <errno.h>
#include <hwloc.h>
#include <numa.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct topo_node {
	int os_index;
	unsigned long long memory;
	hwloc_obj_t obj;
	hwloc_bitmap_t cpus;	/* allowed PUs whose CPU node this is */
};

struct topo {
	hwloc_topology_t h;
	bool thissystem;
	char *source;
	unsigned nr_nodes;
	struct topo_node *nodes;	/* increasing os_index */
	unsigned nr_pus, nr_cores, nr_packages;
	struct topo_pu *pus;		/* allowed PUs, logical order */
	unsigned long long *distances;	/* nr_nodes^2, or NULL */
};

/*
 * The PUs a synthetic description makes: the product of its levels' counts
 * ("pack:2 numa:2 core:4 pu:2": 32).  hwloc builds such a topology in time
 * and memory quadratic in that (65536 PUs: a minute and gigabytes), and no
 * Linux machine has more than 8192 CPUs: beyond, a description is refused.
 */
#define TOPO_MAX_SYNTHETIC_PUS 8192

static unsigned long long synthetic_pus(const char *desc)
{
	unsigned long long n = 1;

	for (const char *p = desc; (p = strchr(p, ':')); p++) {
		unsigned long long k = strtoull(p + 1, NULL, 10);

		if (k && n <= TOPO_MAX_SYNTHETIC_PUS)
			n *= k > TOPO_MAX_SYNTHETIC_PUS ? TOPO_MAX_SYNTHETIC_PUS + 1 : k;
	}
	return n;
}

static int set_source(struct topo *t, const char *source, char *err, size_t errlen)
{
	unsigned long flags = HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM |
			      HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING;
	size_t len;

	if (!source) {
		t->thissystem = true;
		if (!hwloc_topology_set_flags(t->h, flags))
			return 0;
		seterr(err, errlen, "hwloc: cannot restrict to the CPU binding: %s",
		       strerror(errno));
		return -1;
	}
	if (!strncmp(source, "synthetic:", 10)) {
		if (synthetic_pus(source + 10) > TOPO_MAX_SYNTHETIC_PUS) {
			seterr(err, errlen, "synthetic description '%s': more than %d PUs (the "
			       "most a Linux machine has)", source + 10, TOPO_MAX_SYNTHETIC_PUS);
			return -1;
		}
		if (!hwloc_topology_set_synthetic(t->h, source + 10))
			return 0;
		seterr(err, errlen, "bad hwloc synthetic description '%s'", source + 10);
		return -1;
	}
	len = strlen(source);
	if (len > 4 && !strcmp(source + len - 4, ".xml")) {
		if (access(source, R_OK)) {
			seterr(err, errlen, "cannot read %s: %s", source, strerror(errno));
			return -1;
		}
		if (!hwloc_topology_set_xml(t->h, source))
			return 0;
		seterr(err, errlen, "cannot use %s as an hwloc XML topology", source);
		return -1;
	}
	seterr(err, errlen, "unknown topology source '%s' (synthetic:DESC or FILE.xml)",
	       source);
	return -1;
}

static int cmp_node(const void *a, const void *b)
{
	const struct topo_node *x = a, *y = b;

	return (x->os_index > y->os_index) - (x->os_index < y->os_index);
}

static struct topo_node *find_node(struct topo *t, int node)
{
	for (unsigned i = 0; i < t->nr_nodes; i++)
		if (t->nodes[i].os_index == node)
			return &t->nodes[i];
	return NULL;
}

static const struct topo_pu *find_pu(struct topo *t, int cpu)
{
	for (unsigned i = 0; i < t->nr_pus; i++)
		if (t->pus[i].cpu == cpu)
			return &t->pus[i];
	return NULL;
}

static int scan_nodes(struct topo *t)
{
	int n = hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_NUMANODE);
	hwloc_obj_t obj = NULL;

	if (n <= 0)
		return -1;
	t->nodes = xcalloc(n, sizeof(*t->nodes));
	while (t->nr_nodes < (unsigned)n &&
	       (obj = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_NUMANODE, obj))) {
		struct topo_node *nd = &t->nodes[t->nr_nodes++];

		nd->os_index = (int)obj->os_index;
		nd->memory = obj->attr->numanode.local_memory;
		nd->obj = obj;
		nd->cpus = hwloc_bitmap_alloc();
		if (!nd->cpus)
			return -1;
	}
	qsort(t->nodes, t->nr_nodes, sizeof(*t->nodes), cmp_node);
	return 0;
}

/* The CPU node of a PU: the kernel's here, else the first node holding it. */
static int pu_owner(struct topo *t, hwloc_obj_t pu, bool use_libnuma)
{
	if (use_libnuma) {
		int n = numa_node_of_cpu((int)pu->os_index);

		if (n >= 0 && find_node(t, n))
			return n;
	}
	for (unsigned i = 0; i < t->nr_nodes; i++)
		if (hwloc_bitmap_isset(t->nodes[i].obj->cpuset, pu->os_index))
			return t->nodes[i].os_index;
	return -1;
}

static void add_pu(struct topo *t, hwloc_obj_t pu, bool use_libnuma,
		   hwloc_obj_t *last_core, hwloc_obj_t *last_pkg)
{
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_CORE, pu);
	hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, pu);
	struct topo_pu *p = &t->pus[t->nr_pus];
	struct topo_node *nd;

	if (!core)
		core = pu;
	if (!pkg)
		pkg = hwloc_get_root_obj(t->h);
	if (pkg != *last_pkg)
		t->nr_packages++;
	if (core != *last_core)
		t->nr_cores++;
	p->smt = core == *last_core ? p[-1].smt + 1 : 0;
	p->cpu = (int)pu->os_index;
	p->node = pu_owner(t, pu, use_libnuma);
	p->core = t->nr_cores - 1;
	p->package = t->nr_packages - 1;
	nd = find_node(t, p->node);
	if (nd)
		hwloc_bitmap_set(nd->cpus, pu->os_index);
	*last_core = core;
	*last_pkg = pkg;
	t->nr_pus++;
}

static int scan_pus(struct topo *t)
{
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t->h);
	int n = hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_PU);
	hwloc_obj_t pu = NULL, last_core = NULL, last_pkg = NULL;
	bool use_libnuma = t->thissystem && numa_available() >= 0;

	t->pus = xcalloc(n > 0 ? n : 1, sizeof(*t->pus));
	while (t->nr_pus < (unsigned)n &&
	       (pu = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_PU, pu))) {
		if (hwloc_bitmap_isset(allowed, pu->os_index))
			add_pu(t, pu, use_libnuma, &last_core, &last_pkg);
	}
	return 0;
}

/* Fill m (nr_nodes^2, "nodes" order) from d; -1 unless d covers every node. */
static int fill_matrix(struct topo *t, struct hwloc_distances_s *d, unsigned long long *m)
{
	unsigned n = t->nr_nodes;

	for (unsigned i = 0; i < n; i++) {
		int a = hwloc_distances_obj_index(d, t->nodes[i].obj);

		for (unsigned j = 0; j < n; j++) {
			int b = hwloc_distances_obj_index(d, t->nodes[j].obj);

			if (a < 0 || b < 0)
				return -1;
			m[i * n + j] = d->values[(unsigned)a * d->nbobjs + (unsigned)b];
		}
	}
	return 0;
}

/*
 * The NUMA latency matrix (malloc'ed, nr_nodes^2), or NULL when none.  Read
 * once at open: hwloc_distances_get() refreshes internal state, so it must
 * not run concurrently with other readers.
 */
static unsigned long long *node_distances(struct topo *t)
{
	struct hwloc_distances_s *d[8];
	unsigned nr = ARRAY_SIZE(d), kind = HWLOC_DISTANCES_KIND_MEANS_LATENCY;
	unsigned long long *m = xcalloc((size_t)t->nr_nodes * t->nr_nodes, sizeof(*m));
	bool found = false;

	if (hwloc_distances_get_by_type(t->h, HWLOC_OBJ_NUMANODE, &nr, d, kind, 0)) {
		free(m);
		return NULL;
	}
	if (nr > ARRAY_SIZE(d))
		nr = ARRAY_SIZE(d);
	for (unsigned i = 0; i < nr; i++) {
		if (!found && !fill_matrix(t, d[i], m))
			found = true;
		hwloc_distances_release(t->h, d[i]);
	}
	if (found)
		return m;
	free(m);
	return NULL;
}

struct topo *topo_open(const char *source, char *err, size_t errlen)
{
	struct topo *t = xcalloc(1, sizeof(*t));
	hwloc_topology_t h;

	if (hwloc_topology_init(&h)) {
		free(t);
		seterr(err, errlen, "hwloc_topology_init: %s", strerror(errno));
		return NULL;
	}
	t->h = h;
	t->source = xstrdup(source ? source : "this machine");
	if (set_source(t, source, err, errlen))
		goto fail;
	if (hwloc_topology_load(h)) {
		seterr(err, errlen, "cannot load the topology of %s: %s", t->source,
		       strerror(errno));
		goto fail;
	}
	if (scan_nodes(t) || scan_pus(t)) {
		seterr(err, errlen, "%s: no NUMA node", t->source);
		goto fail;
	}
	t->distances = node_distances(t);
	return t;
fail:
	topo_close(t);
	return NULL;
}

void topo_close(struct topo *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->nr_nodes; i++)
		hwloc_bitmap_free(t->nodes[i].cpus);
	free(t->nodes);
	free(t->pus);
	free(t->distances);
	free(t->source);
	hwloc_topology_destroy(t->h);
	free(t);
}

const char *topo_source(struct topo *t)
{
	return t->source;
}

bool topo_is_this_machine(struct topo *t)
{
	return t->thissystem;
}

const unsigned long long *topo_distances(struct topo *t)
{
	return t->distances;
}

const char *topo_format_list(char *buf, size_t len, const int *v, unsigned n)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (unsigned i = 0, j; i < n && off < len; i = j) {
		for (j = i + 1; j < n && v[j] == v[j - 1] + 1; j++)
			;
		if (j - i == 1)
			appendf(buf, len, &off, "%s%d", i ? "," : "", v[i]);
		else
			appendf(buf, len, &off, "%s%d-%d", i ? "," : "", v[i], v[j - 1]);
	}
	return buf;
}

unsigned topo_nr_nodes(struct topo *t)
{
	return t->nr_nodes;
}

int topo_node_at(struct topo *t, unsigned i)
{
	return i < t->nr_nodes ? t->nodes[i].os_index : -1;
}

bool topo_node_exists(struct topo *t, int node)
{
	return find_node(t, node) != NULL;
}

unsigned long long topo_node_memory(struct topo *t, int node)
{
	struct topo_node *nd = find_node(t, node);

	return nd ? nd->memory : 0;
}

bool topo_node_has_memory(struct topo *t, int node)
{
	return topo_node_memory(t, node) > 0;
}

bool topo_node_has_cpus(struct topo *t, int node)
{
	return node >= 0 && topo_nr_cpus(t, node) > 0;
}

unsigned topo_nr_cpus(struct topo *t, int node)
{
	struct topo_node *nd;

	if (node == -1)
		return t->nr_pus;
	nd = find_node(t, node);
	return nd ? (unsigned)hwloc_bitmap_weight(nd->cpus) : 0;
}

unsigned topo_nr_cores(struct topo *t, int node)
{
	unsigned n = 0;
	int last = -1;

	if (node == -1)
		return t->nr_cores;
	for (unsigned i = 0; i < t->nr_pus; i++) {
		if (t->pus[i].node != node || (int)t->pus[i].core == last)
			continue;
		last = (int)t->pus[i].core;
		n++;
	}
	return n;
}

unsigned topo_nr_packages(struct topo *t)
{
	return t->nr_packages;
}

int topo_cpu_node(struct topo *t, int cpu)
{
	const struct topo_pu *p = find_pu(t, cpu);

	return p ? p->node : -1;
}

const struct topo_pu *topo_pus(struct topo *t, unsigned *nr)
{
	*nr = t->nr_pus;
	return t->pus;
}

int topo_bind_thread(struct topo *t, int cpu)
{
	hwloc_bitmap_t set;
	int ret = 0;

	if (!t->thissystem)
		return -EOPNOTSUPP;
	if (!find_pu(t, cpu))
		return -EINVAL;
	set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)cpu);
	if (hwloc_set_cpubind(t->h, set, HWLOC_CPUBIND_THREAD))
		ret = errno ? -errno : -EINVAL;
	hwloc_bitmap_free(set);
	return ret;
}
