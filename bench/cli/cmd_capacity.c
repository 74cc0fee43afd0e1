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
	"Sweep handler threads (and optionally prefetch windows and handler placement)\n"
	"at one load, print throughput and p99 latency against handlers, and recommend\n"
	"the fewest handlers that sustain --target-rate with p99 <= --target-p99-us.\n\n"
	"  --target-rate N     touches/s the handlers must sustain (required)\n"
	"  --target-p99-us US  p99 fault-to-resume latency allowed, in us    [1000]\n"
	"  --handlers LIST     handler counts to try: 1-4, 1,2,4 ...         [1-4]\n"
	"  --window LIST       prefetch windows to try (powers of two)       [1]\n"
	"  --handler-cpus P    separate, same, or separate,same to try both  [separate]\n"
	"  --rate N            the offered load, open loop; default: --target-rate\n"
	"  --closed-loop       closed loop instead (sustained: touches/s >= target)\n"
	"  --duration S        seconds per point                             [2]\n"
	"  --memtype, --ioctl, --faulters, --touch, --pattern, --stride, --share,\n"
	"  --uffd, --policy, --size, --verify, --watchdog, --seed, --out, --label,\n"
	"  --quiet             as for uffdbench fault (see fault --help)\n\n"
	"Threads beyond the CPUs the policy fits share CPUs (marked in the curve).\n"
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
	uint64_t races;
	bool meets, oversubscribed;
};

static unsigned build(const struct fault_args *a, struct fault_cfg *cfgs)
{
	unsigned n = 0;

	for (unsigned p = 0; p < a->nr_hcpus; p++)
		for (unsigned w = 0; w < a->nr_windows; w++)
			for (unsigned h = 0; h < a->nr_handlers; h++) {
				cfgs[n] = a->cfg;
				cfgs[n].hcpus = a->hcpus[p];
				cfgs[n].window = a->windows[w];
				cfgs[n].handlers = a->handlers[h];
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
	a->oversubscribe = true;
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
	pt->util = fault_utilisation(r, &umax);
	pt->late = t->touches ? 100.0 * t->late / t->touches : 0;
	for (unsigned i = 0; i < r->handlers; i++)
		pt->races += r->h[i].eexist + r->h[i].partial;
	pt->meets = r->status == FAULT_OK && pt->p99 <= a->target_p99_us && sustains(pt, a);
}

static void print_row(const struct point *pt)
{
	const struct fault_cfg *c = pt->cfg;

	printf("%8u %6u %-9s", c->handlers, c->window,
	       c->hcpus == HCPU_SEPARATE ? "separate" : "same");
	if (pt->status != FAULT_OK && pt->status != FAULT_INTERRUPTED) {
		printf(" %s\n", fault_status_names[pt->status]);
		return;
	}
	printf(" %10.0f %10.0f %8.1f %8.1f %9.1f %5.0f%% %6lu %6.2f  %s%s\n", pt->touches,
	       pt->faults, pt->p50, pt->p99, pt->p999, 100 * pt->util, (unsigned long)pt->races,
	       pt->late, pt->status == FAULT_INTERRUPTED ? "interrupted" : pt->meets ? "yes" : "no",
	       pt->oversubscribed ? " (shared CPUs)" : "");
}

/* The fewest handlers that meet the targets, lowest p99 among them; NULL if none. */
static const struct point *recommend(const struct point *pts, unsigned n)
{
	const struct point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		if (!pts[i].meets)
			continue;
		if (!best || pts[i].cfg->handlers < best->cfg->handlers ||
		    (pts[i].cfg->handlers == best->cfg->handlers && pts[i].p99 < best->p99))
			best = &pts[i];
	}
	return best;
}

/* Short of a recommendation: the lowest p99 that sustains the load, else the most touches/s. */
static const struct point *closest(const struct point *pts, unsigned n, const struct fault_args *a)
{
	const struct point *best = NULL;

	for (unsigned i = 0; i < n; i++) {
		const struct point *p = &pts[i];

		if (p->status != FAULT_OK)
			continue;
		if (!best || (sustains(p, a) && !sustains(best, a)) ||
		    (sustains(p, a) && p->p99 < best->p99) ||
		    (!sustains(best, a) && p->touches > best->touches))
			best = p;
	}
	return best;
}

static void describe(char *buf, size_t len, const struct point *pt)
{
	snprintf(buf, len, "%u handler%s (window %u, handlers on %s CPUs): %.0f touches/s, p99 %.1f us",
		 pt->cfg->handlers, pt->cfg->handlers > 1 ? "s" : "", pt->cfg->window,
		 pt->cfg->hcpus == HCPU_SEPARATE ? "separate" : "the faulting threads'",
		 pt->touches, pt->p99);
}

static void conclude(char *msg, size_t len, const struct fault_args *a, const struct point *pts,
		     unsigned n, unsigned all, const struct point **rec)
{
	const struct point *best;
	char what[200], cut[64] = "";

	if (n < all)
		snprintf(cut, sizeof(cut), " [interrupted: %u of %u points]", n, all);
	*rec = recommend(pts, n);
	if (*rec) {
		describe(what, sizeof(what), *rec);
		snprintf(msg, len, "recommendation: %s (target %.0f touches/s, p99 <= %g us)%s", what,
			 a->target_rate, a->target_p99_us, cut);
		return;
	}
	best = closest(pts, n, a);
	if (best)
		describe(what, sizeof(what), best);
	snprintf(msg, len, "recommendation: none: no handler count tried sustains %.0f touches/s "
		 "with p99 <= %g us here%s%s%s%s", a->target_rate, a->target_p99_us,
		 best ? " (closest: " : "", best ? what : "", best ? ")" : "", cut);
}

static json_t *curve_json(const struct point *pts, unsigned n)
{
	json_t *curve = json_array();

	for (unsigned i = 0; i < n; i++) {
		const struct point *p = &pts[i];

		json_array_append_new(curve, json_pack("{s:i, s:i, s:i, s:s, s:s, s:b, s:f, s:f,"
							" s:f, s:f, s:f, s:f, s:f, s:I, s:b}",
			"index", i, "handlers", p->cfg->handlers, "window", p->cfg->window,
			"handler_cpus", p->cfg->hcpus == HCPU_SEPARATE ? "separate" : "same",
			"status", fault_status_names[p->status], "oversubscribed", p->oversubscribed,
			"touches_per_s", p->touches, "faults_per_s", p->faults, "p50_us", p->p50,
			"p99_us", p->p99, "p99_9_us", p->p999, "utilisation_mean", p->util,
			"late_percent", p->late, "races", (json_int_t)p->races, "meets", p->meets));
	}
	return curve;
}

static json_t *capacity_json(const struct fault_args *a, const struct point *pts, unsigned n,
			     const struct point *rec, const char *msg)
{
	const struct fault_cfg *c = &a->cfg;
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:{s:s, s:f}, s:f, s:f, s:f, s:o, s:s}",
		"schema", RESULTS_SCHEMA, "kind", "capacity", "memtype", c->mt->name,
		"ioctl", uop_name(c->op), "touch", c->write ? "write" : "read",
		"faulters", c->faulters, "load", "mode", c->rate > 0 ? "open" : "closed",
		"rate", c->rate, "target_rate", a->target_rate, "target_p99_us", a->target_p99_us,
		"duration_s", c->duration, "curve", curve_json(pts, n), "message", msg);

	json_object_set_new(o, "recommendation", !rec ? json_null() :
		json_pack("{s:i, s:i, s:s, s:f, s:f}", "handlers", rec->cfg->handlers,
			  "window", rec->cfg->window,
			  "handler_cpus", rec->cfg->hcpus == HCPU_SEPARATE ? "separate" : "same",
			  "touches_per_s", rec->touches, "p99_us", rec->p99));
	return o;
}

static void print_head(const struct fault_args *a)
{
	const struct fault_cfg *c = &a->cfg;

	printf("capacity: %s %s, %u faulting thread%s, %s %s, %s", c->mt->name, uop_name(c->op),
	       c->faulters, c->faulters > 1 ? "s" : "", c->write ? "write" : "read",
	       fault_pattern_names[c->pattern], c->rate > 0 ? "open loop" : "closed loop");
	if (c->rate > 0)
		printf(" at %.0f touches/s", c->rate);
	printf(", %g s a point; target %.0f touches/s with p99 <= %g us\n\n", c->duration,
	       a->target_rate, a->target_p99_us);
	printf("%8s %6s %-9s %10s %10s %8s %8s %9s %6s %6s %6s  %s\n", "handlers", "window",
	       "cpus", "touches/s", "faults/s", "p50 us", "p99 us", "p99.9 us", "util", "races",
	       "late%", "meets");
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

int cmd_capacity(int argc, char **argv)
{
	struct fault_session s = { .command = "capacity" };
	const struct point *rec;
	struct fault_cfg *cfgs;
	struct point *pts;
	struct fault_args a;
	unsigned n, done;
	char msg[512];
	int ret;

	fault_parse_args(argc, argv, true, cmd_capacity_help, &a);
	check_targets(&a);
	cfgs = calloc((size_t)a.nr_hcpus * a.nr_windows * a.nr_handlers, sizeof(*cfgs));
	pts = calloc((size_t)a.nr_hcpus * a.nr_windows * a.nr_handlers, sizeof(*pts));
	if (!cfgs || !pts)
		die_usage("out of memory");
	n = build(&a, cfgs);
	fault_session_open(&s, &a, cfgs, n, argc, argv);
	if (!a.quiet)
		print_head(&a);
	ret = sweep(&s, &a, cfgs, pts, n, &done);
	conclude(msg, sizeof(msg), &a, pts, done, n, &rec);
	printf("%s%s\n", a.quiet ? "" : "\n", msg);
	fault_session_write(&s, capacity_json(&a, pts, done, rec, msg));
	printf("results in %s/\n", s.res.dir);
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
