// SPDX-License-Identifier: MIT
/*
 * uffdbench capacity: how many handler threads does this load need here?
 * Runs `fault` at one load and memory type for each handler count (and
 * each faulting-thread count, wait style, prefetch window and handler
 * placement asked for), prints the curve, and recommends the fewest
 * handlers that sustain --target-rate with p99 at most --target-p99-us, or
 * says that none does (bench/fault/capacity.c judges the points).
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "cli/fault_opts.h"
#include "fault/capacity.h"
#include "core/alloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cli_help cmd_capacity_help = {
	.head =
	"usage: uffdbench capacity --target-rate N [options]\n\n"
	"Sweep handler threads (and optionally faulting threads, wait styles, prefetch\n"
	"windows and handler placement) at one load, print throughput and p99 latency\n"
	"against them, and recommend the fewest handlers that sustain --target-rate with\n"
	"p99 <= --target-p99-us (for each faulting-thread count swept).\n\n",
	.opts = capacity_options,
	.tail =
	"Handlers beyond the CPUs the policy fits share CPUs (marked in the curve).\n"
	"A point sustains the load when its touches/s reach 98% of the target (open\n"
	"loop) or the target (closed loop).\n"
	"Exit: 0 the sweep ran (whether or not a count meets the targets); 1 a point\n"
	"failed; 2 bad input or not possible here; 130/143 interrupted.\n\n"
	"Examples:\n"
	"  uffdbench capacity --target-rate 20000 --target-p99-us 500\n"
	"  uffdbench capacity --target-rate 50000 --handlers 1-3 \\\n"
	"                     --handler-cpus separate,same --window 1,8\n"
	"  uffdbench capacity --target-rate 20000 --closed-loop --faulters 1,2,4 \\\n"
	"                     --oversubscribe --handlers 1,2 --wait read,epoll,sigbus\n",
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

static void print_row(const struct cap_point *pt)
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

static int sweep(struct fault_session *s, const struct fault_args *a, struct fault_cfg *cfgs,
		 struct cap_point *pts, unsigned n, unsigned *done)
{
	struct fault_result r;
	int failed = 0;

	for (*done = 0; *done < n && !fault_session_signal(); (*done)++) {
		pts[*done].cfg = &cfgs[*done];
		fault_run_one(s, &cfgs[*done], &r);
		cap_measure(&pts[*done], a, &r);
		failed |= r.status == FAULT_FAILED;
		if (!a->quiet)
			print_row(&pts[*done]);
		stdout_flush();
		fault_result_free(&r);
		if (r.status == FAULT_INTERRUPTED)
			return -1;
	}
	return fault_session_signal() ? -1 : failed;
}

static void report(struct fault_session *s, const struct fault_args *a, const struct cap_point *pts,
		   unsigned done, unsigned n)
{
	char msgs[SPEC_MAX_LIST][CAP_MSG_LEN], note[512];
	const struct cap_point *rec = NULL;

	cap_conclude(msgs, a, pts, done, n, &rec);
	cap_machine_note(note, sizeof(note), a, s->topo);
	if (!a->quiet)
		printf("\n");
	for (unsigned k = 0; k < a->nr_faulters; k++)
		printf("%s\n", msgs[k]);
	if (note[0] && !a->quiet)
		printf("note: %s\n", note);
	fault_session_write(s, cap_capacity_json(a, pts, done, rec, msgs, note));
	printf("results in %s/\n", s->res.dir);
}

/* sweep()'s outcome as the exit status. */
static int sweep_status(int ret, const struct fault_session *s)
{
	if (ret < 0)
		return 128 + (fault_session_signal() ?: 2);
	if (ret)
		return EXIT_BAD_RESULT;
	return s->write_err ? EXIT_USAGE : EXIT_OK;	/* not saved: the disk is full */
}

int cmd_capacity(int argc, char **argv)
{
	struct fault_session s = { .command = "capacity" };
	struct fault_cfg *cfgs;
	struct cap_point *pts;
	struct fault_args a;
	unsigned n, done;
	char err[PATH_MAX + 128];
	size_t most;
	int ret;

	fault_parse_args(argc, argv, true, &cmd_capacity_help, &a);
	check_targets(&a);
	most = (size_t)a.nr_faulters * (a.nr_waits ? a.nr_waits : 1) * a.nr_hcpus *
	       a.nr_windows * a.nr_handlers;
	cfgs = xcalloc(most, sizeof(*cfgs));
	pts = xcalloc(most, sizeof(*pts));
	n = build(&a, cfgs);
	if (fault_session_open(&s, &a, cfgs, n, argc, argv, err, sizeof(err))) {
		errmsg("%s", err);
		ret = EXIT_USAGE;
		goto out;
	}
	if (!a.quiet)
		print_head(&a);
	ret = sweep(&s, &a, cfgs, pts, n, &done);
	report(&s, &a, pts, done, n);
	if (ret < 0)
		errmsg("interrupted by signal %d after %u of %u points; they are in %s/results.jsonl",
		       fault_session_signal(), done, n, s.res.dir);
	fault_session_close(&s);
	ret = sweep_status(ret, &s);
out:
	free(cfgs);
	free(pts);
	return ret;
}
