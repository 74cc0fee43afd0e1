// SPDX-License-Identifier: MIT
/*
 * One run cell as its line of results.jsonl: the rounds, their summary, the
 * outcomes, placement and counters (schema in bench/docs/schema.md), and
 * the derived per-round numbers the table and the line share.
 */
#include "run/cell_json.h"
#include "core/common.h"
#include "core/stats.h"
#include "core/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t round_wall_ns(const struct cell_result *res, unsigned i)
{
	const struct thread_round *tr = &res->tr[(size_t)i * res->threads];
	uint64_t first = tr[0].t_start, last = tr[0].t_end;

	for (unsigned t = 1; t < res->threads; t++) {
		if (tr[t].t_start < first)
			first = tr[t].t_start;
		if (tr[t].t_end > last)
			last = tr[t].t_end;
	}
	return last - first;
}

static double round_ns_per(const struct cell_result *res, unsigned i, bool per_page)
{
	const struct thread_round *tr = &res->tr[(size_t)i * res->threads];
	uint64_t ns = 0, units = 0;

	for (unsigned t = 0; t < res->threads; t++) {
		ns += tr[t].t_end - tr[t].t_start;
		units += per_page ? tr[t].pages : tr[t].ioctls;
	}
	return units ? (double)ns / units : 0;
}

double round_ns_per_page(const struct cell_result *res, unsigned i)
{
	return round_ns_per(res, i, true);
}

double round_ns_per_ioctl(const struct cell_result *res, unsigned i)
{
	return round_ns_per(res, i, false);
}

static json_t *round_json(const struct cell_result *res, unsigned i)
{
	const struct thread_round *tr = &res->tr[(size_t)i * res->threads];
	json_t *threads = json_array(), *o;

	for (unsigned t = 0; t < res->threads; t++)
		json_array_append_new(threads, json_pack("{s:i, s:i, s:I, s:I, s:I}", "cpu", tr[t].cpu,
							 "node", tr[t].node,
							 "ns", (json_int_t)(tr[t].t_end - tr[t].t_start),
							 "ioctls", (json_int_t)tr[t].ioctls,
							 "pages", (json_int_t)tr[t].pages));
	o = json_pack("{s:f, s:f, s:I, s:o}", "ns_per_page", round_ns_per_page(res, i),
		      "ns_per_ioctl", round_ns_per_ioctl(res, i),
		      "wall_ns", (json_int_t)round_wall_ns(res, i), "threads", threads);
	/* One thread: the interrupts that landed in its pass (the icount rule groups by them). */
	if (o && res->threads == 1 && tr[0].irqs >= 0)
		json_object_set_new(o, "irqs", json_integer(tr[0].irqs));
	return o;
}

static json_t *summary_json(const struct cell_result *res)
{
	unsigned n = res->rounds;
	double *pg = xcalloc(n + 1, sizeof(double)), *io = xcalloc(n + 1, sizeof(double));
	double *tput = xcalloc(n + 1, sizeof(double));
	uint64_t pages = (uint64_t)res->pages_per_thread * res->threads;
	struct summary sp, si, st;

	for (unsigned i = 0; i < n; i++) {
		pg[i] = round_ns_per_page(res, i);
		io[i] = round_ns_per_ioctl(res, i);
		tput[i] = pages * 1e9 / round_wall_ns(res, i);
	}
	summarize(pg, n, &sp);
	summarize(io, n, &si);
	summarize(tput, n, &st);
	free(pg);
	free(io);
	free(tput);
	return json_pack("{s:o, s:o, s:f, s:f}", "ns_per_page", summary_to_json(&sp),
			 "ns_per_ioctl", summary_to_json(&si),
			 "pages_per_s_per_thread", 1e9 / sp.median, "pages_per_s_total", st.median);
}

static json_t *outcomes_json(const struct pass_result *o)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "ok", (json_int_t)o->ok,
			 "eexist", (json_int_t)o->eexist, "eagain", (json_int_t)o->eagain,
			 "short", (json_int_t)o->short_done, "other", (json_int_t)o->other,
			 "other_errno", o->other ? json_string(errno_name(o->other_errno)) : json_null());
}

/* --perf: the counters per page of the timed rounds. */
static json_t *perf_json(const struct cell_result *res)
{
	uint64_t pages = 0;

	for (size_t i = 0; i < (size_t)res->rounds * res->threads; i++)
		pages += res->tr[i].pages;
	return perf_counts_json(&res->perf, pages);
}

static json_t *node_or_null(int node)
{
	return node >= 0 ? json_integer(node) : json_null();
}

static json_t *fraction_or_null(double f)
{
	return f >= 0 ? json_real(f) : json_null();
}

/* Where the cell asked its threads and memory to be, and where they were. */
static void placement_json(json_t *o, const struct place_cell *p, const struct cell_result *res)
{
	const struct place_verify *v = &res->place;
	json_t *nodes = json_array();
	char note[160];

	for (int i = 0; i < PLACE_MAX_NODES; i++)
		if ((p->mem_mask[i / 64] >> (i % 64)) & 1)
			json_array_append_new(nodes, json_integer(i));
	json_object_set_new(o, "cpu_node", node_or_null(p->cpu_node));
	json_object_set_new(o, "mem_node", node_or_null(p->mem_node));
	json_object_set_new(o, "mem_nodes", nodes);
	json_object_set_new(o, "mem_policy", json_string(place_mpol_name(p->mpol)));
	json_object_set_new(o, "src_node", node_or_null(p->src_node));
	if (res->status == CELL_SKIPPED)
		return;
	json_object_set_new(o, "placement_verified", json_pack("{s:o, s:o, s:I, s:I}",
		"mem_fraction", fraction_or_null(place_mem_fraction(v)),
		"cpu_fraction", fraction_or_null(place_cpu_fraction(v)),
		"pages_sampled", (json_int_t)v->pages_sampled,
		"zero_pages", (json_int_t)v->zero_pages));
	json_object_set_new(o, "placement_ok", json_boolean(place_verified_ok(v)));
	place_miss_note(p, v, note, sizeof(note));
	if (note[0])
		json_object_set_new(o, "placement_note", json_string(note));
}

static const char *const status_names[] = { "ok", "failed", "skipped" };

json_t *cell_to_json(const struct cell *c, const struct cell_result *res, unsigned repeat)
{
	char key[160];
	json_t *o, *rounds;

	cell_key(c, key, sizeof(key));
	o = json_pack("{s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:I, s:I, s:s}",
		      "schema", RESULTS_SCHEMA, "kind", "cell", "key", key, "repeat", repeat,
		      "memtype", c->mt->name, "backing", c->mt->backing,
		      "mapping", c->mt->shared ? "shared" : "private",
		      "mode", reg_mode_name(uop_mode(c->op)), "ioctl", uop_name(c->op),
		      "batch", c->batch, "threads", c->threads,
		      "placement", c->place ? c->place->name : "none",
		      "page_size", (json_int_t)memtype_page_size(c->mt),
		      "pages_per_thread", (json_int_t)(c->size / memtype_page_size(c->mt)),
		      "status", status_names[res->status]);
	if (res->status != CELL_OK)
		json_object_set_new(o, "reason", json_string(res->reason));
	if (c->place)
		placement_json(o, c->place, res);
	if (c->knob)
		json_object_set_new(o, "knob", json_pack("{s:s, s:s, s:s?}", "path", c->knob_path,
			"value", c->knob, "read", res->knob_read[0] ? res->knob_read : NULL));
	if (res->status == CELL_SKIPPED) {
		/* the delay is part of the key: without it, two skipped delays read as one cell */
		if (c->inject_ns > 0)
			json_object_set_new(o, "inject_ns", json_real(c->inject_ns));
		return o;
	}
	rounds = json_array();
	for (unsigned i = 0; i < res->rounds; i++)
		json_array_append_new(rounds, round_json(res, i));
	json_object_set_new(o, "rounds", rounds);
	if (res->rounds)
		json_object_set_new(o, "summary", summary_json(res));
	json_object_set_new(o, "outcomes", outcomes_json(&res->outcomes));
	json_object_set_new(o, "verify", json_pack("{s:I, s:I, s:o}",
		"pages_checked", (json_int_t)res->verify.pages_checked,
		"mismatches", (json_int_t)res->verify.mismatches,
		"first_error", res->verify.mismatches ? json_string(res->verify.first_error) : json_null()));
	json_object_set_new(o, "inject_ns", json_real(res->inject_ns));
	if (res->perf.on)
		json_object_set_new(o, "perf", perf_json(res));
	json_object_set_new(o, "elapsed_ms", json_real(res->elapsed_ms));
	return o;
}

int results_write_cell(struct results *r, const struct cell *c, const struct cell_result *res,
		       unsigned repeat)
{
	int ret = results_append_line(r->fd, cell_to_json(c, res, repeat));

	if (!ret)
		r->cells++;
	return ret;
}
