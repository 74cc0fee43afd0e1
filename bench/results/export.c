// SPDX-License-Identifier: MIT
/*
 * export: results.jsonl's "kind": "cell" lines as rows.  Each directory is
 * validated by the shared reader (schema, malformed lines, summaries that
 * contradict their rounds: FILE:LINE), then its cell lines, as read, are
 * written in file order.
 */
#include "results/export.h"
#include "results/read.h"
#include "core/common.h"
#include "core/stats.h"
#include "core/alloc.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Key columns, then the per-cell or per-round values. */
static const char *const key_cols[] = {
	"dir", "kernel", "repeat", "key", "memtype", "backing", "mapping", "mode", "ioctl",
	"batch", "threads", "placement", "inject_ns", "page_size", "status", "reason",
};
static const char *const cell_cols[] = {
	"rounds", "ns_per_page_median", "ns_per_page_mean", "ns_per_page_sd",
	"ns_per_page_min", "ns_per_page_max", "ns_per_page_p25", "ns_per_page_p75",
	"ns_per_page_ci95_lo", "ns_per_page_ci95_hi", "ns_per_ioctl_median",
	"ns_per_ioctl_min", "pages_per_s_per_thread", "pages_per_s_total",
	"verify_mismatches", "elapsed_ms",
};
static const char *const round_cols[] = { "round", "ns_per_page", "ns_per_ioctl", "wall_ns" };

struct row {
	FILE *f;
	const struct export_opts *o;
	int col;
};

/* One field: CSV quotes it when it must (RFC 4180); TSV has no quoting. */
static void field(struct row *r, const char *s)
{
	char sep = r->o->format == EXPORT_TSV ? '\t' : ',';

	if (r->col++)
		fputc(sep, r->f);
	if (r->o->format == EXPORT_TSV) {
		for (; *s; s++)
			fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, r->f);
		return;
	}
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, r->f);
		return;
	}
	fputc('"', r->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', r->f);
		fputc(*s, r->f);
	}
	fputc('"', r->f);
}

/* The shortest text that reads back as the same double. */
static void number(struct row *r, double v)
{
	char buf[40];

	if (!isfinite(v)) {
		field(r, "");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	field(r, buf);
}

/* A JSON value as a field: numbers exactly, strings as they are, null empty. */
static void value(struct row *r, json_t *v)
{
	char buf[32];

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		field(r, buf);
	} else if (json_is_real(v)) {
		number(r, json_real_value(v));
	} else if (json_is_string(v)) {
		field(r, json_string_value(v));
	} else if (json_is_boolean(v)) {
		field(r, json_is_true(v) ? "true" : "false");
	} else {
		field(r, "");
	}
}

static void count(struct row *r, size_t n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%zu", n);
	field(r, buf);
}

static json_t *path2(json_t *o, const char *a, const char *b)
{
	return json_object_get(json_object_get(o, a), b);
}

static void header(struct row *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_cols); i++)
		field(r, key_cols[i]);
	if (r->o->rounds)
		for (size_t i = 0; i < ARRAY_SIZE(round_cols); i++)
			field(r, round_cols[i]);
	else
		for (size_t i = 0; i < ARRAY_SIZE(cell_cols); i++)
			field(r, cell_cols[i]);
	fputc('\n', r->f);
}

static void key_fields(struct row *r, const struct rr_dir *d, json_t *o)
{
	const char *kernel = rr_env_string(d, "kernel.release");

	r->col = 0;
	field(r, d->path);
	field(r, kernel ? kernel : "");
	for (size_t i = 2; i < ARRAY_SIZE(key_cols); i++)
		value(r, json_object_get(o, key_cols[i]));
}

/* An ok cell's line without a summary (written by hand, or by a fixture): from its rounds. */
static void derived_row(struct row *r, const struct rr_cell *c)
{
	struct summary pg, io;

	summarize(c->ns_per_page, c->nr_rounds, &pg);
	summarize(c->ns_per_ioctl, c->nr_rounds, &io);
	number(r, pg.median);
	number(r, pg.mean);
	number(r, pg.sd);
	number(r, pg.min);
	number(r, pg.max);
	number(r, pg.p25);
	number(r, pg.p75);
	number(r, pg.has_ci ? pg.ci_lo : NAN);
	number(r, pg.has_ci ? pg.ci_hi : NAN);
	number(r, io.median);
	number(r, io.min);
	number(r, 1e9 / pg.median);
	field(r, "");
}

static void summary_row(struct row *r, json_t *o)
{
	json_t *pg = path2(o, "summary", "ns_per_page");
	json_t *io = path2(o, "summary", "ns_per_ioctl");
	json_t *ci = json_object_get(pg, "ci95");
	static const char *const stat[] = { "median", "mean", "sd", "min", "max", "p25", "p75" };

	for (size_t i = 0; i < ARRAY_SIZE(stat); i++)
		value(r, json_object_get(pg, stat[i]));
	value(r, json_array_get(ci, 0));
	value(r, json_array_get(ci, 1));
	value(r, json_object_get(io, "median"));
	value(r, json_object_get(io, "min"));
	value(r, path2(o, "summary", "pages_per_s_per_thread"));
	value(r, path2(o, "summary", "pages_per_s_total"));
}

/* The summary as the reader checked it against the rounds, or derived from them. */
static void cell_row(struct row *r, const struct rr_dir *d, const struct rr_cell *c)
{
	json_t *o = c->obj;

	key_fields(r, d, o);
	count(r, json_array_size(json_object_get(o, "rounds")));
	if (rr_cell_ok(c) && !json_object_get(o, "summary"))
		derived_row(r, c);
	else
		summary_row(r, o);
	value(r, path2(o, "verify", "mismatches"));
	value(r, json_object_get(o, "elapsed_ms"));
	fputc('\n', r->f);
}

static void round_rows(struct row *r, const struct rr_dir *d, json_t *o)
{
	json_t *rounds = json_object_get(o, "rounds"), *x;
	size_t i;

	json_array_foreach(rounds, i, x) {
		key_fields(r, d, o);
		count(r, i);
		value(r, json_object_get(x, "ns_per_page"));
		value(r, json_object_get(x, "ns_per_ioctl"));
		value(r, json_object_get(x, "wall_ns"));
		fputc('\n', r->f);
	}
}

/* The cell lines in file order, as the reader read and checked them. */
static void export_dir(struct row *r, const struct rr_dir *d)
{
	for (size_t i = 0; i < d->nr_cells; i++) {
		if (r->o->rounds)
			round_rows(r, d, d->cells[i].obj);
		else
			cell_row(r, d, &d->cells[i]);
	}
}

int export_dirs(FILE *f, char *const *dirs, int n, const struct export_opts *o,
		char *err, size_t errlen)
{
	struct row r = { .f = f, .o = o };
	struct rr_dir *d = xcalloc(n, sizeof(*d));
	int ret = 0, loaded = 0;

	for (; loaded < n && !ret; loaded++)
		ret = rr_load(dirs[loaded], &d[loaded], err, errlen);
	if (ret)
		loaded--;	/* the one that failed is empty */
	if (!ret && o->header)
		header(&r);
	for (int i = 0; i < n && !ret; i++)
		export_dir(&r, &d[i]);
	for (int i = 0; i < loaded; i++)
		rr_free(&d[i]);
	free(d);
	return ret ? -1 : 0;
}
