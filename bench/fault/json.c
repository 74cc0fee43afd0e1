// SPDX-License-Identifier: MIT
/* A fault configuration's line in results.jsonl ("kind": "fault"), and its summary on screen. */
#include "fault/fault.h"
#include "core/common.h"
#include "results/results.h"

#include <stdio.h>

double fault_rate(const struct fault_result *r, uint64_t n)
{
	return r->timed_ns ? n * 1e9 / r->timed_ns : 0;
}

double fault_utilisation(const struct fault_result *r, double *max)
{
	double sum = 0, u;

	*max = 0;
	for (unsigned i = 0; i < r->handlers; i++) {
		u = r->timed_ns ? (double)r->h[i].cpu_ns / r->timed_ns : 0;
		sum += u;
		if (u > *max)
			*max = u;
	}
	return r->handlers ? sum / r->handlers : 0;
}

const char *fault_cpu_list(char *buf, size_t len, const int *cpus, unsigned n)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++) {
		if (cpus[i] < 0)
			appendf(buf, len, &off, "%s-", i ? "," : "");
		else
			appendf(buf, len, &off, "%s%d", i ? "," : "", cpus[i]);
	}
	return buf;
}

static uint64_t handler_sum(const struct fault_result *r, size_t field)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < r->resolvers; i++)
		n += *(const uint64_t *)((const char *)&r->h[i] + field);
	return n;
}

#define HSUM(r, f) handler_sum(r, offsetof(struct handler_result, f))

static json_t *int_array(const int *v, unsigned n)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

static json_t *handlers_json(const struct fault_result *r)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < r->resolvers; i++) {
		const struct handler_result *h = &r->h[i];

		json_array_append_new(a, json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
			"cpu", h->cpu, "events", (json_int_t)h->events, "reads", (json_int_t)h->reads,
			"waits", (json_int_t)h->waits, "ioctls", (json_int_t)h->ioctls,
			"pages", (json_int_t)h->pages, "eexist", (json_int_t)h->eexist,
			"partial", (json_int_t)h->partial, "wakes", (json_int_t)h->wakes,
			"eagain", (json_int_t)h->eagain, "unknown", (json_int_t)h->unknown,
			"cpu_ns", (json_int_t)h->cpu_ns,
			"utilisation", r->timed_ns ? (double)h->cpu_ns / r->timed_ns : 0.0));
	}
	return a;
}

static json_t *load_json(const struct fault_cfg *c, const struct fault_result *r)
{
	const struct touch_stats *t = r->touch;

	if (c->rate <= 0)
		return json_pack("{s:s}", "mode", "closed");
	return json_pack("{s:s, s:f, s:I, s:f, s:f, s:I}", "mode", "open", "rate", c->rate,
			 "late", (json_int_t)t->late,
			 "late_fraction", t->touches ? (double)t->late / t->touches : 0.0,
			 "lag_mean_ns", t->touches ? (double)t->lag_sum / t->touches : 0.0,
			 "lag_max_ns", (json_int_t)t->lag_max);
}

static json_t *config_json(const struct fault_cfg *c, const struct fault_result *r,
			   const char *command, unsigned index)
{
	char key[256];

	fault_key(c, key, sizeof(key));
	return json_pack("{s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:i,"
			 " s:s, s:s, s:i, s:b, s:s, s:s, s:s, s:b, s:{s:o, s:o}, s:f, s:f, s:s}",
		"schema", RESULTS_SCHEMA, "kind", "fault", "key", key, "command", command,
		"index", index, "memtype", c->mt->name, "backing", c->mt->backing,
		"mapping", c->mt->shared ? "shared" : "private",
		"mode", reg_mode_name(uop_mode(c->op)), "ioctl", uop_name(c->op),
		"page_size", (json_int_t)r->page_size, "pages", (json_int_t)r->pages,
		"faulters", c->faulters, "handlers", c->handlers, "window", c->window,
		"touch", c->write ? "write" : "read", "pattern", fault_pattern_names[c->pattern],
		"stride", c->pattern == PAT_STRIDE ? c->stride : 0, "share", c->share,
		"uffd", c->layout == UFFD_PER_HANDLER ? "per-handler" : "shared",
		"handler_cpus", c->hcpus == HCPU_SEPARATE ? "separate" : "same",
		"policy", r->policy ? r->policy : "none", "oversubscribed", r->oversubscribed,
		"cpus", "faulters", int_array(r->faulter_cpus, c->faulters),
		"handlers", int_array(r->handler_cpus, c->handlers),
		"duration_s", c->duration, "watchdog_s", c->watchdog,
		"status", fault_status_names[r->status]);
}

static void add_measurements(json_t *o, const struct fault_cfg *c, const struct fault_result *r)
{
	const struct touch_stats *t = r->touch;
	double umax, umean = fault_utilisation(r, &umax);

	json_object_set_new(o, "load", load_json(c, r));
	json_object_set_new(o, "rounds", json_integer(r->rounds));
	json_object_set_new(o, "timed_s", json_real(r->timed_ns / 1e9));
	json_object_set_new(o, "touches", json_integer(t->touches));
	json_object_set_new(o, "faults", json_integer(t->faults));
	json_object_set_new(o, "hits", json_integer(t->hits));
	json_object_set_new(o, "touches_per_s", json_real(fault_rate(r, t->touches)));
	json_object_set_new(o, "faults_per_s", json_real(fault_rate(r, t->faults)));
	json_object_set_new(o, "pages_per_s", json_real(fault_rate(r, HSUM(r, pages))));
	json_object_set_new(o, "latency_ns", hist_summary_json(&t->lat));
	json_object_set_new(o, "service_ns", c->rate > 0 ? hist_summary_json(&t->svc) : json_null());
	json_object_set_new(o, "touch_latency_ns", hist_summary_json(&t->all));
	json_object_set_new(o, "handler_utilisation", json_pack("{s:f, s:f}", "mean", umean,
								"max", umax));
	json_object_set_new(o, "handler_stats", handlers_json(r));
	json_object_set_new(o, "races", json_pack("{s:I, s:I, s:I, s:I}",
		"eexist", (json_int_t)HSUM(r, eexist), "partial", (json_int_t)HSUM(r, partial),
		"wakes", (json_int_t)HSUM(r, wakes), "eagain", (json_int_t)HSUM(r, eagain)));
	json_object_set_new(o, "histogram", hist_to_json(&t->lat));
}

json_t *fault_to_json(const struct fault_cfg *c, const struct fault_result *r,
		      const char *command, unsigned index)
{
	json_t *o = config_json(c, r, command, index);

	json_object_set_new(o, "source", ioctls[c->op]->src != SRC_BATCH ? json_null() :
			    json_string(fault_hot_source(c) ? "hot" : "range"));
	json_object_set_new(o, "wait", json_pack("{s:s, s:i, s:b, s:b}",
		"style", fault_wait_names[c->wait], "events", c->events,
		"style_default", c->wait_auto, "events_default", c->events_auto));

	if (r->status != FAULT_OK)
		json_object_set_new(o, "reason", json_string(r->reason));
	if (r->status == FAULT_SKIPPED)
		return o;
	add_measurements(o, c, r);
	json_object_set_new(o, "verify", json_pack("{s:s, s:i, s:I, s:I, s:o, s:I}",
		"mode", c->verify == VERIFY_FULL ? "full" : "sample",
		"rounds", r->rounds_verified, "pages_checked", (json_int_t)r->verify.pages_checked,
		"mismatches", (json_int_t)r->verify.mismatches,
		"first_error", r->verify.mismatches ? json_string(r->verify.first_error) : json_null(),
		"touch_mismatches", (json_int_t)r->touch->touch_errors));
	json_object_set_new(o, "elapsed_ms", json_real(r->elapsed_ms));
	return o;
}

void fault_print(FILE *f, const struct fault_cfg *c, const struct fault_result *r)
{
	const struct touch_stats *t = r->touch;
	const struct hist *l = &t->lat;
	double umax, umean = fault_utilisation(r, &umax);

	if (r->status == FAULT_SKIPPED) {
		fprintf(f, "  skipped: %s\n", r->reason);
		return;
	}
	fprintf(f, "  %.2f s timed, %u rounds: %lu touches, %lu faults (%.0f/s), %lu pages resolved (%.0f/s)\n",
		r->timed_ns / 1e9, r->rounds, (unsigned long)t->touches, (unsigned long)t->faults,
		fault_rate(r, t->faults), (unsigned long)HSUM(r, pages), fault_rate(r, HSUM(r, pages)));
	if (r->timed_ns < c->duration * 0.5e9)
		fprintf(f, "  note: resets between rounds took most of the %g s; a larger --size gives more faults per reset\n",
			c->duration);
	fprintf(f, "  latency us%s: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
		c->rate > 0 ? " (from the intended start)" : "", hist_quantile(l, 0.5) / 1e3,
		hist_quantile(l, 0.9) / 1e3, hist_quantile(l, 0.99) / 1e3,
		hist_quantile(l, 0.999) / 1e3, l->max / 1e3);
	if (c->rate > 0)
		fprintf(f, "  open loop at %.0f touches/s: %lu late (%.2f%%), lag mean %.1f us, max %.1f us\n",
			c->rate, (unsigned long)t->late, t->touches ? 100.0 * t->late / t->touches : 0,
			t->touches ? t->lag_sum / 1e3 / t->touches : 0, t->lag_max / 1e3);
	if (c->wait == WAIT_SIGBUS)
		fprintf(f, "  no handler threads (SIGBUS: each faulting thread resolves its own faults); EEXIST races %lu, part-way %lu, wakes %lu\n",
			(unsigned long)HSUM(r, eexist), (unsigned long)HSUM(r, partial),
			(unsigned long)HSUM(r, wakes));
	else
		fprintf(f, "  handlers: CPU utilisation mean %.0f%%, max %.0f%%; %.2f events a read(); EEXIST races %lu, part-way %lu, wakes %lu\n",
			100 * umean, 100 * umax,
			HSUM(r, reads) ? (double)HSUM(r, events) / HSUM(r, reads) : 0.0,
			(unsigned long)HSUM(r, eexist), (unsigned long)HSUM(r, partial),
			(unsigned long)HSUM(r, wakes));
	fprintf(f, "  verify (%s): %u rounds, %lu pages checked, %lu bad\n",
		c->verify == VERIFY_FULL ? "full" : "sample", r->rounds_verified,
		(unsigned long)r->verify.pages_checked, (unsigned long)r->verify.mismatches);
	fprintf(f, "  status: %s%s%s\n", fault_status_names[r->status],
		r->status == FAULT_OK ? "" : ": ", r->status == FAULT_OK ? "" : r->reason);
}
