// SPDX-License-Identifier: MIT
/*
 * results_read: a results directory back into memory.  Strict about what
 * makes numbers meaningless (schema, malformed lines, missing round data),
 * lenient about fields a reader does not need.
 */
#include "results/read.h"
#include "results/check.h"
#include "ioctls/ioctl.h"
#include "core/alloc.h"
#include "core/common.h"
#include "core/file.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "schema" of obj must be RR_SCHEMA; where names the file (and line). */
static int check_schema(json_t *obj, const char *where, char *err, size_t len)
{
	json_t *s = json_object_get(obj, "schema");

	if (!json_is_integer(s)) {
		seterr(err, len, "%s: no integer \"schema\" field", where);
		return -1;
	}
	if (json_integer_value(s) != RR_SCHEMA) {
		seterr(err, len, "%s: schema %lld, this reader knows only schema %d",
		       where, (long long)json_integer_value(s), RR_SCHEMA);
		return -1;
	}
	return 0;
}

/* env.json or caps.json: absent is fine (*out = NULL), malformed is not. */
static int load_side_file(const char *dir, const char *name, json_t **out,
			  char *err, size_t len)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *o;
	FILE *f;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	f = fopen_regular(path, RR_MAX_SIDE_FILE, err, len);
	if (!f)
		return -1;
	o = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!o) {
		seterr(err, len, "%s:%d: not valid JSON: %s", path, jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(o)) {
		seterr(err, len, "%s: not a JSON object", path);
		goto bad;
	}
	if (check_schema(o, path, err, len))
		goto bad;
	*out = o;
	return 0;
bad:
	json_decref(o);
	return -1;
}

/*
 * Names (memtype, ioctl, placement, ...) end up in file names and gnuplot
 * scripts: letters, digits and . _ + - > only, and short.
 */
#define RR_NAME_MAX 64

static bool is_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "0123456789._+->");

	return n && !s[n] && n <= RR_NAME_MAX;
}

static int get_str(json_t *o, const char *name, const char *dflt, char **out,
		   const char *where, char *err, size_t len)
{
	json_t *v = json_object_get(o, name);

	if (!v && dflt) {
		*out = xstrdup(dflt);
		return 0;
	}
	if (!json_is_string(v)) {
		seterr(err, len, "%s: %s \"%s\" field", where, v ? "non-string" : "no", name);
		return -1;
	}
	if (!is_name(json_string_value(v))) {
		seterr(err, len, "%s: bad \"%s\" field (not a name: 1 to %d letters, digits, "
		       "'.', '_', '+', '-', '>')", where, name, RR_NAME_MAX);
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* An integer in [min, UINT_MAX]; dflt (>= 0) when absent. */
static int get_uint(json_t *o, const char *name, int dflt, unsigned min, unsigned *out,
		    const char *where, char *err, size_t len)
{
	json_t *v = json_object_get(o, name);

	if (!v && dflt >= 0) {
		*out = dflt;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > UINT_MAX) {
		seterr(err, len, "%s: %s \"%s\" field%s", where, v ? "bad" : "no", name,
		       !v ? "" : min ? " (not a positive integer)" : " (not a non-negative integer)");
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static const char *const statuses[] = { "ok", "failed", "skipped" };

static int check_status(const char *status, const char *where, char *err, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++)
		if (!strcmp(status, statuses[i]))
			return 0;
	return seterr(err, len, "%s: bad \"status\" \"%s\" (ok, failed or skipped)", where,
		      status);
}

/* "inject_ns": absent is 0; else a finite number >= 0. */
static int get_inject(json_t *o, double *out, const char *where, char *err, size_t len)
{
	json_t *v = json_object_get(o, "inject_ns");

	*out = json_number_value(v);
	if (!v || (json_is_number(v) && *out >= 0 && *out <= 1e7))
		return 0;
	return seterr(err, len, "%s: bad \"inject_ns\" field (not a number in 0..1e7)", where);
}

/* "knob": absent is NULL; else an object with a string "value". */
static int get_knob(json_t *o, char **out, const char *where, char *err, size_t len)
{
	json_t *k = json_object_get(o, "knob");
	json_t *v = json_object_get(k, "value");

	*out = NULL;
	if (!k)
		return 0;
	if (!json_is_object(k) || !json_is_string(v))
		return seterr(err, len, "%s: bad \"knob\" field (want {\"path\", \"value\"})",
			      where);
	*out = xstrdup(json_string_value(v));
	return 0;
}

/*
 * The range each thread covered, page_size * pages_per_thread bytes: 0 when
 * the line does not say (files older than these fields).
 */
static int get_size(json_t *o, struct rr_cell *c, const char *where, char *err, size_t len)
{
	json_t *ps = json_object_get(o, "page_size"), *pp = json_object_get(o, "pages_per_thread");

	json_int_t p = json_integer_value(ps), n = json_integer_value(pp);

	c->size = 0;
	if (!ps && !pp)
		return 0;
	/* a page is a power of two up to 16 GiB; a range fits in 2^52 bytes */
	if (!json_is_integer(ps) || !json_is_integer(pp) || p <= 0 || p > (1ll << 34) ||
	    (p & (p - 1)) || n < 0 || __builtin_mul_overflow((unsigned long long)p,
							      (unsigned long long)n, &c->size) ||
	    c->size > (1ull << 52))
		return seterr(err, len, "%s: bad \"page_size\"/\"pages_per_thread\" fields "
			      "(a power-of-two page size, a range up to 4 PiB, both or neither)",
			      where);
	c->page_size = p;
	return 0;
}

/*
 * The per-round numbers of an "ok" cell, which must have them all.  A failed
 * cell's rounds are not read: it is never compared, and what it measured
 * before it failed may be partial.
 */
static int get_rounds(json_t *o, struct rr_cell *c, const char *where, char *err, size_t len)
{
	json_t *rounds = json_object_get(o, "rounds"), *r;
	size_t i;

	if (!rr_cell_ok(c))
		return 0;
	if (!json_is_array(rounds) || !json_array_size(rounds)) {
		seterr(err, len, "%s: status ok but no \"rounds\" (or not an array, or empty)",
		       where);
		return -1;
	}
	c->nr_rounds = json_array_size(rounds);
	c->ns_per_page = xcalloc(c->nr_rounds, sizeof(double));
	c->ns_per_ioctl = xcalloc(c->nr_rounds, sizeof(double));
	c->irqs = xcalloc(c->nr_rounds, sizeof(long long));
	json_array_foreach(rounds, i, r) {
		json_t *pg = json_object_get(r, "ns_per_page");
		json_t *io = json_object_get(r, "ns_per_ioctl");
		json_t *irqs = json_object_get(r, "irqs");

		if (!json_is_number(pg) || !json_is_number(io) ||
		    !(json_number_value(pg) > 0) || !(json_number_value(io) > 0) ||
		    json_number_value(pg) > RR_MAX_NS || json_number_value(io) > RR_MAX_NS) {
			seterr(err, len, "%s: round %zu lacks an ns_per_page/ns_per_ioctl in "
			       "(0, %g]", where, i, RR_MAX_NS);
			return -1;
		}
		c->ns_per_page[i] = json_number_value(pg);
		c->ns_per_ioctl[i] = json_number_value(io);
		if (irqs && (!json_is_integer(irqs) || json_integer_value(irqs) < 0)) {
			seterr(err, len, "%s: round %zu: \"irqs\" is not a count", where, i);
			return -1;
		}
		c->irqs[i] = irqs ? json_integer_value(irqs) : -1;
	}
	return 0;
}

/* Results without a "mode": the mode the ioctl's table entry registers. */
static const char *default_mode(json_t *o)
{
	const char *ioctl = json_string_value(json_object_get(o, "ioctl"));
	int op = ioctl ? uop_parse(ioctl) : -1;

	return reg_mode_name(op < 0 ? REG_MISSING : uop_mode(op));
}

/* "clock": "icount" or "wall"; absent (files before it existed): wall. */
static int get_clock(json_t *o, enum bench_clock *out, const char *where, char *err, size_t len)
{
	json_t *v = json_object_get(o, "clock");

	*out = CLOCK_WALL;
	if (!v || bench_clock_parse(json_is_string(v) ? json_string_value(v) : "", out))
		return 0;
	seterr(err, len, "%s: \"clock\" is neither \"icount\" nor \"wall\"", where);
	return -1;
}

static int parse_cell(json_t *o, const char *where, struct rr_cell *c, char *err, size_t len)
{
	json_t *reason = json_object_get(o, "reason");

	if (get_str(o, "memtype", NULL, &c->memtype, where, err, len) ||
	    get_str(o, "mapping", NULL, &c->mapping, where, err, len) ||
	    get_str(o, "ioctl", NULL, &c->ioctl, where, err, len) ||
	    get_str(o, "mode", default_mode(o), &c->mode, where, err, len) ||
	    get_str(o, "placement", "none", &c->placement, where, err, len) ||
	    get_str(o, "status", NULL, &c->status, where, err, len) ||
	    check_status(c->status, where, err, len) ||
	    get_uint(o, "batch", -1, 1, &c->batch, where, err, len) ||
	    get_uint(o, "threads", -1, 1, &c->threads, where, err, len) ||
	    get_uint(o, "repeat", 0, 0, &c->repeat, where, err, len) ||
	    get_inject(o, &c->inject_ns, where, err, len) ||
	    get_knob(o, &c->knob, where, err, len) ||
	    get_size(o, c, where, err, len))
		return -1;
	if (get_clock(o, &c->clock, where, err, len))
		return -1;
	if (json_is_string(reason))
		c->reason = xstrdup(json_string_value(reason));
	if (json_is_object(json_object_get(o, "perf")))
		c->perf = json_incref(json_object_get(o, "perf"));
	c->obj = json_incref(o);
	return get_rounds(o, c, where, err, len) || rr_check_summary(o, c, where, err, len);
}

static void cell_free(struct rr_cell *c)
{
	free(c->memtype);
	free(c->mapping);
	free(c->mode);
	free(c->ioctl);
	free(c->placement);
	free(c->status);
	free(c->reason);
	free(c->knob);
	free(c->ns_per_page);
	free(c->ns_per_ioctl);
	free(c->irqs);
	json_decref(c->perf);
	json_decref(c->obj);
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* One non-blank line; 1 when it is a cell (appended), 0 another kind, -1 error. */
static int parse_line(struct rr_dir *d, const char *path, unsigned lineno, const char *text,
		      size_t n, bool no_newline, char *err, size_t len)
{
	char where[PATH_MAX + 32];
	const char *nul = memchr(text, '\0', n);
	json_error_t jerr;
	struct rr_cell *c;
	json_t *o, *kind;
	int ret = -1;

	snprintf(where, sizeof(where), "%s:%u", path, lineno);
	if (nul)
		return seterr(err, len, "%s: a NUL byte at column %zu", where, nul - text + 1);
	/* the whole line, one object: nothing after it, no key given twice */
	o = json_loadb(text, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		seterr(err, len, "%s: not valid JSON%s: %s (column %d)", where,
		       no_newline ? " (truncated: no newline at the end of the file)" : "",
		       jerr.text, jerr.column);
		return -1;
	}
	if (!json_is_object(o)) {
		seterr(err, len, "%s: not a JSON object", where);
		goto out;
	}
	if (check_schema(o, where, err, len))
		goto out;
	kind = json_object_get(o, "kind");
	if (json_is_string(kind) && strcmp(json_string_value(kind), "cell")) {
		if (!d->others)
			d->others = json_array();
		json_array_append(d->others, o);
		d->nr_other++;
		ret = 0;
		goto out;
	}
	if (d->nr_cells == d->cap_cells) {	/* doubling: O(n) copies over the file */
		d->cap_cells = d->cap_cells ? 2 * d->cap_cells : 16;
		d->cells = xrealloc(d->cells, d->cap_cells, sizeof(*d->cells));
	}
	c = &d->cells[d->nr_cells++];
	memset(c, 0, sizeof(*c));
	c->line = lineno;
	ret = parse_cell(o, where, c, err, len) ? -1 : 1;
out:
	json_decref(o);
	return ret;
}

static int line_order(const void *a, const void *b)
{
	const struct rr_cell *x = *(const struct rr_cell *const *)a;
	const struct rr_cell *y = *(const struct rr_cell *const *)b;
	int r = rr_key_cmp(x, y);

	if (r)
		return r;
	if (x->repeat != y->repeat)
		return x->repeat < y->repeat ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Two lines for the same cell and repeat: the file was concatenated or edited. */
static int check_duplicates(const struct rr_dir *d, const char *path, char *err, size_t len)
{
	const struct rr_cell **s = xcalloc(d->nr_cells, sizeof(*s));
	int ret = 0;

	for (size_t i = 0; i < d->nr_cells; i++)
		s[i] = &d->cells[i];
	qsort(s, d->nr_cells, sizeof(*s), line_order);
	for (size_t i = 1; i < d->nr_cells && !ret; i++) {
		const struct rr_cell *a = s[i - 1], *b = s[i];

		if (rr_key_cmp(a, b) || a->repeat != b->repeat)
			continue;
		seterr(err, len, "%s:%u: duplicate of line %u (%s %s batch %u threads %u repeat %u)",
		       path, b->line, a->line, b->memtype, b->ioctl, b->batch, b->threads,
		       b->repeat);
		ret = -1;
	}
	free(s);
	return ret;
}

/* Instructions and nanoseconds never share a directory. */
static int check_clock(struct rr_dir *d, const char *path, char *err, size_t len)
{
	if (!d->nr_cells)
		return 0;	/* fault and capacity lines only: wall-clock ns */
	d->clock = d->cells[0].clock;
	for (size_t i = 1; i < d->nr_cells; i++) {
		const struct rr_cell *c = &d->cells[i];

		if (c->clock == d->clock)
			continue;
		seterr(err, len, "%s:%u: clock %s, but line %u says %s: one directory, one clock",
		       path, c->line, bench_clock_name(c->clock), d->cells[0].line,
		       bench_clock_name(d->clock));
		return -1;
	}
	return 0;
}

static int check_env_clock(struct rr_dir *d, const char *dir, char *err, size_t len)
{
	enum bench_clock c;

	if (!d->env || get_clock(d->env, &c, "env.json", err, len))
		return d->env ? -1 : 0;
	if (!d->nr_cells) {
		d->clock = c;	/* fault and capacity lines only: written under env.json's clock */
		return 0;
	}
	if (!json_object_get(d->env, "clock") || c == d->clock)
		return 0;
	seterr(err, len, "%s/env.json: clock %s, but results.jsonl says %s", dir,
	       bench_clock_name(c), bench_clock_name(d->clock));
	return -1;
}

static int read_results(struct rr_dir *d, const char *path, char *err, size_t len)
{
	FILE *f = fopen_regular(path, RR_MAX_RESULTS, err, len);
	char *line = NULL;
	size_t cap = 0, total = 0;
	unsigned lineno = 0;
	ssize_t n;
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && (n = getline(&line, &cap, f)) > 0) {
		bool no_nl = line[n - 1] != '\n';

		lineno++;
		total += n;
		if (total > RR_MAX_RESULTS) {	/* it grew while read */
			ret = seterr(err, len, "%s:%u: more than the %d bytes a reader takes",
				     path, lineno, RR_MAX_RESULTS);
			break;
		}
		if (blank(line))
			continue;
		ret = parse_line(d, path, lineno, line, n, no_nl, err, len) < 0 ? -1 : 0;
	}
	free(line);
	fclose(f);
	if (ret)
		return -1;
	/* fault and capacity lines alone are a directory too: plot draws them */
	if (!d->nr_cells && !d->nr_other) {
		seterr(err, len, "%s: %s", path, lineno ? "no cells in it" : "empty: no cells");
		return -1;
	}
	return check_clock(d, path, err, len) || check_duplicates(d, path, err, len);
}

int rr_load(const char *dir, struct rr_dir *d, char *err, size_t len)
{
	char path[PATH_MAX];
	struct stat st;

	memset(d, 0, sizeof(*d));
	if (stat(dir, &st)) {
		seterr(err, len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		seterr(err, len, "%s: not a directory", dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (access(path, F_OK)) {
		seterr(err, len, "%s: no results.jsonl (not a results directory?)", dir);
		return -1;
	}
	d->path = xstrdup(dir);
	if (read_results(d, path, err, len) ||
	    load_side_file(dir, "env.json", &d->env, err, len) ||
	    check_env_clock(d, dir, err, len) ||
	    load_side_file(dir, "caps.json", &d->caps, err, len))
		goto fail;
	return 0;
fail:
	rr_free(d);
	return -1;
}

void rr_free(struct rr_dir *d)
{
	for (size_t i = 0; i < d->nr_cells; i++)
		cell_free(&d->cells[i]);
	free(d->cells);
	free(d->path);
	json_decref(d->env);
	json_decref(d->caps);
	json_decref(d->others);
	memset(d, 0, sizeof(*d));
}

static int num_cmp(unsigned a, unsigned b)
{
	return a < b ? -1 : a > b;
}

int rr_key_cmp(const struct rr_cell *a, const struct rr_cell *b)
{
	int r;

	if ((r = strcmp(a->memtype, b->memtype)) || (r = strcmp(a->mapping, b->mapping)) ||
	    (r = strcmp(a->ioctl, b->ioctl)) || (r = num_cmp(a->threads, b->threads)) ||
	    (r = strcmp(a->placement, b->placement)))
		return r;
	/* --inject-ns LIST: each delay is a cell (and a batch series) of its own */
	if ((r = (a->inject_ns > b->inject_ns) - (a->inject_ns < b->inject_ns)))
		return r;
	/* --knob PATH=LIST: likewise each value */
	if ((r = strcmp(a->knob ? a->knob : "", b->knob ? b->knob : "")))
		return r;
	return num_cmp(a->batch, b->batch);
}

const char *rr_env_string(const struct rr_dir *d, const char *path)
{
	char buf[256], *save = NULL, *tok;
	json_t *o = d->env;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	return json_string_value(o);
}
