// SPDX-License-Identifier: MIT
/* The summary on screen and the "kind": "stress" line of results.jsonl. */
#include "stress/stress.h"
#include "core/common.h"
#include "results/results.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static double elapsed_s(const struct stress_ctx *c)
{
	double s = (c->t_end - c->t_start) / 1e9;

	return s > 0 ? s : 1e-9;
}

static void ops_names(unsigned ops, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int op = 0; op < UOP_NR; op++)
		if (ops & (1u << op))
			appendf(buf, len, &n, "%s%s", n ? "," : "", uop_name(op));
}

static void print_types(const struct stress_ctx *c, FILE *f)
{
	char ops[64];

	fprintf(f, "memory types:");
	for (unsigned i = 0; i < c->nr_types; i++) {
		const struct stress_type *st = &c->type[i];

		ops_names(st->ops, ops, sizeof(ops));
		fprintf(f, "%s %s (%s; %zu+%zu pages)", i ? "," : "", st->mt->name, ops,
			st->range[RANGE_MISSING].pages, st->range[RANGE_MINOR].pages);
	}
	fprintf(f, "\n");
	if (c->skipped[0])
		fprintf(f, "skipped: %s\n", c->skipped);
}

static void print_table(const struct stress_ctx *c, const struct stress_stats *s, FILE *f)
{
	fprintf(f, "\n%-9s %10s %10s %10s", "kind", "ops", "ops/s", "pages");
	for (int o = 0; o < SO_NR; o++)
		fprintf(f, " %8s", stress_outcome_name(o));
	fprintf(f, "\n");
	for (int k = 0; k < SK_NR; k++) {
		const struct kind_stats *ks = &s->k[k];

		if (k == SK_FORK && !c->o.fork)
			continue;
		fprintf(f, "%-9s %10lu %10.1f %10lu", stress_kind_name(k), (unsigned long)ks->ops,
			ks->ops / elapsed_s(c), (unsigned long)ks->pages);
		for (int o = 0; o < SO_NR; o++)
			fprintf(f, " %8lu", (unsigned long)ks->out[o]);
		fprintf(f, "\n");
	}
	fprintf(f, "(check: every page read and judged, by any thread; touch: random reads that may "
		"fault; fault: faults the handlers resolved)\n");
}

static uint64_t enomem(const struct stress_stats *s)
{
	uint64_t n = 0;

	for (int k = 0; k < SK_NR; k++)
		n += s->k[k].out[SO_ENOMEM];
	return n;
}

static void print_kmsg(const struct kmsg_watch *k, FILE *f)
{
	if (k->why[0]) {
		fprintf(f, "kernel log: not checked: %s\n", k->why);
		return;
	}
	if (!k->nr_lines) {
		fprintf(f, "kernel log (%s): no new WARNING:, BUG: or Oops lines\n", k->source);
		return;
	}
	fprintf(f, "kernel log (%s): %u new WARNING:/BUG:/Oops lines:\n", k->source, k->nr_lines);
	for (unsigned i = 0; i < k->nr_lines && i < ARRAY_SIZE(k->lines); i++)
		fprintf(f, "  %s\n", k->lines[i]);
}

void stress_print_summary(const struct stress_ctx *c, const struct kmsg_watch *k,
			  const char *status, FILE *f)
{
	uint64_t nf = __atomic_load_n(&c->sh->nr_failures, __ATOMIC_SEQ_CST);
	struct stress_stats s;
	char buf[768];

	stress_sum(c, &s);
	fprintf(f, "\nstress summary: scenario %s, seed %lu, ran %.1f s of %.1f s; %s%s\n",
		c->o.sc->name, (unsigned long)c->o.seed, elapsed_s(c), c->o.duration_ns / 1e9,
		stress_threads_text(c),
		c->o.fork ? (c->event_fork ? " (UFFD_FEATURE_EVENT_FORK)" :
			     " (no UFFD_FEATURE_EVENT_FORK)") : "");
	print_types(c, f);
	print_table(c, &s, f);
	fprintf(f, "\nchecks: %lu page reads judged: %lu with a pattern, %lu zero, %lu overlapped a "
		"removal and were judged word by word\n", (unsigned long)s.k[SK_CHECK].ops,
		(unsigned long)s.pattern_pages, (unsigned long)s.zero_pages, (unsigned long)s.torn);
	if (c->o.fork)
		fprintf(f, "fork: %lu children checked %lu pages (%lu of shared types); %lu "
			"UFFD_EVENT_FORK events\n", (unsigned long)s.k[SK_FORK].ops,
			(unsigned long)__atomic_load_n(&c->sh->child_checked, __ATOMIC_RELAXED),
			(unsigned long)__atomic_load_n(&c->sh->child_shared_checked,
						       __ATOMIC_RELAXED),
			(unsigned long)s.fork_events);
	if (enomem(&s))
		fprintf(f, "note: %lu hugetlb allocations failed (ENOMEM from an ioctl, SIGBUS on a "
			"read): the huge page pool ran short -- is another process using huge pages?\n",
			(unsigned long)enomem(&s));
	if (c->suspects)
		fprintf(f, "suspects: %lu hugetlb anomalies while another process used the huge page "
			"pool (not failures; their types were withdrawn); first: %s\n",
			(unsigned long)c->suspects, c->suspect_first);
	if (c->inject_note[0])
		fprintf(f, "injected: %s\n", c->inject_note);
	print_kmsg(k, f);
	for (uint64_t i = 0; i < nf && i < STRESS_MAX_FAILURES; i++) {
		stress_format_failure(c, &c->sh->fail[i], buf, sizeof(buf));
		fprintf(f, "FAILURE %lu: %s\n", (unsigned long)i + 1, buf);
	}
	fprintf(f, "failures: %lu%s\nstatus: %s\n", (unsigned long)nf,
		nf > STRESS_MAX_FAILURES ? " (the first ones above)" : "", status);
}

/* ---- results.jsonl ----------------------------------------------------- */

static json_t *kinds_json(const struct stress_ctx *c, const struct stress_stats *s)
{
	json_t *o = json_object();

	for (int k = 0; k < SK_NR; k++) {
		const struct kind_stats *ks = &s->k[k];
		json_t *out = json_object();

		for (int x = 0; x < SO_NR; x++)
			json_object_set_new(out, stress_outcome_name(x), json_integer(ks->out[x]));
		json_object_set_new(o, stress_kind_name(k), json_pack("{s:I, s:f, s:I, s:o}",
			"ops", (json_int_t)ks->ops, "per_s", ks->ops / elapsed_s(c),
			"pages", (json_int_t)ks->pages, "outcomes", out));
	}
	return o;
}

static json_t *types_json(const struct stress_ctx *c)
{
	json_t *a = json_array();
	char ops[64];

	for (unsigned i = 0; i < c->nr_types; i++) {
		const struct stress_type *st = &c->type[i];

		ops_names(st->ops, ops, sizeof(ops));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:s, s:{s:I, s:I}, s:b}",
			"name", st->mt->name, "backing", st->mt->backing,
			"mapping", st->mt->shared ? "shared" : "private",
			"page_size", (json_int_t)st->page_size, "ioctls", ops, "pages",
			"missing", (json_int_t)st->range[RANGE_MISSING].pages,
			"minor", (json_int_t)st->range[RANGE_MINOR].pages,
			"refill_by_copy", st->range[RANGE_MINOR].alias_registered));
	}
	return a;
}

static json_t *failures_json(const struct stress_ctx *c)
{
	uint64_t nf = __atomic_load_n(&c->sh->nr_failures, __ATOMIC_SEQ_CST);
	json_t *a = json_array();
	char buf[768];

	for (uint64_t i = 0; i < nf && i < STRESS_MAX_FAILURES; i++) {
		const struct stress_failure *f = &c->sh->fail[i];
		char e[24], g[24];

		stress_format_failure(c, f, buf, sizeof(buf));
		snprintf(e, sizeof(e), "%#lx", (unsigned long)f->expected);
		snprintf(g, sizeof(g), "%#lx", (unsigned long)f->actual);
		json_array_append_new(a, json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:s, s:s, s:b}",
			"text", buf, "memtype", f->type >= 0 ? memtypes[f->type]->name : NULL,
			"range", f->range >= 0 ? stress_range_name(f->range) : NULL,
			"page", (json_int_t)f->page, "byte", (json_int_t)f->byte,
			"expected", e, "actual", g, "child", f->child));
	}
	return a;
}

static json_t *kmsg_json(const struct kmsg_watch *k)
{
	json_t *lines = json_array();

	for (unsigned i = 0; i < k->nr_lines && i < ARRAY_SIZE(k->lines); i++)
		json_array_append_new(lines, json_string(k->lines[i]));
	return json_pack("{s:s, s:b, s:s?, s:I, s:o}", "source", k->source, "checked", !k->why[0],
			 "why", k->why[0] ? k->why : NULL, "new_lines", (json_int_t)k->nr_lines,
			 "lines", lines);
}

/* {"2048": true}: per huge page size in kB, whether another process used the pool */
static json_t *pools_json(const struct stress_ctx *c)
{
	json_t *o = json_object();
	char kb[24];

	for (unsigned i = 0; i < c->nr_hw; i++) {
		if (!c->hw[i].ours)
			continue;
		snprintf(kb, sizeof(kb), "%zu", c->hw[i].size >> 10);
		json_object_set_new(o, kb, json_boolean(c->hw[i].shared));
	}
	return o;
}

static json_t *stress_json(const struct stress_ctx *c, const struct kmsg_watch *k,
			   const char *status)
{
	struct stress_stats s;
	char key[64];
	json_t *o;

	stress_sum(c, &s);
	snprintf(key, sizeof(key), "stress/%s/seed-%lu", c->o.sc->name, (unsigned long)c->o.seed);
	o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:f, s:f, s:{s:i, s:i}, s:I, s:b, s:b, s:s}",
		      "schema", RESULTS_SCHEMA, "kind", "stress", "key", key, "status", status,
		      "scenario", c->o.sc->name,
		      "seed", (json_int_t)c->o.seed, "duration_s", c->o.duration_ns / 1e9,
		      "elapsed_s", elapsed_s(c), "threads", "workers", c->o.threads,
		      "handlers", c->o.handlers, "pages_per_range", (json_int_t)c->o.pages,
		      "fork", c->o.fork, "event_fork", c->event_fork, "skipped", c->skipped);
	json_object_set_new(o, "memtypes", types_json(c));
	json_object_set_new(o, "ops", kinds_json(c, &s));
	json_object_set_new(o, "checks", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"pages", (json_int_t)s.k[SK_CHECK].ops, "pattern", (json_int_t)s.pattern_pages,
		"zero", (json_int_t)s.zero_pages, "torn", (json_int_t)s.torn,
		"fork_children_pages", (json_int_t)c->sh->child_checked,
		"fork_children_shared_pages", (json_int_t)c->sh->child_shared_checked,
		"fork_events", (json_int_t)s.fork_events));
	json_object_set_new(o, "failures", json_integer(c->sh->nr_failures));
	json_object_set_new(o, "suspects", json_pack("{s:I, s:s?, s:o}",
		"count", (json_int_t)c->suspects,
		"first", c->suspects ? c->suspect_first : NULL, "pool_shared", pools_json(c)));
	json_object_set_new(o, "failure_list", failures_json(c));
	json_object_set_new(o, "kernel_log", kmsg_json(k));
	json_object_set_new(o, "injected",
			    c->inject_note[0] ? json_string(c->inject_note) : json_null());
	return o;
}

/* One line into the results directory's results.jsonl (open as fd); 0 or -errno. */
int stress_write_results(const struct stress_ctx *c, const struct kmsg_watch *k,
			 const char *status, int fd)
{
	return results_append_line(fd, stress_json(c, k, status));
}
