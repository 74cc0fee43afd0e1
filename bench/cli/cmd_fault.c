// SPDX-License-Identifier: MIT
/*
 * uffdbench fault: real faults, resolved by handler threads.  F faulting
 * threads touch a registered range, H handlers wait for the events (a
 * blocking read, poll or epoll), read them and resolve each with one ioctl
 * over a window of W pages — or in SIGBUS mode each faulting thread
 * resolves its own; the faulting threads time every fault from touch to
 * resume.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "cli/fault_opts.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

const struct cli_help cmd_fault_help = {
	.head =
	"usage: uffdbench fault [options]\n\n"
	"F faulting threads touch registered memory; H handler threads wait for the\n"
	"fault events (--wait), read them and resolve each with one ioctl over a window\n"
	"of W pages (or, --wait sigbus, each faulting thread resolves its own fault\n"
	"from its SIGBUS handler).  Reports faults/s, pages/s, fault-to-resume latency\n"
	"percentiles, handler CPU utilisation and races; every touched page is verified\n"
	"after each round.\n\n"
	"  --memtype NAME      memory type (uffdbench list)                  [anon]\n"
	"  --ioctl OP          {fault-ioctls} (those that resolve faults;\n"
	"                      uffdbench list: the fault each resolves)      [copy]\n"
	"  --faulters F        faulting threads                              [1]\n"
	"  --handlers H        handler threads (none with --wait sigbus)     [1]\n"
	"  --wait STYLE        read: blocking read(); poll: poll() + read(); epoll:\n"
	"                      epoll_wait() over every uffd + read(); sigbus: no\n"
	"                      handlers, UFFD_FEATURE_SIGBUS                 [read]\n"
	"  --events N          events per read(), 1..64: 1 when handlers share a\n"
	"                      uffd, else F\n"
	"  --window W          pages per resolving ioctl, aligned down to W, a\n"
	"                      power of two (W > 1: prefetch)                [1]\n"
	"  --touch MODE        read or write                                 [write]\n"
	"  --pattern P         seq, random or stride                         [seq]\n"
	"  --stride N          pages between touches with --pattern stride   [16]\n"
	"  --share             every faulting thread walks the whole range (faults\n"
	"                      race); default: each its own slice\n"
	"  --uffd MODE         shared: one uffd all handlers poll; per-handler: one\n"
	"                      each, registering its own part of the range   [shared]\n"
	"  --handler-cpus P    separate: handlers on their own CPUs; same: on the\n"
	"                      faulting threads' CPUs                        [separate]\n"
	"  --policy P          pinning: core, compact, scatter               [core]\n"
	"  --oversubscribe     allow more threads than the policy fits\n"
	"  --size SIZE         the registered range, split between the faulting\n"
	"                      threads; auto: 64M (32M of 2 MiB pages, one 1 GiB page)\n"
	"  --duration S        seconds the rounds take, with the untimed resets\n"
	"                      between them; rates count faulting time       [5]\n"
	"  --rate N            open loop: N touches/s in total, each thread on a fixed\n"
	"                      schedule, latency from the intended start; default:\n"
	"                      closed loop (each thread touches as fast as it can)\n"
	"  --verify MODE       sample (64 touched pages a round) or full     [sample]\n"
	"  --source S          COPY's source: hot (each handler's window of pages,\n"
	"                      the first word stamped per fault with the page's\n"
	"                      own, as a minimal loop copies) or range (laid out\n"
	"                      as the range, cold in the cache)              [hot]\n"
	"  --watchdog S        end the run when one touch waits S s          [10]\n"
	"  --seed N            seed of --pattern random                      [1]\n"
	"  --inject-handler M  for tests: stall (read faults, never resolve) or die\n"
	"  --out DIR           results directory\n"
	"                      [results/<date>-<host>-<release>[-label]]\n"
	"  --label TEXT        suffix of the default results directory name\n"
	"  --quiet             one summary line\n\n"
	"Exit: 0 ok; 1 failed (verification, watchdog, a handler error); 2 bad input\n"
	"or not possible here; 130/143 interrupted (the partial result is kept).\n\n"
	"Examples:\n"
	"  uffdbench fault\n"
	"  uffdbench fault --memtype shmem-memfd --ioctl continue --faulters 2 \\\n"
	"                  --handlers 2 --window 8 --pattern random --duration 10\n"
	"  uffdbench fault --rate 20000 --handler-cpus same\n"
	"  uffdbench fault --wait sigbus --faulters 2\n",
};

static void print_handlers(const struct fault_cfg *c, const struct fault_result *r)
{
	char hc[256], wait[32];

	if (c->wait == WAIT_SIGBUS) {
		printf("no handler threads (SIGBUS: each resolves its own)");
		return;
	}
	fault_cpu_list(hc, sizeof(hc), r->handler_cpus, c->handlers);
	printf("%u handler%s (CPU %s, %s, wait %s%s)", c->handlers, c->handlers > 1 ? "s" : "", hc,
	       c->hcpus == HCPU_SEPARATE ? "separate" : "same",
	       fault_wait_label(c, wait, sizeof(wait)), c->wait_auto ? ", the default" : "");
}

static void print_header(const struct fault_cfg *c, const struct fault_result *r)
{
	char fc[256];

	fault_cpu_list(fc, sizeof(fc), r->faulter_cpus, c->faulters);
	printf("fault: %s %s, %zu pages of %zu bytes, %u faulting thread%s (CPU %s), ",
	       c->mt->name, uop_name(c->op), r->pages, r->page_size, c->faulters,
	       c->faulters > 1 ? "s" : "", fc);
	print_handlers(c, r);
	printf(", %s uffd, window %u, %s %s%s, %s",
	       c->layout == UFFD_PER_HANDLER ? "per-handler" : "one shared", c->window,
	       c->write ? "write" : "read", fault_pattern_names[c->pattern],
	       c->share ? " (shared range)" : "", c->rate > 0 ? "open loop" : "closed loop");
	if (c->rate > 0)
		printf(" at %.0f touches/s", c->rate);
	printf("%s\n", r->oversubscribed ? " (oversubscribed)" : "");
}

static int exit_status(const struct fault_result *r)
{
	switch (r->status) {
	case FAULT_OK: return EXIT_OK;
	case FAULT_SKIPPED: return EXIT_USAGE;
	case FAULT_INTERRUPTED: return 128 + (fault_session_signal() ?: 2);
	default: return EXIT_BAD_RESULT;
	}
}

int cmd_fault(int argc, char **argv)
{
	struct fault_session s = { .command = "fault" };
	struct fault_args a;
	struct fault_result r;
	char key[256], err[PATH_MAX + 128];
	int ret;

	fault_parse_args(argc, argv, false, &cmd_fault_help, &a);
	if (fault_session_open(&s, &a, &a.cfg, 1, argc, argv, err, sizeof(err))) {
		errmsg("%s", err);
		return EXIT_USAGE;
	}
	fault_run_one(&s, &a.cfg, &r);
	fault_key(&a.cfg, key, sizeof(key));
	if (a.quiet) {
		printf("%s: %s, %.0f faults/s, mean %.2f us, p50 %.2f us, p99 %.1f us\n", key,
		       fault_status_names[r.status], fault_rate(&r, r.touch->faults),
		       hist_mean(&r.touch->lat) / 1e3, hist_quantile(&r.touch->lat, 0.5) / 1e3,
		       hist_quantile(&r.touch->lat, 0.99) / 1e3);
	} else {
		print_header(&a.cfg, &r);
		fault_print(stdout, &a.cfg, &r);
	}
	if (r.status == FAULT_INTERRUPTED)
		errmsg("%s; the partial result is in %s/results.jsonl", r.reason, s.res.dir);
	else if (r.status != FAULT_OK)
		errmsg("%s: %s", fault_status_names[r.status], r.reason);
	printf("results in %s/\n", s.res.dir);
	ret = exit_status(&r);
	if (s.write_err && ret == EXIT_OK)
		ret = EXIT_USAGE;	/* measured, but not saved: the disk is full */
	fault_result_free(&r);
	fault_session_close(&s);
	return ret;
}
