// SPDX-License-Identifier: MIT
/*
 * uffdbench capacity: how many handler threads does this load need here?
 * Runs `fault` at one load and memory type for each handler count (and
 * each prefetch window and handler placement asked for), prints the curve,
 * and recommends the fewest handlers that sustain --target-rate with p99
 * at most --target-p99-us, or says that none does.
 */
#include "cli/commands.h"
#include "core/common.h"
#include "fault/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_capacity_help[] =
	"usage: uffdbench capacity --target-rate N [options]\n\n"
	"Sweep handler threads (and optionally faulting threads, wait styles, prefetch\n"
	"windows and handler placement) at one load, print throughput and p99 latency\n"
	"against them, and recommend the fewest handlers that sustain --target-rate with\n"
	"p99 <= --target-p99-us (for each faulting-thread count swept).\n\n"
	"  --target-rate N     touches/s the handlers must sustain (required)\n"
	"  --target-p99-us US  p99 latency allowed, in us                    [1000]\n"
	"  --judge WHAT        fault: p99 of the faults; touch: p99 of every touch,\n"
	"                      hits queued behind a fault included            [fault]\n"
	"  --handlers LIST     handler counts to try: 1-4, 1,2,4 ...         [1-4]\n"
	"  --faulters LIST     faulting threads to try: 1,2,4 ...            [1]\n"
	"  --oversubscribe     allow more faulting threads than CPUs\n"
	"  --wait LIST         wait styles to try: read, poll, epoll, sigbus (no\n"
	"                      handlers: one point whatever --handlers)  [the default]\n"
	"  --events N          events per read()              [per configuration]\n"
	"  --window LIST       prefetch windows to try (powers of two)       [1]\n"
	"  --handler-cpus P    separate, same, or separate,same to try both  [separate]\n"
	"  --rate N            the offered load, open loop; default: --target-rate\n"
	"  --closed-loop       closed loop instead (sustained: touches/s >= target)\n"
	"  --duration S        seconds per point                             [2]\n"
	"  --memtype, --ioctl, --touch, --pattern, --stride, --share, --uffd,\n"
	"  --policy, --size, --verify, --watchdog, --seed, --out, --label,\n"
	"  --quiet             as for uffdbench fault (see fault --help)\n\n"
	"Handlers beyond the CPUs the policy fits share CPUs (marked in the curve).\n"
	"A point sustains the load when its touches/s reach 98% of the target (open\n"
	"loop) or the target (closed loop).\n"
	"Exit: 0 the sweep ran (whether or not a count meets the targets); 1 a point\n"
	"failed; 2 bad input or not possible here; 130/143 interrupted.\n\n"
	"Examples:\n"
	"  uffdbench capacity --target-rate 20000 --target-p99-us 500\n"
	"  uffdbench capacity --target-rate 50000 --handlers 1-3 \\\n"
	"                     --handler-cpus separate,same --window 1,8\n";

struct point {
	const struct fault_cfg *cfg;
	enum fault_status status;
	double touches, faults, p50, p99, p999, util, late;
	double touch_p99, judged;	/* p99 of every touch; the p99 --judge looks at */
	uint64_t races;
	bool meets, oversubscribed;
};

/* One point per combination; SIGBUS mode has no handlers: one point, not one per count. */
static unsigned build(const struct fault_args *a, struct fault_cfg *cfgs)
{
	unsigned n = 0, nw = a->nr_waits ? a->nr_waits : 1;

	for (unsigned f = 0; f < a->nr_faulters; f++)
		for (unsigned k = 0; k < nw; k++)
			for (unsigned p = 0; p < a->nr_hcpus; p++)
				for (unsigned w = 0; w < a->nr_windows; w++)
					for (unsigned h = 0; h < a->nr_handlers; h++) {
						struct fault_cfg *c = &cfgs[n];
						bool sigbus = a->nr_waits && a->waits[k] == WAIT_SIGBUS;

						if (sigbus && (p || h))
							continue;
						*c = a->cfg;
						c->faulters = a->faulters[f];
						c->hcpus = a->hcpus[p];
						c->window = a->windows[w];
						c->handlers = sigbus ? 0 : a->handlers[h];
						if (a->nr_waits) {
							c->wait = a->waits[k];
							c->wait_auto = false;
						}
						if (sigbus)
							c->events = 0;	/* reads none */
						n++;
					}
	return n;
}

static void check_targets(struct fault_args *a)
{
	if (!a->target_rate)
		die_usage("capacity needs --target-rate N (touches/s to sustain)");
	if (!(a->target_rate >= 1 && a->target_rate <= FAULT_MAX_RATE))
		die_usage("bad --target-rate %g: want 1 to 1e9 touches/s", a->target_rate);
	if (!(a->target_p99_us > 0))
		die_usage("bad --target-p99-us %g: want more than 0", a->target_p99_us);
	if (a->closed_loop && a->cfg.rate > 0)
		die_usage("--closed-loop and --rate exclude each other");
	if (!a->closed_loop && !a->cfg.rate)
		a->cfg.rate = a->target_rate;
}

static bool sustains(const struct point *p, const struct fault_args *a)
{
	return p->touches >= a->target_rate * (a->closed_loop ? 1 : 0.98);
}

static void measure(struct point *pt, const struct fault_args *a, const struct fault_result *r)
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
	pt->meets = r->status == FAULT_OK && pt->judged <= a->target_p99_us && sustains(pt, a);
}

static void print_row(const struct point *pt)
{
	const struct fault_cfg *c = pt->cfg;
	char wait[32];

	printf("%8u %-8s %8u %6u %-9s", c->faulters, fault_wait_label(c, wait, sizeof(wait)),
	       c->handlers, c->window, c->hcpus == HCPU_SEPARATE ? "separate" : "same");
	if (pt->status != FAULT_OK && pt->status != FAULT_INTERRUPTED) {
		printf(" %s\n", fault_status_names[pt->status]);
		return;
	}
	printf(" %10.0f %10.0f %8.1f %8.1f %9.1f %8.1f %5.0f%% %6lu %6.2f  %s%s\n", pt->touches,
	       pt->faults, pt->p50, pt->p99, pt->p999, pt->touch_p99, 100 * pt->util,
	       (unsigned long)pt->races, pt->late,
	       pt->status == FAULT_INTERRUPTED ? "interrupted" : pt->meets ? "yes" : "no",
	       pt->oversubscribed ? " (shared CPUs)" : "");
}

/* The fewest handlers that meet the targets with f faulting threads, lowest p99 among them. */
static const struct point *recommend(const struct point *pts, unsigned n, unsigned f)
{
	const struct point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct point *p = &pts[i];

		if (!p->meets || p->cfg->faulters != f)
			continue;
		if (!best || p->cfg->handlers < best->cfg->handlers ||
		    (p->cfg->handlers == best->cfg->handlers && p->judged < best->judged))
			best = p;
	}
	return best;
}

/* Short of a recommendation: the lowest p99 that sustains the load, else the most touches/s. */
static const struct point *closest(const struct point *pts, unsigned n, const struct fault_args *a,
				   unsigned f)
{
	const struct point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct point *p = &pts[i];

		if (p->status != FAULT_OK || p->cfg->faulters != f)
			continue;
		if (!best || (sustains(p, a) && !sustains(best, a)) ||
		    (sustains(p, a) && p->judged < best->judged) ||
		    (!sustains(best, a) && p->touches > best->touches))
			best = p;
	}
	return best;
}

static void describe(char *buf, size_t len, const struct point *pt, const struct fault_args *a)
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
static const struct point *conclude_one(char *msg, size_t len, const struct fault_args *a,
					const struct point *pts, unsigned n, unsigned f,
					const char *prefix)
{
	const struct point *rec = recommend(pts, n, f), *best;
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
static void conclude(char msgs[][512], const struct fault_args *a, const struct point *pts,
		     unsigned n, unsigned all, const struct point **rec)
{
	char prefix[64] = "", cut[64] = "";

	if (n < all)
		snprintf(cut, sizeof(cut), " [interrupted: %u of %u points]", n, all);
	for (unsigned k = 0; k < a->nr_faulters; k++) {
		if (a->nr_faulters > 1)
			snprintf(prefix, sizeof(prefix), " with %u faulting thread%s", a->faulters[k],
				 a->faulters[k] > 1 ? "s" : "");
		*rec = conclude_one(msgs[k], 512 - sizeof(cut), a, pts, n, a->faulters[k], prefix);
		strcat(msgs[k], cut);
	}
}

static json_t *curve_json(const struct point *pts, unsigned n)
{
	json_t *curve = json_array();

	for (unsigned i = 0; i < n; i++) {
		const struct point *p = &pts[i];
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
		json_array_append_new(curve, o);
	}
	return curve;
}

static json_t *rec_json(const struct point *rec)
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

static json_t *capacity_json(const struct fault_args *a, const struct point *pts, unsigned n,
			     const struct point *rec, char msgs[][512], const char *note)
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
			"recommendation", rec_json(recommend(pts, n, a->faulters[k])),
			"message", msgs[k]));
	}
	json_object_set_new(o, "faulters_swept", fl);
	json_object_set_new(o, "by_faulters", by);
	json_object_set_new(o, "recommendation", rec_json(rec));
	json_object_set_new(o, "note", note[0] ? json_string(note) : json_null());
	return o;
}

static void print_head(const struct fault_args *a)
{
	const struct fault_cfg *c = &a->cfg;

	printf("capacity: %s %s, %s %s, %s", c->mt->name, uop_name(c->op),
	       c->write ? "write" : "read", fault_pattern_names[c->pattern],
	       c->rate > 0 ? "open loop" : "closed loop");
	if (c->rate > 0)
		printf(" at %.0f touches/s", c->rate);
	printf(", %g s a point; target %.0f touches/s with %sp99 <= %g us\n\n", c->duration,
	       a->target_rate, a->judge == JUDGE_TOUCH ? "touch " : "", a->target_p99_us);
	printf("%8s %-8s %8s %6s %-9s %10s %10s %8s %8s %9s %8s %6s %6s %6s  %s\n", "faulters",
	       "wait", "handlers", "window", "cpus", "touches/s", "faults/s", "p50 us", "p99 us",
	       "p99.9 us", "touch99", "util", "races", "late%", "meets");
}

/*
 * What a small machine cannot show: with fewer CPUs than threads, faulting
 * threads take turns, so a curve against faulting threads shows
 * time-sharing, not contention on mmap_lock, the per-VMA lock or the uffd
 * wait queue, which needs as many CPUs faulting at once.
 */
static void machine_note(char *buf, size_t len, const struct fault_args *a, struct topo *t)
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

static int sweep(struct fault_session *s, const struct fault_args *a, struct fault_cfg *cfgs,
		 struct point *pts, unsigned n, unsigned *done)
{
	struct fault_result r;
	int failed = 0;

	for (*done = 0; *done < n && !fault_session_signal(); (*done)++) {
		pts[*done].cfg = &cfgs[*done];
		fault_session_run(s, &cfgs[*done], &r);
		measure(&pts[*done], a, &r);
		failed |= r.status == FAULT_FAILED;
		if (!a->quiet)
			print_row(&pts[*done]);
		fflush(stdout);
		fault_result_free(&r);
		if (r.status == FAULT_INTERRUPTED)
			return -1;
	}
	return fault_session_signal() ? -1 : failed;
}

static void report(struct fault_session *s, const struct fault_args *a, const struct point *pts,
		   unsigned done, unsigned n)
{
	char msgs[SPEC_MAX_LIST][512], note[512];
	const struct point *rec = NULL;

	conclude(msgs, a, pts, done, n, &rec);
	machine_note(note, sizeof(note), a, s->topo);
	if (!a->quiet)
		printf("\n");
	for (unsigned k = 0; k < a->nr_faulters; k++)
		printf("%s\n", msgs[k]);
	if (note[0] && !a->quiet)
		printf("note: %s\n", note);
	fault_session_write(s, capacity_json(a, pts, done, rec, msgs, note));
	printf("results in %s/\n", s->res.dir);
}

int cmd_capacity(int argc, char **argv)
{
	struct fault_session s = { .command = "capacity" };
	struct fault_cfg *cfgs;
	struct point *pts;
	struct fault_args a;
	unsigned n, done;
	size_t most;
	int ret;

	fault_parse_args(argc, argv, true, cmd_capacity_help, &a);
	check_targets(&a);
	most = (size_t)a.nr_faulters * (a.nr_waits ? a.nr_waits : 1) * a.nr_hcpus *
	       a.nr_windows * a.nr_handlers;
	cfgs = calloc(most, sizeof(*cfgs));
	pts = calloc(most, sizeof(*pts));
	if (!cfgs || !pts)
		die_usage("out of memory");
	n = build(&a, cfgs);
	fault_session_open(&s, &a, cfgs, n, argc, argv);
	if (!a.quiet)
		print_head(&a);
	ret = sweep(&s, &a, cfgs, pts, n, &done);
	report(&s, &a, pts, done, n);
	if (ret < 0)
		errmsg("interrupted by signal %d after %u of %u points; they are in %s/results.jsonl",
		       fault_session_signal(), done, n, s.res.dir);
	fault_session_close(&s);
	free(cfgs);
	free(pts);
	if (ret < 0)
		return 128 + (fault_session_signal() ?: 2);
	if (ret)
		return EXIT_BAD_RESULT;
	return s.write_err ? EXIT_USAGE : EXIT_OK;	/* not saved: the disk is full */
}
