// SPDX-License-Identifier: MIT
/*
 * What `fault` and `capacity` share: their options (one table, one meaning
 * each) and running one configuration, with the exits both make.
 */
#include "cli/commands.h"
#include "cli/fault_opts.h"
#include "results/results.h"
#include "core/common.h"
#include "core/list.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	O_MEMTYPE, O_IOCTL, O_FAULTERS, O_HANDLERS, O_WINDOW, O_TOUCH, O_PATTERN,
	O_STRIDE, O_SHARE, O_UFFD, O_HCPUS, O_POLICY, O_OVERSUB, O_SIZE, O_DURATION, O_RATE,
	O_CLOSED, O_VERIFY, O_WATCHDOG, O_SEED, O_INJECT, O_OUT, O_LABEL, O_QUIET,
	O_TARGET_RATE, O_TARGET_P99, O_WAIT, O_EVENTS, O_JUDGE, O_SOURCE,
};

/* What fault and capacity mean alike: first in both tables. */
#define FAULT_WHAT_ROWS							\
	{ "memtype", "NAME", O_MEMTYPE, "memory type (uffdbench list)", "anon",	\
	  "@memtypes" },							\
	{ "ioctl", "OP", O_IOCTL, "{fault-ioctls} (those that resolve faults; uffdbench "	\
	  "list: the fault each resolves)", "copy", "@fault-ioctls" }

/* ... and last in both. */
#define FAULT_COMMON_ROWS						\
	{ "touch", "MODE", O_TOUCH, "read or write", "write", "read write" },	\
	{ "pattern", "P", O_PATTERN, "seq, random or stride", "seq", "seq random stride" }, \
	{ "stride", "N", O_STRIDE, "pages between touches with --pattern stride", "16" }, \
	{ "share", NULL, O_SHARE, "every faulting thread walks the whole range (faults "	\
	  "race); default: each its own slice" },				\
	{ "uffd", "MODE", O_UFFD, "shared: one uffd all handlers poll; per-handler: one "	\
	  "each, registering its own part of the range", "shared", "shared per-handler" }, \
	{ "policy", "P", O_POLICY, "pinning: core, compact, scatter", "core",		\
	  "core compact scatter" },						\
	{ "size", "SIZE", O_SIZE, "the registered range, split between the faulting "	\
	  "threads; auto: 64M (32M of 2 MiB pages, one 1 GiB page)", "auto" },	\
	{ "verify", "MODE", O_VERIFY, "sample (64 touched pages a round) or full",	\
	  "sample", "sample full" },						\
	{ "source", "S", O_SOURCE, "COPY's source: hot (each handler's window of pages, " \
	  "the first word stamped per fault with the page's own, as a minimal loop "	\
	  "copies) or range (laid out as the range, cold in the cache)", "hot",	\
	  "hot range" },							\
	{ "watchdog", "S", O_WATCHDOG, "end the run when one touch waits S s", "10" },	\
	{ "seed", "N", O_SEED, "seed of --pattern random", "1" },			\
	{ "inject-handler", "M", O_INJECT, "for tests: stall (read faults, never "	\
	  "resolve) or die", .values = "none stall die" },			\
	{ "out", "DIR", O_OUT, "results directory",					\
	  "results/<date>-<host>-<release>[-label]", "@dir" },			\
	{ "label", "TEXT", O_LABEL, "suffix of the default results directory name" }, \
	{ "quiet", NULL, O_QUIET, "one summary line" }

const struct cli_opt fault_options[] = {
	FAULT_WHAT_ROWS,
	{ "faulters", "F", O_FAULTERS, "faulting threads", "1" },
	{ "handlers", "H", O_HANDLERS, "handler threads (none with --wait sigbus)", "1" },
	{ "wait", "STYLE", O_WAIT, "read: blocking read(); poll: poll() + read(); epoll: "
	  "epoll_wait() over every uffd + read(); sigbus: no handlers, UFFD_FEATURE_SIGBUS",
	  "read", "read poll epoll sigbus" },
	{ "events", "N", O_EVENTS, "events per read(), 1..64: 1 when handlers share a uffd, "
	  "else F" },
	{ "window", "W", O_WINDOW, "pages per resolving ioctl, aligned down to W, a power of "
	  "two (W > 1: prefetch)", "1" },
	{ "handler-cpus", "P", O_HCPUS, "separate: handlers on their own CPUs; same: on the "
	  "faulting threads' CPUs", "separate", "separate same" },
	{ "oversubscribe", NULL, O_OVERSUB, "allow more threads than the policy fits" },
	{ "duration", "S", O_DURATION, "seconds the rounds take, with the untimed resets "
	  "between them; rates count faulting time", "5" },
	{ "rate", "N", O_RATE, "open loop: N touches/s in total, each thread on a fixed "
	  "schedule, latency from the intended start; default: closed loop (each thread "
	  "touches as fast as it can)" },
	FAULT_COMMON_ROWS,
	{ 0 }
};

const struct cli_opt capacity_options[] = {
	{ "target-rate", "N", O_TARGET_RATE, "touches/s the handlers must sustain (required)" },
	{ "target-p99-us", "US", O_TARGET_P99, "p99 latency allowed, in us", "1000" },
	{ "judge", "WHAT", O_JUDGE, "fault: p99 of the faults; touch: p99 of every touch, hits "
	  "queued behind a fault included", "fault", "fault touch" },
	FAULT_WHAT_ROWS,
	{ "handlers", "LIST", O_HANDLERS, "handler counts to try: 1-4, 1,2,4 ...", "1-4" },
	{ "faulters", "LIST", O_FAULTERS, "faulting threads to try: 1,2,4 ...", "1" },
	{ "oversubscribe", NULL, O_OVERSUB, "allow more faulting threads than CPUs" },
	{ "wait", "LIST", O_WAIT, "wait styles to try: read, poll, epoll, sigbus (no handlers: "
	  "one point whatever --handlers)", "the default", "@list read poll epoll sigbus" },
	{ "events", "N", O_EVENTS, "events per read()", "per configuration" },
	{ "window", "LIST", O_WINDOW, "prefetch windows to try (powers of two)", "1" },
	{ "handler-cpus", "P", O_HCPUS, "separate, same, or separate,same to try both",
	  "separate", "@list separate same" },
	{ "rate", "N", O_RATE, "the offered load, open loop; default: --target-rate" },
	{ "closed-loop", NULL, O_CLOSED, "closed loop instead (sustained: touches/s >= "
	  "target)" },
	{ "duration", "S", O_DURATION, "seconds per point", "2" },
	FAULT_COMMON_ROWS,
	{ 0 }
};

static double parse_num(const char *opt, const char *s)
{
	char *end;
	double v;

	v = strtod(s, &end);
	if (end == s || *end || !isfinite(v))
		die_usage("bad --%s '%s': want a number", opt, s);
	return v;
}

static unsigned parse_count(const char *opt, const char *s)
{
	unsigned v;

	if (parse_uint(s, &v))
		die_usage("bad --%s '%s': want a whole number", opt, s);
	return v;
}

struct count_list {
	unsigned *v, n;
};

/* One item of a count list: "8" or "1-4"; a value twice is refused. */
static int add_count_item(void *arg, const char *item, char *err, size_t errlen)
{
	struct count_list *l = arg;
	unsigned lo, hi;

	if (list_parse_range(item, &lo, &hi))
		return seterr(err, errlen, "'%s': want a whole number or a range N-M", item);
	if (hi < lo || hi - lo >= SPEC_MAX_LIST)
		return seterr(err, errlen, "'%s': a bad range", item);
	for (unsigned v = lo; v <= hi; v++) {
		if (l->n == SPEC_MAX_LIST)
			return seterr(err, errlen, "at most %d values", SPEC_MAX_LIST);
		if (list_add_unique(l->v, &l->n, v, item, err, errlen))
			return seterr(err, errlen, "%u given twice", v);
	}
	return 0;
}

/* "1,2,8" or "1-4" or a mix; one value only unless sweep. */
static unsigned parse_list(const char *opt, const char *s, bool sweep, unsigned *out)
{
	struct count_list l = { out, 0 };
	char err[256];

	if (list_for_each(s, add_count_item, &l, err, sizeof(err)))
		die_usage("bad --%s: %s", opt, err);
	if (l.n > 1 && !sweep)
		die_usage("--%s takes one value here (uffdbench capacity sweeps lists)", opt);
	return l.n;
}

static int pick(const char *opt, const char *s, const char *const *names, int n)
{
	char choices[128] = "";
	size_t off = 0;

	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	for (int i = 0; i < n; i++)
		appendf(choices, sizeof(choices), &off, "%s%s", i ? ", " : "", names[i]);
	die_usage("unknown --%s '%s' (%s)", opt, s, choices);
}

struct name_list {
	const char *opt;
	const char *const *names;
	unsigned nr_names, v[8], n;
};

/* One item of a list of names: its index; a name twice is refused. */
static int add_name_item(void *arg, const char *item, char *err, size_t errlen)
{
	struct name_list *l = arg;
	size_t off;

	for (unsigned i = 0; i < l->nr_names; i++)
		if (!strcmp(item, l->names[i]))
			return list_add_unique(l->v, &l->n, i, item, err, errlen);
	seterr(err, errlen, "unknown --%s '%s' (", l->opt, item);
	off = strlen(err);
	for (unsigned i = 0; i < l->nr_names; i++)
		appendf(err, errlen, &off, "%s%s", i ? ", " : "", l->names[i]);
	appendf(err, errlen, &off, ")");
	return -1;
}

/* A list of names (one unless sweep), as their indexes into out. */
static unsigned parse_names(const char *opt, const char *s, bool sweep,
			    const char *const *names, unsigned nr, unsigned *out)
{
	struct name_list l = { opt, names, nr };
	char err[256];

	if (list_for_each(s, add_name_item, &l, err, sizeof(err))) {
		if (!strncmp(err, "unknown", 7))
			die_usage("%s", err);	/* names the option itself */
		die_usage("bad --%s: %s", opt, err);
	}
	if (l.n > 1 && !sweep)
		die_usage("bad --%s '%s': one value here (uffdbench capacity sweeps lists)",
			  opt, s);
	memcpy(out, l.v, l.n * sizeof(*out));
	return l.n;
}

static unsigned parse_hcpus(const char *s, bool sweep, enum handler_cpus *out)
{
	static const char *const names[] = { "separate", "same" };
	unsigned v[8], n = parse_names("handler-cpus", s, sweep, names, 2, v);

	for (unsigned i = 0; i < n; i++)
		out[i] = v[i];
	return n;
}

static unsigned parse_waits(const char *s, bool sweep, enum fault_wait *out)
{
	unsigned v[8], n = parse_names("wait", s, sweep, fault_wait_names, WAIT_NR, v);

	for (unsigned i = 0; i < n; i++)
		out[i] = v[i];
	return n;
}

static void defaults(struct fault_args *a, bool sweep)
{
	memset(a, 0, sizeof(*a));
	/* the default op: the table's first that fills a missing page from a source */
	a->cfg = (struct fault_cfg){ .mt = memtype_find("anon"),
		.op = uop_first(ioctl_fills_from_source), .faulters = 1,
		.handlers = 1, .window = 1, .write = true, .pattern = PAT_SEQ, .stride = 16,
		.duration = sweep ? 2 : 5, .watchdog = 10, .seed = 1 };
	a->cfg.wait_auto = true;
	a->faulters[0] = a->handlers[0] = a->windows[0] = 1;
	a->nr_faulters = a->nr_handlers = a->nr_windows = a->nr_hcpus = 1;
	a->sweep = sweep;
	a->target_p99_us = 1000;
	a->policy = PIN_CORE;
	if (sweep)
		a->nr_handlers = parse_list("handlers", "1-4", true, a->handlers);
}

static void parse_one(struct fault_args *a, int opt, const char *arg, bool sweep)
{
	static const char *const touches[] = { "read", "write" };
	static const char *const layouts[] = { "shared", "per-handler" };
	static const char *const verifies[] = { "sample", "full" };
	static const char *const injects[] = { "none", "stall", "die" };
	struct fault_cfg *c = &a->cfg;
	int op;

	switch (opt) {
	case O_MEMTYPE:
		c->mt = memtype_find(arg);
		if (!c->mt)
			die_usage("unknown memory type '%s' (uffdbench list shows them)", arg);
		break;
	case O_IOCTL:
		op = uop_parse(arg);
		if (op < 0 || !(uop_fault_ops() & (1u << op)))
			die_usage("'%s' is not an ioctl that resolves faults (%s)", arg,
				  uop_list(uop_fault_ops()));
		c->op = op;
		break;
	case O_FAULTERS: a->nr_faulters = parse_list("faulters", arg, sweep, a->faulters); break;
	case O_HANDLERS:
		a->nr_handlers = parse_list("handlers", arg, sweep, a->handlers);
		a->handlers_given = true;
		break;
	case O_WAIT: a->nr_waits = parse_waits(arg, sweep, a->waits); break;
	case O_EVENTS:
		c->events = parse_count("events", arg);
		if (!c->events || c->events > FAULT_MAX_EVENTS)
			die_usage("bad --events '%s': want 1..%d events per read()", arg,
				  FAULT_MAX_EVENTS);
		break;
	case O_JUDGE: a->judge = pick("judge", arg, (const char *const[]){ "fault", "touch" }, 2); break;
	case O_WINDOW: a->nr_windows = parse_list("window", arg, sweep, a->windows); break;
	case O_TOUCH: c->write = pick("touch", arg, touches, 2); break;
	case O_PATTERN: c->pattern = pick("pattern", arg, fault_pattern_names, PAT_NR); break;
	case O_STRIDE:
		c->stride = parse_count("stride", arg);
		if (!c->stride)
			die_usage("bad --stride '%s': want 1 or more pages", arg);
		break;
	case O_SHARE: c->share = true; break;
	case O_UFFD: c->layout = pick("uffd", arg, layouts, 2); break;
	case O_HCPUS: a->nr_hcpus = parse_hcpus(arg, sweep, a->hcpus); break;
	case O_POLICY:
		a->policy = pin_policy_parse(arg);
		if ((int)a->policy < 0)
			die_usage("unknown --policy '%s' (core, compact, scatter)", arg);
		break;
	case O_OVERSUB: a->oversubscribe = true; break;
	case O_SIZE:
		if (parse_size(arg, &c->size) || !c->size)
			die_usage("bad --size '%s' (e.g. 4M, 1G)", arg);
		break;
	case O_DURATION: c->duration = parse_num("duration", arg); break;
	case O_RATE:
		c->rate = parse_num("rate", arg);
		if (c->rate < 1 || c->rate > FAULT_MAX_RATE)
			die_usage("bad --rate '%s': want 1 to 1e9 touches/s", arg);
		break;
	case O_CLOSED: a->closed_loop = true; break;
	case O_VERIFY: c->verify = pick("verify", arg, verifies, 2); break;
	case O_SOURCE:
		c->range_src = pick("source", arg, (const char *const[]){ "hot", "range" }, 2);
		break;
	case O_WATCHDOG: c->watchdog = parse_num("watchdog", arg); break;
	case O_SEED: c->seed = parse_count("seed", arg); break;
	case O_INJECT: c->inject = pick("inject-handler", arg, injects, 3); break;
	case O_OUT: a->out = arg; break;
	case O_LABEL: {
		char err[256];

		if (results_check_label(arg, err, sizeof(err)))
			die_usage("%s", err);
		a->label = arg;
		break;
	}
	case O_QUIET: a->quiet = true; break;
	case O_TARGET_RATE: a->target_rate = parse_num("target-rate", arg); break;
	case O_TARGET_P99: a->target_p99_us = parse_num("target-p99-us", arg); break;
	}
}

void fault_parse_args(int argc, char **argv, bool sweep, const struct cli_help *usage,
		      struct fault_args *a)
{
	struct cli_parser p;
	int key, status;

	defaults(a, sweep);
	cli_start(&p, usage, argc, argv, false);
	while ((key = cli_next(&p)) >= 0)
		parse_one(a, key, p.arg, sweep);
	status = cli_finish(&p, key);
	if (status >= 0)
		exit(status);
	a->cfg.faulters = a->faulters[0];
	a->cfg.handlers = a->handlers[0];
	a->cfg.window = a->windows[0];
	a->cfg.hcpus = a->hcpus[0];
	if (!a->nr_waits)
		return;
	a->cfg.wait = a->waits[0];
	a->cfg.wait_auto = false;
	if (a->cfg.wait == WAIT_SIGBUS && !a->handlers_given)
		a->cfg.handlers = 0;	/* no handler threads */
}

void fault_run_one(struct fault_session *s, const struct fault_cfg *c, struct fault_result *r)
{
	if (!fault_session_run(s, c, r))
		return;
	/* threads still run in this process: no unwinding past them */
	stdout_flush();
	fflush(NULL);
	_exit(EXIT_BAD_RESULT);
}
