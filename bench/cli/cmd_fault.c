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
	"after each round.\n\n",
	.opts = fault_options,
	.tail =
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
