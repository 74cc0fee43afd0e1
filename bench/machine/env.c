// SPDX-License-Identifier: MIT
/*
 * env.json: everything about the machine and the build that a result depends
 * on, plus whether the kernel carries the vm_uffd_ops series.  Every field that
 * cannot be read is null; nothing here fails the run.
 */
#include "machine/env.h"
#include "core/version.h"
#include "core/common.h"
#include "core/uffd.h"
#include "machine/clock.h"
#include "core/alloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hwloc.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ENV_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define ENV_TSAN 1
#endif
#endif
#ifdef __SANITIZE_ADDRESS__
#define ENV_ASAN 1
#endif
#ifdef __SANITIZE_THREAD__
#define ENV_TSAN 1
#endif

#define SYSFS_TEXT_MAX 8192

/* A JSON string (null for NULL); bytes that are not valid UTF-8 become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *copy;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

/* Set o[key], null when v could not be built, so every key is always there. */
static void put(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
}

static json_t *jfile(const char *path)
{
	char buf[SYSFS_TEXT_MAX];

	if (read_text_file(path, buf, sizeof(buf)))
		return json_null();
	return jstr(buf);
}

static json_t *jfile_int(const char *path)
{
	char buf[64], *end;
	long long v;

	if (read_text_file(path, buf, sizeof(buf)))
		return json_null();
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end)
		return json_null();
	return json_integer(v);
}

/* Whitespace-separated words of s (modified) as an array of strings. */
static json_t *split_words(char *s)
{
	json_t *a = json_array();
	char *save, *w;

	for (w = strtok_r(s, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
		json_array_append_new(a, jstr(w));
	return a;
}

static int no_dot(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* { name: fn(dir, name) } for every entry of dir, sorted; null if unreadable. */
static json_t *dir_object(const char *dir, json_t *(*fn)(const char *, const char *))
{
	struct dirent **ents;
	json_t *o;
	int n;

	n = scandir(dir, &ents, no_dot, alphasort);
	if (n < 0)
		return json_null();
	o = json_object();
	for (int i = 0; i < n; i++) {
		put(o, ents[i]->d_name, fn(dir, ents[i]->d_name));
		free(ents[i]);
	}
	free(ents);
	return o;
}

/* ---- series detection ------------------------------------------------- */

/*
 * Two forms of the series:
 *   Peter Xu's (v2..v4, never merged): shmem_uffd_get_folio, the shmem op;
 *   Mike Rapoport's rework merged in Linux 7.1: the common fill path looks
 *   its VMA up in mfill_get_vma() and fills through __mfill_atomic_pte(),
 *   which calls vm_uffd_ops->alloc_folio(): shmem_mfill_folio_alloc() for
 *   shmem, anon_alloc_folio() for anonymous memory.
 * Without either, a global shmem_mfill_atomic_pte (called directly from
 * mm/userfaultfd.c) says the series is absent.
 */
enum {
	KS_FOLIO,	/* shmem_uffd_get_folio: Peter Xu's form */
	KS_MFILL,	/* shmem_mfill_atomic_pte: the direct call of old */
	KS_GET_VMA,	/* mfill_get_vma: 7.1 */
	KS_FILL,	/* __mfill_atomic_pte: 7.1 */
	KS_SHMEM_OP,	/* shmem_mfill_folio_alloc: 7.1's shmem ->alloc_folio */
	KS_ANON_OP,	/* anon_alloc_folio: 7.1's anon ->alloc_folio */
	NR_KS
};

static const char *const ksym_names[NR_KS] = {
	[KS_FOLIO] = "shmem_uffd_get_folio",
	[KS_MFILL] = "shmem_mfill_atomic_pte",
	[KS_GET_VMA] = "mfill_get_vma",
	[KS_FILL] = "__mfill_atomic_pte",
	[KS_SHMEM_OP] = "shmem_mfill_folio_alloc",
	[KS_ANON_OP] = "anon_alloc_folio",
};

struct ksym {
	char type;	/* nm-style type letter, 0 when not seen */
	bool exact;	/* seen under its own name, not only as a .cold/.isra clone */
};

/* name is n bytes long, base of them before any '.' suffix. */
static void ksym_note(struct ksym *k, const char *want, const char *name,
		      size_t n, size_t base, char type)
{
	size_t wl = strlen(want);
	bool exact = n == wl;

	if (base != wl || memcmp(name, want, wl))
		return;
	if (k->type && (k->exact || !exact))
		return;
	k->type = type;
	k->exact = exact;
}

/* "ffffffff815ba370 T shmem_mfill_atomic_pte\t[module]" */
static void ksym_line(const char *line, struct ksym *ks)
{
	const char *name, *sp = strchr(line, ' ');
	size_t n, base;
	char type;

	if (!sp || !sp[1] || sp[2] != ' ' || sp[3] == '\0')
		return;
	type = sp[1];
	name = sp + 3;
	n = strcspn(name, " \t\n");
	base = strcspn(name, " \t\n.");
	for (int i = 0; i < NR_KS; i++)
		ksym_note(&ks[i], ksym_names[i], name, n, base, type);
}

static const char *ksym_scope(char type)
{
	return isupper((unsigned char)type) ? "global" : "local";
}

/* The 7.1 form: mfill_get_vma and one of the fill path's new functions. */
static int series_verdict_71(const struct ksym *ks, char *ev, size_t len,
			     const char **form)
{
	char seen[120] = "";
	size_t o = 0;

	if (!ks[KS_GET_VMA].type ||
	    !(ks[KS_FILL].type || ks[KS_SHMEM_OP].type || ks[KS_ANON_OP].type))
		return -2;
	for (int i = KS_FILL; i < NR_KS; i++)
		if (ks[i].type && o < sizeof(seen))
			o += snprintf(seen + o, sizeof(seen) - o, ", %s", ksym_names[i]);
	snprintf(ev, len, "kallsyms: %s%s: the form merged in Linux 7.1",
		 ksym_names[KS_GET_VMA], seen);
	*form = "7.1";
	return 1;
}

static int series_verdict(const struct ksym *ks, char *ev, size_t len, const char **form)
{
	const struct ksym *folio = &ks[KS_FOLIO], *mfill = &ks[KS_MFILL];
	const char *sf = ksym_names[KS_FOLIO], *sm = ksym_names[KS_MFILL];
	int ret;

	*form = NULL;
	if (folio->type) {
		*form = "xu";
		if (mfill->type)
			snprintf(ev, len, "kallsyms: %s present (%c), %s is %c (%s)", sf,
				 folio->type, sm, mfill->type, ksym_scope(mfill->type));
		else
			snprintf(ev, len, "kallsyms: %s present (%c), no %s", sf,
				 folio->type, sm);
		return 1;
	}
	ret = series_verdict_71(ks, ev, len, form);
	if (ret != -2)
		return ret;
	if (mfill->type == 'T') {
		snprintf(ev, len, "kallsyms: no %s, no %s, %s is T (global)", sf,
			 ksym_names[KS_GET_VMA], sm);
		return 0;
	}
	if (mfill->type) {
		snprintf(ev, len, "kallsyms: no %s, %s is %c (%s): cannot tell", sf,
			 sm, mfill->type, ksym_scope(mfill->type));
		return -1;
	}
	if (ks[KS_GET_VMA].type) {
		snprintf(ev, len, "kallsyms: %s but none of %s, %s, %s: cannot tell",
			 ksym_names[KS_GET_VMA], ksym_names[KS_FILL], ksym_names[KS_SHMEM_OP],
			 ksym_names[KS_ANON_OP]);
		return -1;
	}
	snprintf(ev, len, "kallsyms: none of %s, %s, %s (CONFIG_SHMEM off?)", sf, sm,
		 ksym_names[KS_GET_VMA]);
	return -1;
}

/* Streams a kallsyms file (~140k lines) once; never holds it whole. */
int series_detect_file(const char *path, const char **form, char *evidence, size_t len)
{
	struct ksym ks[NR_KS] = { 0 };
	const char *dummy;
	char *line = NULL;
	size_t cap = 0;
	int err = 0;
	FILE *f;

	if (!form)
		form = &dummy;
	*form = NULL;
	if (!evidence)
		len = 0;
	f = fopen(path, "re");
	if (!f) {
		snprintf(evidence, len, "kallsyms: cannot open %s: %s", path, errno_name(errno));
		return -1;
	}
	errno = 0;
	while (getline(&line, &cap, f) > 0)
		ksym_line(line, ks);
	if (ferror(f))
		err = errno ? errno : EIO;
	free(line);
	fclose(f);
	if (err) {
		snprintf(evidence, len, "kallsyms: error reading %s: %s", path, errno_name(err));
		return -1;
	}
	return series_verdict(ks, evidence, len, form);
}

int series_detect(char *evidence, size_t len)
{
	return series_detect_file("/proc/kallsyms", NULL, evidence, len);
}

json_t *series_to_json(void)
{
	const char *form;
	char ev[256];
	int present = series_detect_file("/proc/kallsyms", &form, ev, sizeof(ev));

	return json_pack("{s:o, s:o, s:o}", "present",
			 present < 0 ? json_null() : json_boolean(present),
			 "form", form ? jstr(form) : json_null(), "evidence", jstr(ev));
}

/* ---- sections of env.json --------------------------------------------- */

static json_t *env_kernel(void)
{
	struct utsname u;
	bool ok = !uname(&u);
	json_t *o = json_object();

	put(o, "release", ok ? jstr(u.release) : NULL);
	put(o, "version", ok ? jstr(u.version) : NULL);
	put(o, "cmdline", jfile("/proc/cmdline"));
	return o;
}

static json_t *dir_file(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return NULL;
	return jfile(path);
}

static json_t *env_vulnerabilities(void)
{
	return dir_object("/sys/devices/system/cpu/vulnerabilities", dir_file);
}

static json_t *env_retpolines(json_t *vulns)
{
	const char *s = json_string_value(json_object_get(vulns, "spectre_v2"));

	if (!s)
		return json_null();
	return json_boolean(strstr(s, "Retpoline"));
}

/* The value of a "key<blanks>: value" /proc/cpuinfo line, or NULL. */
static char *cpuinfo_value(char *line, const char *key)
{
	size_t n = strlen(key);
	char *p;

	if (strncmp(line, key, n))
		return NULL;
	p = line + n + strspn(line + n, " \t");
	if (*p != ':')
		return NULL;
	p += 1 + strspn(p + 1, " \t");
	p[strcspn(p, "\n")] = '\0';
	return p;
}

static void cpuinfo_fill(json_t *cpu)
{
	json_t *model = NULL, *flags = NULL;
	char *line = NULL, *v;
	size_t cap = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && (!model || !flags) && getline(&line, &cap, f) > 0) {
		if (!model && (v = cpuinfo_value(line, "model name")))
			model = jstr(v);
		else if (!flags && (v = cpuinfo_value(line, "flags")))
			flags = split_words(v);
	}
	free(line);
	if (f)
		fclose(f);
	put(cpu, "model", model);
	put(cpu, "flags", flags);
}

/* "0-3,8" for a CPU set of size bytes; truncated (still terminated) if long. */
static void cpuset_list(const cpu_set_t *set, size_t size, char *buf, size_t len)
{
	int ncpu = size * 8;
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ncpu && off < len; i++) {
		int j = i;

		if (!CPU_ISSET_S(i, size, set))
			continue;
		while (j + 1 < ncpu && CPU_ISSET_S(j + 1, size, set))
			j++;
		if (j > i)
			appendf(buf, len, &off, "%s%d-%d", off ? "," : "", i, j);
		else
			appendf(buf, len, &off, "%s%d", off ? "," : "", i);
		i = j;
	}
}

/* {"count", "list"} of the CPUs this process may run on. */
static json_t *env_allowed(void)
{
	cpu_set_t *set = NULL;
	size_t size = 0;
	char list[4096];
	json_t *o;

	for (int n = 1024; n <= (1 << 20); n *= 2) {
		set = CPU_ALLOC(n);
		if (!set)
			return NULL;
		size = CPU_ALLOC_SIZE(n);
		if (!sched_getaffinity(0, size, set))
			break;
		CPU_FREE(set);
		set = NULL;
		if (errno != EINVAL)
			break;
	}
	if (!set)
		return json_null();
	cpuset_list(set, size, list, sizeof(list));
	o = json_pack("{s:i, s:s}", "count", CPU_COUNT_S(size, set), "list", list);
	CPU_FREE(set);
	return o;
}

static json_t *env_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	json_t *cpu = json_object();

	cpuinfo_fill(cpu);
	put(cpu, "online", jfile("/sys/devices/system/cpu/online"));
	put(cpu, "count", n > 0 ? json_integer(n) : NULL);
	put(cpu, "allowed", env_allowed());
	return cpu;
}

static json_t *topo_node(hwloc_obj_t node)
{
	char *cpus = NULL;
	json_t *o;

	if (!node->cpuset || hwloc_bitmap_list_asprintf(&cpus, node->cpuset) < 0)
		cpus = NULL;
	o = json_pack("{s:I, s:I, s:o}", "os_index", (json_int_t)node->os_index,
		      "memory_bytes", (json_int_t)node->attr->numanode.local_memory,
		      "cpuset", jstr(cpus));
	free(cpus);
	return o;
}

/* The whole machine, disallowed CPUs included: "cpu.allowed" has the rest. */
static json_t *env_topology(void)
{
	hwloc_topology_t topo;
	hwloc_obj_t node = NULL;
	json_t *o, *nodes;

	if (hwloc_topology_init(&topo))
		return json_null();
	if (hwloc_topology_set_flags(topo, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED) ||
	    hwloc_topology_load(topo)) {
		hwloc_topology_destroy(topo);
		return json_null();
	}
	nodes = json_array();
	while ((node = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, node)))
		json_array_append_new(nodes, topo_node(node));
	o = json_pack("{s:i, s:i, s:i, s:i, s:o}",
		      "packages", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE),
		      "cores", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE),
		      "pus", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU),
		      "numa_nodes", hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE),
		      "nodes", nodes);
	hwloc_topology_destroy(topo);
	return o;
}

static json_t *env_thp(void)
{
	static const char *const keys[] = { "enabled", "defrag", "shmem_enabled" };
	char path[128];
	json_t *o = json_object();

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/%s", keys[i]);
		put(o, keys[i], jfile(path));
	}
	return o;
}

/* One /sys/kernel/mm/hugepages/hugepages-NkB pool. */
static json_t *hugepage_pool(const char *dir, const char *name)
{
	static const char *const files[][2] = {
		{ "nr", "nr_hugepages" }, { "free", "free_hugepages" },
		{ "resv", "resv_hugepages" }, { "surplus", "surplus_hugepages" },
	};
	char path[PATH_MAX];
	unsigned long kb;
	json_t *o = json_object();

	put(o, "page_size_kb",
	    sscanf(name, "hugepages-%lukB", &kb) == 1 ? json_integer(kb) : NULL);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (snprintf(path, sizeof(path), "%s/%s/%s", dir, name,
			     files[i][1]) >= (int)sizeof(path))
			put(o, files[i][0], NULL);
		else
			put(o, files[i][0], jfile_int(path));
	}
	return o;
}

static json_t *env_hugepages(void)
{
	return dir_object("/sys/kernel/mm/hugepages", hugepage_pool);
}

static json_t *env_sysctl(void)
{
	static const char *const names[] = {
		"vm.unprivileged_userfaultfd", "vm.nr_hugepages",
		"kernel.kptr_restrict", "kernel.perf_event_paranoid",
	};
	char path[128];
	json_t *o = json_object();

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "/proc/sys/%s", names[i]);
		for (char *p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		put(o, names[i], jfile(path));
	}
	return o;
}

static json_t *env_uffd(void)
{
	struct uffd_source src = { 0 };
	uint64_t features = 0, ioctls = 0;
	char names[2048], mask[24], api[24];
	int ret;

	ret = uffd_probe_api(&features, &ioctls, &src);
	if (ret)
		return json_pack("{s:s}", "error", errno_name(ret));
	uffd_feature_names(features, names, sizeof(names));
	snprintf(mask, sizeof(mask), "0x%" PRIx64, features);
	snprintf(api, sizeof(api), "0x%" PRIx64, ioctls);
	return json_pack("{s:o, s:b, s:s, s:o, s:s}", "source", jstr(src.how),
			 "user_mode_only", src.user_mode_only, "features_mask", mask,
			 "features", split_words(names), "api_ioctls", api);
}

static const char *build_sanitizer(void)
{
#if defined(ENV_ASAN)
	return "asan";
#elif defined(ENV_TSAN)
	return "tsan";
#else
	return "none";
#endif
}

static void env_build(json_t *env)
{
	put(env, "compiler", jstr(__VERSION__));
	put(env, "cflags_hint", jstr(build_sanitizer()));
	put(env, "suite_rev", jstr(UFFDBENCH_GIT_REV));
	put(env, "version", jstr(UFFDBENCH_VERSION));
}

/* "2026-11-24T23:15:00Z", or NULL. */
static json_t *utc_now(void)
{
	time_t t = time(NULL);
	char date[32];
	struct tm tm;

	if (t == (time_t)-1 || !gmtime_r(&t, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return NULL;
	return jstr(date);
}

static void env_invocation(json_t *env, int argc, char **argv)
{
	json_t *cmd = json_array();
	char host[256], *cwd;

	for (int i = 0; argv && i < argc; i++)
		json_array_append_new(cmd, jstr(argv[i]));
	put(env, "command", cmd);
	cwd = getcwd(NULL, 0);
	put(env, "cwd", jstr(cwd));
	free(cwd);
	host[sizeof(host) - 1] = '\0';
	put(env, "hostname", gethostname(host, sizeof(host) - 1) ? NULL : jstr(host));
	put(env, "date", utc_now());
	put(env, "uid", json_integer(getuid()));
	put(env, "root", json_boolean(geteuid() == 0));
}

static json_t *env_memory(void)
{
	json_t *total = NULL, *avail = NULL;
	unsigned long long kb;
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && (!total || !avail) && getline(&line, &cap, f) > 0) {
		if (!total && sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			total = json_integer((json_int_t)(kb * 1024));
		else if (!avail && sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			avail = json_integer((json_int_t)(kb * 1024));
	}
	free(line);
	if (f)
		fclose(f);
	return json_pack("{s:o, s:o}", "total_bytes", total ? total : json_null(),
			 "available_bytes", avail ? avail : json_null());
}

json_t *env_capture(int argc, char **argv)
{
	json_t *env = json_object(), *vulns;

	if (!env)
		return NULL;
	put(env, "schema", json_integer(1));
	put(env, "kernel", env_kernel());
	vulns = env_vulnerabilities();
	put(env, "retpolines", env_retpolines(vulns));
	put(env, "vulnerabilities", vulns);
	put(env, "cpu", env_cpu());
	put(env, "topology", env_topology());
	put(env, "thp", env_thp());
	put(env, "hugepages", env_hugepages());
	put(env, "sysctl", env_sysctl());
	put(env, "uffd", env_uffd());
	put(env, "series", series_to_json());
	env_build(env);
	env_invocation(env, argc, argv);
	put(env, "clock", json_string(bench_clock_name(bench_clock())));
	put(env, "clocksource",
	    jfile("/sys/devices/system/clocksource/clocksource0/current_clocksource"));
	put(env, "memory", env_memory());
	return env;
}
