// SPDX-License-Identifier: MIT
/* uffdbench stress: race the ioctls against zaps, punches and faults; prove no page is wrong. */
#include "results/sidecar.h"
#include "core/stopsig.h"
#include "machine/caps.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "core/list.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "results/results.h"
#include "stress/stress.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { OPT_DURATION, OPT_SEED, OPT_THREADS, OPT_MEMTYPE, OPT_FORK, OPT_PAGES, OPT_OUT,
       OPT_SCENARIO, OPT_INJECT };

static const struct cli_opt stress_opts[] = {
	{ "scenario", "NAME", OPT_SCENARIO, "which race (uffdbench list shows them)", "default",
	  "@scenarios" },
	{ "duration", "TIME", OPT_DURATION, "how long: 30s, 10m, 2h, 500ms; a bare number is "
	  "seconds", "30s" },
	{ "seed", "S", OPT_SEED, "seeds every thread's random sequence; printed, so a failing "
	  "run's sequences can be repeated", "random" },
	{ "threads", "N", OPT_THREADS, "ioctl workers, beside a zapper, a populater, a toucher, "
	  "a checker and 2 fault handlers", "4" },
	{ "memtype", "LIST", OPT_MEMTYPE, "memory types (uffdbench list), or all: every type "
	  "caps sees an ioctl work on; hugetlb types when huge pages can be had (nr_hugepages "
	  "is restored); hugetlb-1g only when named (it runs where 1 GiB pages can be had); a "
	  "scenario keeps the types it uses; the skips say why", "all",
	  "@list @memtypes all" },
	{ "fork", NULL, OPT_FORK, "also fork children that check the pages they inherit, "
	  "private and shared (UFFD_FEATURE_EVENT_FORK where the kernel has it)" },
	{ "pages", "N", OPT_PAGES, "pages per range of base-page types; hugetlb ranges get "
	  "N/64, at least 2", "256" },
	{ "out", "DIR", OPT_OUT, "results directory",
	  "results/<date>-<host>-<release>-stress", "@dir" },
	/* tests: a wrong byte through an alias must fail the run */
	{ "inject-corruption", NULL, OPT_INJECT, .flags = CLI_HIDDEN },
	{ 0 }
};

const struct cli_help cmd_stress_help = {
	.head =
	"usage: uffdbench stress [--scenario NAME] [--duration TIME] [--seed S]\n"
	"                        [--threads N] [--memtype LIST] [--fork] [--pages N]\n"
	"                        [--out DIR]\n\n"
	"Every selected memory type at once: worker threads run reproducible random\n"
	"sequences of the ioctls that fill pages (random batches and offsets) while\n"
	"other threads zap, punch holes, refill the page cache and take real faults\n"
	"that handler threads resolve.  Every page read is checked: it must hold its\n"
	"own offset's pattern with a generation valid during the read, or zeros where\n"
	"a zero page may be.  Any wrong byte, page from another offset or ioctl result\n"
	"outside the contract is a failure (the run stops at the first), as is a new\n"
	"WARNING:/BUG:/Oops line in the kernel log.\n\n",
	.opts = stress_opts,
	.tail =
	"Exit status: 0 no failure, 1 a failure, 2 bad input or nothing can run,\n"
	"128+signal when stopped by SIGINT/SIGTERM (the summary shows what ran).\n\n"
	"Examples:\n"
	"  uffdbench stress\n"
	"  uffdbench stress --duration 10m --fork --seed 42\n"
	"  uffdbench stress --scenario remap --duration 1m\n",
};

static void install_signals(void)
{
	stop_signals_install(hugepages_restore);
	stress_catch_sigbus();
}

/* "30s", "10m", "2h", "500ms", "45" (seconds); 0 or -1. */
static int parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "m", 60e9 }, { "min", 60e9 },
		{ "h", 3600e9 },
	};
	char *end;
	double v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	for (unsigned i = 0; i < ARRAY_SIZE(units); i++) {
		double t = v * units[i].ns;

		if (!strcmp(end, units[i].unit) && t >= 1e6 && t < 1e15) {
			*ns = t;
			return 0;
		}
	}
	return -1;
}

static int parse_seed(const char *s, uint64_t *seed)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*seed = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static int add_memtype(void *arg, const char *name, char *err, size_t errlen)
{
	const struct memtype_ops *mt = memtype_find(name);
	uint64_t *mask = arg;

	if (!strcmp(name, "all"))
		*mask |= ~0ull;
	else if (mt)
		*mask |= 1ull << memtype_index(mt);
	else
		return seterr(err, errlen, "unknown memory type '%s' (uffdbench list shows them)",
			      name);
	return 0;
}

static uint64_t parse_memtypes(const char *list)
{
	uint64_t mask = 0;
	char err[256];

	if (list_for_each(list, add_memtype, &mask, err, sizeof(err)))
		die_usage("stress: --memtype: %s", err);
	return mask;
}

static const struct stress_scenario *parse_scenario(const char *name)
{
	const struct stress_scenario *sc = stress_scenario_find(name);

	if (!sc)
		die_usage("stress: unknown scenario '%s' (uffdbench list shows them)", name);
	return sc;
}

/* One option; *list: --memtype's, *seeded: --seed was given. */
static void parse_opt(const struct cli_parser *p, int key, struct stress_opts *o,
		      const char **list, bool *seeded)
{
	const char *arg = p->arg;
	unsigned u;

	switch (key) {
	case OPT_DURATION:
		if (parse_duration(arg, &o->duration_ns))
			die_usage("stress: bad --duration '%s' (e.g. 30s, 10m, 2h)", arg);
		break;
	case OPT_SEED:
		if (parse_seed(arg, &o->seed))
			die_usage("stress: bad --seed '%s' (a number)", arg);
		*seeded = true;
		break;
	case OPT_THREADS:
		if (parse_uint(arg, &o->threads) || !o->threads || o->threads > 256)
			die_usage("stress: bad --threads '%s' (1 to 256)", arg);
		break;
	case OPT_MEMTYPE: *list = arg; break;
	case OPT_FORK: o->fork = true; break;
	case OPT_PAGES:
		if (parse_uint(arg, &u) || u < 16 || u > 65536)
			die_usage("stress: bad --pages '%s' (16 to 65536)", arg);
		o->pages = u;
		break;
	case OPT_OUT: o->out = arg; break;
	case OPT_SCENARIO: o->sc = parse_scenario(arg); break;
	case OPT_INJECT: o->inject = true; break;
	}
}

static void parse(int argc, char **argv, struct stress_opts *o)
{
	const char *list = NULL;
	struct cli_parser p;
	bool seeded = false;
	int key, status;

	*o = (struct stress_opts){ .duration_ns = 30000000000ull, .threads = 4, .handlers = 2,
				   .pages = 256, .sc = &sc_default };
	cli_start(&p, &cmd_stress_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0)
		parse_opt(&p, key, o, &list, &seeded);
	status = cli_finish(&p, key);
	if (status >= 0)
		exit(status);
	o->named = list;
	o->named_1g = list && strstr(list, "-1g");
	o->memtypes = (list ? parse_memtypes(list) : ~0ull) & ((1ull << nr_memtypes) - 1);
	o->fork |= o->sc->fork;
	if (!seeded)
		o->seed = (now_ns() ^ ((uint64_t)getpid() << 32)) % 1000000000ull;
}

static void setup(struct stress_ctx *c, struct results *res, int argc, char **argv)
{
	char err[1280];
	int ret;

	if (c->o.sc->prepare && c->o.sc->prepare(c, err, sizeof(err)))
		die_usage("stress: scenario %s cannot run here: %s", c->o.sc->name, err);
	stress_pool_baseline(c);
	ret = caps_probe(&c->caps, c->o.memtypes);
	if (ret)
		die_usage("no userfaultfd here: %s (try as root, or set vm.unprivileged_userfaultfd=1)",
			  errno_name(ret));
	c->event_fork = c->o.fork && (c->caps.features & UFFD_FEATURE_EVENT_FORK);
	c->features = caps_wanted_features(&c->caps);
	if (c->event_fork)
		c->features |= UFFD_FEATURE_EVENT_FORK;
	if (stress_setup(c, err, sizeof(err)) || stress_register(c, err, sizeof(err))) {
		stress_teardown(c);
		die_usage("stress: %s", err);
	}
	if (results_create(res, c->o.out, "stress", false, err, sizeof(err))) {
		stress_teardown(c);
		die_usage("%s", err);
	}
	if (results_write_env_caps(res, &c->caps, argc, argv, err, sizeof(err))) {
		stress_teardown(c);
		die_usage("%s", err);
	}
}

/* "missing range (copy/zeropage) ": a range and the ops of kinds that work on it here. */
static void range_text(char *buf, size_t len, const struct stress_type *t, enum range_kind r,
		       const char *what, unsigned kinds)
{
	unsigned ops = stress_ops_of(kinds) & t->ops;
	size_t n;

	buf[0] = '\0';
	if (!t->range[r].pages)
		return;
	n = snprintf(buf, len, "%s range (", what);
	for (int op = 0; op < UOP_NR && n < len; op++)
		if (ops & (1u << op))
			n += snprintf(buf + n, len - n, "%s%s", uop_name(op),
				      ops >> (op + 1) ? "/" : "");
	if (n < len)
		snprintf(buf + n, len - n, ") ");
}

static void announce(const struct stress_ctx *c, const char *dir)
{
	char missing[160], minor[160];

	printf("stress: scenario %s, seed %lu, %.1f s, %s; results in %s/\n", c->o.sc->name,
	       (unsigned long)c->o.seed, c->o.duration_ns / 1e9, stress_threads_text(c), dir);
	for (unsigned i = 0; i < c->nr_types; i++) {
		range_text(missing, sizeof(missing), &c->type[i], RANGE_MISSING, "missing",
			   1u << SK_COPY | 1u << SK_ZEROPAGE);
		range_text(minor, sizeof(minor), &c->type[i], RANGE_MINOR, "minor",
			   1u << SK_CONTINUE);
		printf("  %-16s %s%s\n", c->type[i].mt->name, missing, minor);
	}
	if (c->skipped[0])
		printf("  skipped: %s\n", c->skipped);
	if (c->o.fork && !c->event_fork)
		printf("  fork: this kernel has no UFFD_FEATURE_EVENT_FORK: children just see the memory\n");
	stdout_flush();
}

static int finish(struct stress_ctx *c, struct kmsg_watch *k, struct results *res, int stuck)
{
	uint64_t nf = __atomic_load_n(&c->sh->nr_failures, __ATOMIC_SEQ_CST);
	int sig = stop_requested();
	const char *status = nf ? "failed" : sig ? "interrupted" : "ok";
	int ret;

	kmsg_finish(k);
	if (k->nr_lines && !nf) {
		status = "failed";
		errmsg("the kernel logged %u WARNING:/BUG:/Oops lines during the run", k->nr_lines);
	}
	stress_print_summary(c, k, status, stdout);
	ret = stress_write_results(c, k, status, res->fd);
	if (ret)
		errmsg("cannot write %s/results.jsonl: %s", res->dir, strerror(-ret));
	printf("results in %s/\n", res->dir);
	stdout_flush();
	results_close(res);
	if (nf || k->nr_lines || stuck)
		return EXIT_BAD_RESULT;
	if (sig)
		return 128 + sig;
	return ret ? EXIT_USAGE : EXIT_OK;
}

int cmd_stress(int argc, char **argv)
{
	struct stress_ctx c = { .signal = stop_flag(), .child_lock = PTHREAD_MUTEX_INITIALIZER };
	struct kmsg_watch k;
	struct results res;
	int stuck, ret;

	parse(argc, argv, &c.o);
	c.sh = mmap(NULL, sizeof(*c.sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c.sh == MAP_FAILED)
		die_usage("out of memory");
	atexit(hugepages_restore);
	install_signals();
	setup(&c, &res, argc, argv);
	announce(&c, res.dir);
	kmsg_start(&k);
	c.gen = 2;
	stuck = stress_run(&c);
	if (!stuck)
		stress_teardown(&c);
	hugepages_restore();
	ret = finish(&c, &k, &res, stuck);
	if (!stuck)
		stress_free(&c);
	munmap(c.sh, sizeof(*c.sh));
	return ret;
}
