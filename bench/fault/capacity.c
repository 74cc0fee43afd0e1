// SPDX-License-Identifier: MIT
/*
 * capacity's points: measured from a configuration's result, judged against
 * the targets (p99 of faults or of every touch), the recommendation for
 * each faulting-thread count swept, what the machine cannot show, and the
 * "kind": "capacity" line.  The sweep itself is cli/cmd_capacity.c.
 */
#include "fault/capacity.h"
#include "core/common.h"
#include "results/results.h"

#include <stdio.h>
#include <string.h>

bool cap_sustains(const struct cap_point *p, const struct fault_args *a)
{
	return p->touches >= a->target_rate * (a->closed_loop ? 1 : 0.98);
}

void cap_measure(struct cap_point *pt, const struct fault_args *a, const struct fault_result *r)
{
	const struct touch_stats *t = r->touch;
	double umax;

	pt->status = r->status;
	pt->oversubscribed = r->oversubscribed;
	if (r->status == FAULT_SKIPPED)
		return;
	pt->touches = fault_rate(r, t->touches);
	pt->faults = fault_rate(r, t->faults);
	pt->p50 = hist_quantile(&t->lat, 0.5) / 1e3;
	pt->p99 = hist_quantile(&t->lat, 0.99) / 1e3;
	pt->p999 = hist_quantile(&t->lat, 0.999) / 1e3;
	pt->touch_p99 = hist_quantile(&t->all, 0.99) / 1e3;
	pt->judged = a->judge == JUDGE_TOUCH ? pt->touch_p99 : pt->p99;
	pt->util = fault_utilisation(r, &umax);
	pt->late = t->touches ? 100.0 * t->late / t->touches : 0;
	for (unsigned i = 0; i < r->resolvers; i++)
		pt->races += r->h[i].eexist + r->h[i].partial;
	pt->meets = r->status == FAULT_OK && pt->judged <= a->target_p99_us && cap_sustains(pt, a);
}


/* The fewest handlers that meet the targets with f faulting threads, lowest p99 among them. */
const struct cap_point *cap_recommend(const struct cap_point *pts, unsigned n, unsigned f)
{
	const struct cap_point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct cap_point *p = &pts[i];

		if (!p->meets || p->cfg->faulters != f)
			continue;
		if (!best || p->cfg->handlers < best->cfg->handlers ||
		    (p->cfg->handlers == best->cfg->handlers && p->judged < best->judged))
			best = p;
	}
	return best;
}

/* Short of a recommendation: the lowest p99 that sustains the load, else the most touches/s. */
static const struct cap_point *closest(const struct cap_point *pts, unsigned n,
				       const struct fault_args *a, unsigned f)
{
	const struct cap_point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct cap_point *p = &pts[i];

		if (p->status != FAULT_OK || p->cfg->faulters != f)
			continue;
		if (!best || (cap_sustains(p, a) && !cap_sustains(best, a)) ||
		    (cap_sustains(p, a) && p->judged < best->judged) ||
		    (!cap_sustains(best, a) && p->touches > best->touches))
			best = p;
	}
	return best;
}

static void describe(char *buf, size_t len, const struct cap_point *pt, const struct fault_args *a)
{
	const struct fault_cfg *c = pt->cfg;
	char wait[32], who[64];

	if (c->wait == WAIT_SIGBUS)
		snprintf(who, sizeof(who), "no handler threads");
	else
		snprintf(who, sizeof(who), "%u handler%s on %s CPUs", c->handlers,
			 c->handlers > 1 ? "s" : "",
			 c->hcpus == HCPU_SEPARATE ? "separate" : "the faulting threads'");
	snprintf(buf, len, "%s (wait %s, window %u): %.0f touches/s, %sp99 %.1f us", who,
		 fault_wait_label(c, wait, sizeof(wait)), c->window, pt->touches,
		 a->judge == JUDGE_TOUCH ? "touch " : "", pt->judged);
}

/* The recommendation line for f faulting threads (prefix: "" or "with F faulting threads"). */
static const struct cap_point *conclude_one(char *msg, size_t len, const struct fault_args *a,
					const struct cap_point *pts, unsigned n, unsigned f,
					const char *prefix)
{
	const struct cap_point *rec = cap_recommend(pts, n, f), *best;
	char what[256];

	if (rec) {
		describe(what, sizeof(what), rec, a);
		snprintf(msg, len, "recommendation%s: %s (target %.0f touches/s, %sp99 <= %g us)",
			 prefix, what, a->target_rate, a->judge == JUDGE_TOUCH ? "touch " : "",
			 a->target_p99_us);
		return rec;
	}
	best = closest(pts, n, a, f);
	if (best)
		describe(what, sizeof(what), best, a);
	snprintf(msg, len, "recommendation%s: none: no configuration tried sustains %.0f touches/s "
		 "with %sp99 <= %g us here%s%s%s", prefix, a->target_rate,
		 a->judge == JUDGE_TOUCH ? "touch " : "", a->target_p99_us,
		 best ? " (closest: " : "", best ? what : "", best ? ")" : "");
	return NULL;
}

/*
 * One line per faulting-thread count swept (msgs[k] for a->faulters[k]);
 * *rec is the last count's, the load the sweep scales to.
 */
void cap_conclude(char msgs[][CAP_MSG_LEN], const struct fault_args *a, const struct cap_point *pts,
		     unsigned n, unsigned all, const struct cap_point **rec)
{
	char prefix[64] = "", cut[64] = "";

	if (n < all)
		snprintf(cut, sizeof(cut), " [interrupted: %u of %u points]", n, all);
	for (unsigned k = 0; k < a->nr_faulters; k++) {
		if (a->nr_faulters > 1)
			snprintf(prefix, sizeof(prefix), " with %u faulting thread%s", a->faulters[k],
				 a->faulters[k] > 1 ? "s" : "");
		*rec = conclude_one(msgs[k], CAP_MSG_LEN - sizeof(cut), a, pts, n, a->faulters[k], prefix);
		strcat(msgs[k], cut);
	}
}

static json_t *curve_json(const struct cap_point *pts, unsigned n)
{
	json_t *curve = json_array();

	for (unsigned i = 0; i < n; i++) {
		const struct cap_point *p = &pts[i];
		json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:s, s:i, s:s, s:b, s:f, s:f,"
				      " s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:b}",
			"index", i, "faulters", p->cfg->faulters, "handlers", p->cfg->handlers,
			"window", p->cfg->window,
			"wait", fault_wait_names[p->cfg->wait], "events", p->cfg->events,
			"handler_cpus", p->cfg->hcpus == HCPU_SEPARATE ? "separate" : "same",
			"oversubscribed", p->oversubscribed,
			"touches_per_s", p->touches, "faults_per_s", p->faults, "p50_us", p->p50,
			"p99_us", p->p99, "p99_9_us", p->p999, "touch_p99_us", p->touch_p99,
			"utilisation_mean", p->util, "late_percent", p->late,
			"races", (json_int_t)p->races, "meets", p->meets);

		json_object_set_new(o, "status", json_string(fault_status_names[p->status]));
		json_object_set_new(o, "events_default", json_boolean(p->cfg->events_auto));
		json_array_append_new(curve, o);
	}
	return curve;
}

static json_t *rec_json(const struct cap_point *rec)
{
	if (!rec)
		return json_null();
	return json_pack("{s:i, s:i, s:s, s:i, s:i, s:s, s:f, s:f, s:f}",
			 "faulters", rec->cfg->faulters, "handlers", rec->cfg->handlers,
			 "wait", fault_wait_names[rec->cfg->wait], "events", rec->cfg->events,
			 "window", rec->cfg->window,
			 "handler_cpus", rec->cfg->hcpus == HCPU_SEPARATE ? "separate" : "same",
			 "touches_per_s", rec->touches, "p99_us", rec->p99,
			 "touch_p99_us", rec->touch_p99);
}

json_t *cap_capacity_json(const struct fault_args *a, const struct cap_point *pts, unsigned n,
			     const struct cap_point *rec, char msgs[][CAP_MSG_LEN], const char *note)
{
	const struct fault_cfg *c = &a->cfg;
	json_t *by = json_array(), *fl = json_array();
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:{s:s, s:f}, s:f, s:f, s:s, s:f, s:o,"
			      " s:s}",
		"schema", RESULTS_SCHEMA, "kind", "capacity", "memtype", c->mt->name,
		"ioctl", uop_name(c->op), "touch", c->write ? "write" : "read",
		"faulters", a->faulters[a->nr_faulters - 1], "load", "mode",
		c->rate > 0 ? "open" : "closed", "rate", c->rate, "target_rate", a->target_rate,
		"target_p99_us", a->target_p99_us,
		"judge", a->judge == JUDGE_TOUCH ? "touch" : "fault",
		"duration_s", c->duration, "curve", curve_json(pts, n),
		"message", msgs[a->nr_faulters - 1]);

	for (unsigned k = 0; k < a->nr_faulters; k++) {
		json_array_append_new(fl, json_integer(a->faulters[k]));
		json_array_append_new(by, json_pack("{s:i, s:o, s:s}", "faulters", a->faulters[k],
			"recommendation", rec_json(cap_recommend(pts, n, a->faulters[k])),
			"message", msgs[k]));
	}
	json_object_set_new(o, "faulters_swept", fl);
	json_object_set_new(o, "by_faulters", by);
	json_object_set_new(o, "recommendation", rec_json(rec));
	json_object_set_new(o, "note", note[0] ? json_string(note) : json_null());
	return o;
}

/*
 * What a small machine cannot show: with fewer CPUs than threads, faulting
 * threads take turns, so a curve against faulting threads shows
 * time-sharing, not contention on mmap_lock, the per-VMA lock or the uffd
 * wait queue, which needs as many CPUs faulting at once.
 */
void cap_machine_note(char *buf, size_t len, const struct fault_args *a, struct topo *t)
{
	unsigned cpus = topo_plan_capacity(t, a->policy, -1), fmax = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < a->nr_faulters; k++)
		fmax = a->faulters[k] > fmax ? a->faulters[k] : fmax;
	if (a->nr_faulters < 2 && fmax < cpus)
		return;
	snprintf(buf, len, "%u CPU%s here: at most %u thread%s fault or resolve at once; points "
		 "with more threads take turns on the CPUs and show time-sharing, not contention "
		 "on mmap_lock, the per-VMA lock or the uffd wait queue, which needs as many CPUs "
		 "as faulting threads (and more for handlers) to show", cpus, cpus == 1 ? "" : "s",
		 cpus, cpus == 1 ? "" : "s");
}

