// SPDX-License-Identifier: MIT
#include "run/spec.h"
#include "core/common.h"
#include "core/file.h"
#include "core/list.h"
#include "machine/clock.h"
#include "machine/placement.h"
#include "core/alloc.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * --size auto: 64 MiB a thread; 16 MiB under icount.  There a 64 MiB pass of
 * shmem COPY or ZEROPAGE refills the per-CPU page lists 0 to 4 times,
 * depending on what the rounds before it left in them: a step of 13.6
 * instructions/page on 6.12, so its rounds do not repeat and a kernel
 * compared with itself stays undecided.  16 MiB passes repeat to within a
 * few instructions/page (bench/docs/icount-rule.md), and boot 4x faster.
 */
static size_t auto_size(void)
{
	return bench_clock() == CLOCK_ICOUNT ? 16ul << 20 : 64ul << 20;
}

void spec_defaults(struct run_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->memtypes = (1ull << nr_memtypes) - 1;
	s->ioctls = UOP_ALL;
	s->batches[0] = 1;
	s->batches[1] = 64;
	s->nr_batches = 2;
	s->threads[0] = 1;
	s->nr_threads = 1;
	s->nr_injects = 1;
	s->rounds = 10;
	s->warmup = 1;
}

static int add_memtype(void *arg, const char *name, char *err, size_t errlen)
{
	uint64_t *mask = arg;
	const struct memtype_ops *mt;

	if (!strcmp(name, "all")) {
		*mask = (1ull << nr_memtypes) - 1;
		return 0;
	}
	mt = memtype_find(name);
	if (!mt)
		return seterr(err, errlen, "unknown memory type '%s' (see: uffdbench list)", name);
	*mask |= 1ull << memtype_index(mt);
	return 0;
}

static int add_ioctl(void *arg, const char *name, char *err, size_t errlen)
{
	unsigned *mask = arg;
	int op;

	if (!strcmp(name, "all")) {
		*mask = UOP_ALL;
		return 0;
	}
	op = uop_parse(name);
	if (op < 0)
		return seterr(err, errlen, "unknown ioctl '%s' (%s)", name, uop_list(UOP_ALL));
	*mask |= 1u << op;
	return 0;
}

struct uint_list {
	unsigned *v, *n;
	const char *what;
	bool allow_all;
};

static int add_uint(void *arg, const char *tok, char *err, size_t errlen)
{
	struct uint_list *l = arg;
	unsigned x;

	if (*l->n >= SPEC_MAX_LIST)
		return seterr(err, errlen, "too many %s values (max %d)", l->what, SPEC_MAX_LIST);
	if (l->allow_all && !strcmp(tok, "all"))
		x = THREADS_ALL;
	else if (parse_uint(tok, &x) || x == 0)
		return seterr(err, errlen, "bad %s '%s': want a positive integer", l->what, tok);
	if (list_add_unique(l->v, l->n, x, tok, err, errlen))
		return seterr(err, errlen, "%s '%s' given twice", l->what, tok);
	return 0;
}

static int set_list(unsigned *v, unsigned *n, const char *what, bool allow_all,
		    const char *val, char *err, size_t errlen)
{
	struct uint_list l = { v, n, what, allow_all };

	*n = 0;
	return list_for_each(val, add_uint, &l, err, errlen);
}

static int set_size(struct run_spec *s, const char *val, char *err, size_t errlen)
{
	if (!strcmp(val, "auto")) {
		s->size = 0;
		return 0;
	}
	if (parse_size(val, &s->size) || !s->size)
		return seterr(err, errlen, "bad size '%s': want e.g. 64M, 1G or auto", val);
	return 0;
}

static int set_count(unsigned *out, const char *key, const char *val, unsigned min,
		     char *err, size_t errlen)
{
	if (parse_uint(val, out) || *out < min)
		return seterr(err, errlen, "bad %s '%s': want an integer >= %u", key, val, min);
	return 0;
}

static int set_verify(struct run_spec *s, const char *val, char *err, size_t errlen)
{
	if (!strcmp(val, "sample"))
		s->verify = VERIFY_SAMPLE;
	else if (!strcmp(val, "full"))
		s->verify = VERIFY_FULL;
	else
		return seterr(err, errlen, "bad verify mode '%s' (sample, full)", val);
	return 0;
}

static int add_inject(void *arg, const char *tok, char *err, size_t errlen)
{
	struct run_spec *s = arg;
	char *end;
	double v;

	errno = 0;
	v = strtod(tok, &end);
	if (errno || *end || end == tok || !(v >= 0) || v > 1e7)
		return seterr(err, errlen, "bad inject-ns '%s': want 0..1e7 ns per page", tok);
	if (s->nr_injects >= SPEC_MAX_LIST)
		return seterr(err, errlen, "too many inject-ns values (max %d)", SPEC_MAX_LIST);
	if (list_add_unique_double(s->injects, &s->nr_injects, v, tok, err, errlen))
		return seterr(err, errlen, "inject-ns '%s' given twice", tok);
	return 0;
}

/* A list: cells with each delay are shuffled together in every --repeat
 * process, so they share the machine's slow and fast phases. */
static int add_knob_val(void *arg, const char *tok, char *err, size_t errlen)
{
	struct run_spec *s = arg;

	if (strlen(tok) >= sizeof(s->knob_vals[0]) || strpbrk(tok, " \n\t"))
		return seterr(err, errlen, "bad knob value '%s' (max 63 characters, no spaces)",
			      tok);
	if (s->nr_knob_vals >= SPEC_MAX_LIST)
		return seterr(err, errlen, "too many knob values (max %d)", SPEC_MAX_LIST);
	for (unsigned i = 0; i < s->nr_knob_vals; i++)
		if (!strcmp(s->knob_vals[i], tok))
			return seterr(err, errlen, "knob value '%s' given twice", tok);
	strcpy(s->knob_vals[s->nr_knob_vals++], tok);
	return 0;
}

/* --knob PATH=V1,V2,...: one knob per run (a second is refused). */
static int set_knob(struct run_spec *s, const char *val, char *err, size_t errlen)
{
	const char *eq = strchr(val, '=');

	if (s->knob_path[0])
		return seterr(err, errlen, "only one --knob per run is supported");
	if (!eq || eq == val || (size_t)(eq - val) >= sizeof(s->knob_path) || !eq[1])
		return seterr(err, errlen, "bad knob '%s': want PATH=V1,V2,...", val);
	if (memchr(val, ' ', eq - val))
		return seterr(err, errlen, "bad knob path: no spaces");
	memcpy(s->knob_path, val, eq - val);
	s->knob_path[eq - val] = '\0';
	return list_for_each(eq + 1, add_knob_val, s, err, errlen);
}

static int set_inject(struct run_spec *s, const char *val, char *err, size_t errlen)
{
	s->nr_injects = 0;
	return list_for_each(val, add_inject, s, err, errlen);
}

static bool is_place_key(const char *key)
{
	return !strcmp(key, "placement") || !strcmp(key, "cpu-node") || !strcmp(key, "mem-node") ||
	       !strcmp(key, "src-node");
}

/* Checked now (as the option would be), applied by run before its own options. */
static int add_place(struct run_spec *s, const char *key, const char *val, char *err,
		     size_t errlen)
{
	struct place_opts check;

	place_opts_init(&check);
	if (place_opts_set(&check, key, val, err, errlen))
		return -1;
	if (s->nr_place >= ARRAY_SIZE(s->place) || strlen(val) >= sizeof(s->place[0].val))
		return seterr(err, errlen, "too many or too long placement settings");
	snprintf(s->place[s->nr_place].key, sizeof(s->place[0].key), "%s", key);
	snprintf(s->place[s->nr_place++].val, sizeof(s->place[0].val), "%s", val);
	return 0;
}

int spec_set(struct run_spec *s, const char *key, const char *val, char *err, size_t errlen)
{
	if (!val)
		return seterr(err, errlen, "option '%s' needs a value", key);
	if (!strcmp(key, "memtype")) {
		s->memtypes = 0;
		return list_for_each(val, add_memtype, &s->memtypes, err, errlen);
	}
	if (!strcmp(key, "ioctl")) {
		s->ioctls = 0;
		return list_for_each(val, add_ioctl, &s->ioctls, err, errlen);
	}
	if (!strcmp(key, "batch"))
		return set_list(s->batches, &s->nr_batches, "batch", false, val, err, errlen);
	if (!strcmp(key, "threads"))
		return set_list(s->threads, &s->nr_threads, "threads", true, val, err, errlen);
	if (!strcmp(key, "size"))
		return set_size(s, val, err, errlen);
	if (!strcmp(key, "rounds"))
		return set_count(&s->rounds, key, val, 1, err, errlen);
	if (!strcmp(key, "warmup"))
		return set_count(&s->warmup, key, val, 0, err, errlen);
	if (!strcmp(key, "verify"))
		return set_verify(s, val, err, errlen);
	if (!strcmp(key, "inject-ns"))
		return set_inject(s, val, err, errlen);
	if (!strcmp(key, "knob"))
		return set_knob(s, val, err, errlen);
	if (!strcmp(key, "description")) {
		snprintf(s->description, sizeof(s->description), "%s", val);
		return 0;
	}
	if (is_place_key(key))
		return add_place(s, key, val, err, errlen);
	return seterr(err, errlen, "unknown setting '%s'", key);
}

static const char *suite_dir_override;

void suite_dir_set(const char *dir)
{
	suite_dir_override = dir;
}

const char *suite_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("UFFDBENCH_SUITES");
	/* PREFIX/bin/uffdbench (installed), bench/uffdbench, build/<variant>/uffdbench */
	static const char *const rel[] = { "../share/uffdbench/suites", "../workloads/suites",
					   "../../../workloads/suites" };
	char exe[PATH_MAX], try[PATH_MAX + 32];
	ssize_t n;

	if (suite_dir_override)
		return suite_dir_override;
	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "workloads/suites";
	exe[n] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(rel); i++) {
		snprintf(try, sizeof(try), "%s/%s", dirname(exe), rel[i]);
		if (access(try, R_OK) == 0 && realpath(try, dir))
			return dir;
		exe[n] = '\0';
	}
	return "workloads/suites";
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* A suite is a small regular file (not a FIFO, a directory or /dev/zero). */
#define SUITE_MAX_BYTES (1 << 20)

static FILE *open_suite(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	FILE *f;

	snprintf(path, len, "%s/%s.suite", suite_dir(), name);
	if (!*name || strchr(name, '/')) {
		seterr(err, errlen, "unknown suite '%s' (%s; see: uffdbench list)", name,
		       *name ? "a name, not a path" : "an empty name");
		return NULL;
	}
	f = fopen_regular(path, SUITE_MAX_BYTES, err, errlen);
	if (!f && errno == ENOENT)
		seterr(err, errlen, "unknown suite '%s' (no %s; see: uffdbench list)", name, path);
	return f;
}

/* One "key = value" line (or a comment, or blank) of a suite: 0 or -1 with msg. */
static int suite_line(struct run_spec *s, char *line, char *msg, size_t len)
{
	char *key = trim(line), *eq;

	if (!*key || *key == '#')
		return 0;
	eq = strchr(key, '=');
	if (!eq)
		return seterr(msg, len, "want 'key = value'");
	*eq = '\0';
	return spec_set(s, trim(key), trim(eq + 1), msg, len);
}

/*
 * Suite files: "key = value" lines, '#' comments; keys are run's long options.
 * Text only: a NUL byte would hide the rest of its line from the parser.
 */
int spec_load_suite(struct run_spec *s, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX + 80], msg[256], *line = NULL;
	unsigned lineno = 0;
	FILE *f = open_suite(name, path, sizeof(path), err, errlen);
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && (n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (n >= 512)
			ret = seterr(msg, sizeof(msg), "line too long");
		else if (memchr(line, '\0', n))
			ret = seterr(msg, sizeof(msg), "a NUL byte: not a text file");
		else
			ret = suite_line(s, line, msg, sizeof(msg));
	}
	free(line);
	fclose(f);
	if (ret)
		return seterr(err, errlen, "%s:%u: %s", path, lineno, msg);
	snprintf(s->suite, sizeof(s->suite), "%s", name);
	return 0;
}

int suite_describe(const char *name, char *desc, size_t len)
{
	struct run_spec s;
	char err[256];

	spec_defaults(&s);
	if (spec_load_suite(&s, name, err, sizeof(err))) {
		snprintf(desc, len, "%s", err);
		return -1;
	}
	snprintf(desc, len, "%s", s.description);
	return 0;
}

size_t cell_size(const struct run_spec *s, const struct memtype_ops *mt, unsigned batch)
{
	size_t psz = memtype_page_size(mt);
	size_t size = s->size ? s->size : auto_size();

	if (!s->size && size < batch * psz)
		size = batch * psz;
	return size / psz * psz;
}

static int check_batch(const struct run_spec *s, const struct memtype_ops *mt, unsigned batch,
		       char *err, size_t errlen)
{
	size_t psz = memtype_page_size(mt);

	if (!s->size)
		return 0;
	if (s->size < psz)
		return seterr(err, errlen, "size %zu is smaller than one %s page (%zu bytes)",
			    s->size, mt->name, psz);
	if ((size_t)batch > s->size / psz)
		return seterr(err, errlen, "batch %u is larger than the range: %zu %s pages per thread",
			    batch, s->size / psz, mt->name);
	return 0;
}

/* Thread counts with "all" resolved and repeats dropped ("1,all" on one CPU). */
static unsigned resolve_threads(const struct run_spec *s, unsigned all_cpus, unsigned *out)
{
	unsigned n = 0;

	for (unsigned t = 0; t < s->nr_threads; t++) {
		unsigned v = s->threads[t] == THREADS_ALL ? all_cpus : s->threads[t];
		bool seen = false;

		for (unsigned i = 0; i < n; i++)
			seen |= out[i] == v;
		if (!seen)
			out[n++] = v;
	}
	return n;
}

static void add_cells(const struct run_spec *s, unsigned m, unsigned op, unsigned b,
		      const unsigned *threads, unsigned nr_threads, struct cell *cells, size_t *n)
{
	unsigned nr_knobs = s->nr_knob_vals ? s->nr_knob_vals : 1;
	unsigned per_thread = s->nr_injects * nr_knobs;
	char unfit[128] = "";

	check_batch(s, memtypes[m], s->batches[b], unfit, sizeof(unfit));
	for (unsigned t = 0; t < nr_threads * per_thread; t++) {
		cells[*n] = (struct cell){ .mt = memtypes[m], .op = op, .batch = s->batches[b],
			.threads = threads[t / per_thread],
			.size = cell_size(s, memtypes[m], s->batches[b]),
			.inject_ns = s->injects[t / nr_knobs % s->nr_injects],
			.knob = s->nr_knob_vals ? s->knob_vals[t % nr_knobs] : NULL,
			.knob_path = s->knob_path };
		snprintf(cells[(*n)++].unfit, sizeof(unfit), "%s", unfit);
	}
}

/* -1 with err (the first cell's reason) when no cell fits. */
static int none_fits(const struct cell *cells, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (!cells[i].unfit[0])
			return 0;
	return n ? seterr(err, errlen, "%s", cells[0].unfit) : 0;
}

int spec_expand(const struct run_spec *s, unsigned all_cpus, struct cell **out,
		char *err, size_t errlen)
{
	unsigned threads[SPEC_MAX_LIST], nr_threads = resolve_threads(s, all_cpus, threads);
	size_t max = (size_t)nr_memtypes * UOP_NR * s->nr_batches * nr_threads * s->nr_injects *
		     (s->nr_knob_vals ? s->nr_knob_vals : 1);
	size_t n = 0;
	struct cell *cells;

	if (!s->memtypes || !s->ioctls || !s->nr_batches || !nr_threads || !s->nr_injects)
		return seterr(err, errlen, "empty matrix");
	cells = xcalloc(max, sizeof(*cells));
	for (unsigned m = 0; m < nr_memtypes; m++)
		for (unsigned op = 0; op < UOP_NR; op++)
			for (unsigned b = 0; b < s->nr_batches; b++)
				if ((s->memtypes & (1ull << m)) && (s->ioctls & (1u << op)))
					add_cells(s, m, op, b, threads, nr_threads, cells, &n);
	if (none_fits(cells, n, err, errlen)) {
		free(cells);
		return -1;
	}
	*out = cells;
	return n;
}

void cell_key(const struct cell *c, char *buf, size_t len)
{
	size_t n = 0;

	appendf(buf, len, &n, "%s/%s/b%u/t%u/%s", c->mt->name, uop_name(c->op), c->batch,
		c->threads, c->place ? c->place->name : "none");
	if (c->inject_ns > 0)
		appendf(buf, len, &n, "/inject=%g", c->inject_ns);
	if (c->knob)
		appendf(buf, len, &n, "/knob=%s", c->knob);
}
