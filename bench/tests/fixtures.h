/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_TESTS_FIXTURES_H
#define UFFDBENCH_TESTS_FIXTURES_H

/*
 * Synthetic results directories with known distributions, for the tests of
 * anything that reads results (compare, plots).  Header-only: the Makefile
 * builds each test from its one .c file.
 *
 * A cell's time per ioctl is (alpha + (beta + extra_beta) * batch) * scale,
 * times a lognormal factor per repeat (rep_noise) and one per round (noise);
 * with bimodal > 0 that fraction of rounds is 30% slower.  A fixed-seed GSL
 * RNG makes every directory the same on every run.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fx_cell {
	const char *memtype, *mapping, *ioctl;
	unsigned batch, threads;
	double alpha, beta;		/* ns/ioctl = alpha + beta * batch */
	const char *status;		/* NULL: "ok" */
	const char *reason;
	const char *placement;		/* NULL: "none" */
};

struct fx_run {
	unsigned rounds, repeats;
	double noise, rep_noise;	/* lognormal sigma per round, per repeat */
	double scale;			/* 1.05: every time 5% longer */
	double extra_beta;		/* ns/page more, on cells the series touches */
	double bimodal;			/* fraction of rounds 30% slower */
	double phase;			/* repeat k is 0..phase slower on both sides alike */
	int schema;
	unsigned long seed;
	const char *release, *spectre_v2, *cpu_model;
	const char *continue_private;	/* caps: shmem-private minor continue */
	bool no_env, no_caps;
};

#define FX_RUN_DEFAULT { .rounds = 10, .repeats = 5, .noise = 0.015, .rep_noise = 0.01, \
	.scale = 1, .schema = 1, .seed = 1, .release = "6.12.0-base", \
	.spectre_v2 = "Mitigation: Retpolines", .cpu_model = "Test CPU @ 2.0GHz", \
	.continue_private = "ok" }

/* Batch sizes 1, 8, 64 of five (memtype, ioctl) pairs, and a skipped hugetlb cell. */
static const struct fx_cell fx_default_cells[] = {
#define FX(mt, map, io, a, b) \
	{ mt, map, io, 1, 1, a, b }, { mt, map, io, 8, 1, a, b }, { mt, map, io, 64, 1, a, b }
	FX("anon", "private", "copy", 500, 100),
	FX("anon", "private", "zeropage", 400, 30),
	FX("shmem-memfd", "shared", "copy", 600, 120),
	FX("shmem-memfd", "shared", "continue", 500, 100),
	FX("shmem-private", "private", "copy", 550, 110),
	FX("shmem-private", "private", "continue", 450, 90),
#undef FX
	{ "hugetlb", "shared", "copy", 1, 1, 0, 0, "skipped", "no hugepages" },
};

static inline bool fx_series_touches(const struct fx_cell *c)
{
	return !strcmp(c->memtype, "shmem-memfd");
}

static inline json_t *fx_rounds(const struct fx_cell *c, const struct fx_run *r, unsigned k,
				 gsl_rng *rng)
{
	double extra = fx_series_touches(c) ? r->extra_beta : 0;
	double phase = 1 + r->phase * ((k * 37) % 10) / 10.0;	/* the machine, not the kernel */
	double t = (c->alpha + (c->beta + extra) * c->batch) * r->scale * phase;
	double rep = exp(gsl_ran_gaussian(rng, r->rep_noise));
	json_t *a = json_array();

	for (unsigned i = 0; i < r->rounds; i++) {
		double f = rep * exp(gsl_ran_gaussian(rng, r->noise));
		double io;

		if (r->bimodal > 0 && gsl_rng_uniform(rng) < r->bimodal)
			f *= 1.3;
		io = t * f;
		json_array_append_new(a, json_pack("{s:f, s:f, s:I}", "ns_per_page", io / c->batch,
						   "ns_per_ioctl", io, "wall_ns",
						   (json_int_t)(io * 1000)));
	}
	return a;
}

static inline json_t *fx_line(const struct fx_cell *c, const struct fx_run *r, unsigned rep,
			      gsl_rng *rng)
{
	const char *status = c->status ? c->status : "ok";
	bool ok = !strcmp(status, "ok");
	char key[160];
	json_t *o;

	const char *place = c->placement ? c->placement : "none";

	snprintf(key, sizeof(key), "%s/%s/b%u/t%u/%s", c->memtype, c->ioctl, c->batch,
		 c->threads, place);
	o = json_pack("{s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:i, s:f}",
		      "schema", r->schema, "kind", "cell", "key", key, "repeat", rep,
		      "memtype", c->memtype, "mapping", c->mapping,
		      "mode", strcmp(c->ioctl, "continue") ? "missing" : "minor",
		      "ioctl", c->ioctl, "batch", c->batch, "threads", c->threads,
		      "placement", place, "status", status, "warmup", 1, "inject_ns", 0.0);
	json_object_set_new(o, "rounds", ok ? fx_rounds(c, r, rep, rng) : json_array());
	if (c->reason)
		json_object_set_new(o, "reason", json_string(c->reason));
	return o;
}

static inline json_t *fx_env(const struct fx_run *r)
{
	return json_pack("{s:i, s:{s:s, s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:[s, s, s]}, "
			 "s:s, s:s, s:s, s:[s, s]}",
			 "schema", r->schema,
			 "kernel", "release", r->release, "version", r->release,
			 "cmdline", "console=ttyS0 quiet",
			 "vulnerabilities", "spectre_v2", r->spectre_v2,
			 "meltdown", "Not affected",
			 "cpu", "model", r->cpu_model, "flags", "fpu", "sse2", "avx2",
			 "date", r->release, "hostname", r->release, "clocksource", "tsc",
			 "command", "uffdbench", r->release);
}

static inline json_t *fx_caps(const struct fx_run *r)
{
	static const char *const mt[] = { "anon", "shmem-memfd", "shmem-private" };
	static const char *const io[] = { "copy", "zeropage", "continue" };
	json_t *e = json_array();

	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++) {
			const char *mode = j == 2 ? "minor" : "missing";
			const char *res = "ok";

			if (i == 0 && j == 2)
				res = "EINVAL";
			if (i == 2 && j == 2)
				res = r->continue_private;
			json_array_append_new(e, json_pack("{s:s, s:s, s:s, s:s, s:s}",
				"memtype", mt[i], "mode", mode, "ioctl", io[j],
				"register", "ok", "result", res));
		}
	json_array_append_new(e, json_pack("{s:s, s:s, s:s, s:s}", "memtype", "hugetlb",
					   "mode", "missing", "ioctl", "copy",
					   "unavailable", "no hugepages"));
	return json_pack("{s:i, s:o}", "schema", r->schema, "entries", e);
}

static inline void fx_dump(json_t *o, const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (json_dump_file(o, path, JSON_COMPACT))
		abort();
	json_decref(o);
}

/* Write dir (created) from run and the cells; every cell gets r->repeats lines. */
static inline void fx_write(const char *dir, const struct fx_run *r,
			    const struct fx_cell *cells, size_t n)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	char path[512];
	FILE *f;

	gsl_rng_set(rng, r->seed);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "w");
	if (!f)
		abort();
	for (unsigned rep = 0; rep < r->repeats; rep++)
		for (size_t i = 0; i < n; i++) {
			json_t *o = fx_line(&cells[i], r, rep, rng);
			char *s = json_dumps(o, JSON_COMPACT);

			fprintf(f, "%s\n", s);
			free(s);
			json_decref(o);
		}
	fclose(f);
	gsl_rng_free(rng);
	if (!r->no_env)
		fx_dump(fx_env(r), dir, "env.json");
	if (!r->no_caps)
		fx_dump(fx_caps(r), dir, "caps.json");
}

static inline void fx_write_default(const char *dir, const struct fx_run *r)
{
	fx_write(dir, r, fx_default_cells, sizeof(fx_default_cells) / sizeof(fx_default_cells[0]));
}

/*
 * Rewrite dir/results.jsonl line by line: fn gets each line's object and
 * appends to out the objects written in its place (the line itself, changed
 * or not; several; or none).
 */
static inline void fx_rewrite(const char *dir, void (*fn)(json_t *line, json_t *out, void *arg),
			      void *arg)
{
	json_t *out = json_array(), *o;
	char path[512], *line = NULL;
	size_t cap = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "r");
	if (!f)
		abort();
	while (getline(&line, &cap, f) > 0) {
		o = json_loads(line, 0, NULL);
		if (!o)
			abort();
		fn(o, out, arg);
		json_decref(o);
	}
	free(line);
	fclose(f);
	f = fopen(path, "w");
	if (!f)
		abort();
	json_array_foreach(out, i, o) {
		char *s = json_dumps(o, JSON_COMPACT);

		fprintf(f, "%s\n", s);
		free(s);
	}
	fclose(f);
	json_decref(out);
}

/* Replace dir/name with text. */
static inline void fx_write_text(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

#endif
