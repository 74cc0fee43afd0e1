// SPDX-License-Identifier: MIT
/* uffdbench calibrate: what a call and an instruction cost on this machine. */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "ioctls/ioctl.h"
#include "machine/callcost.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_CPU, OPT_REPS, OPT_ITERS, OPT_NATIVE, OPT_ICOUNT, OPT_CELLS, OPT_NS_PER_INSN,
       OPT_JSON, OPT_OUT };

static const struct cli_opt calibrate_opts[] = {
	{ "cpu", "N", OPT_CPU, "pin to CPU N", "the last one allowed" },
	{ "reps", "N", OPT_REPS, "timed repetitions per sequence", "51" },
	{ "iters", "N", OPT_ITERS, "loop iterations per repetition, 8 calls each", "20000" },
	{ "native", "DIR", OPT_NATIVE, "a results directory of `uffdbench run` on this machine",
	  .values = "@dir" },
	{ "icount", "DIR", OPT_ICOUNT, "the same cells under icount (kernel-ab's OUT/A); best a "
	  "boot of the host's own kernel", .values = "@dir" },
	{ "cells", "LIST", OPT_CELLS, "the memtypes/ioctls whose rate counts: ioctl names or "
	  "MEMTYPE/IOCTL, comma-separated, or all (COPY and ZEROPAGE count a page copy or "
	  "clear's rep iterations as instructions, cheap natively)", "continue, else all",
	  "@list @ioctls all" },
	{ "ns-per-insn", "X", OPT_NS_PER_INSN, "assume X ns per kernel instruction" },
	{ "json", NULL, OPT_JSON, "print the JSON instead of the text" },
	{ "out", "FILE", OPT_OUT, "also write the JSON to FILE (attribute --cost reads it)",
	  .values = "@file" },
	{ 0 }
};

const struct cli_help cmd_calibrate_help = {
	.head =
	"usage: uffdbench calibrate [--cpu N] [--reps N] [--iters N]\n"
	"                           [--native DIR --icount DIR [--cells LIST]\n"
	"                            | --ns-per-insn X]\n"
	"                           [--json] [--out FILE]\n\n"
	"Measure, natively and in user space, what a direct call, a plain indirect\n"
	"call and an indirect call through the kernel's thunk sequences cost on this\n"
	"CPU: the retpoline thunk (call; pause; lfence; mov; ret), lfence + call,\n"
	"the ITS thunk and return thunk (a jmp or ret in the upper half of a cache\n"
	"line).  The host kernel's mitigation (spectre_v2, indirect_target_selection\n"
	"and retbleed in /sys/devices/system/cpu/vulnerabilities) picks which of\n"
	"them an indirect call in the kernel is.  Pinned to one CPU, warmed up, each\n"
	"sequence once per repetition in a rotating order, the empty loop of the\n"
	"same repetition taken off: median and 10th/90th percentile of ns per call.\n"
	"A wall clock: trustworthy only on an idle machine (the load average is\n"
	"printed).\n\n"
	"With --native and --icount, the ns per instruction of the kernel path from\n"
	"the single-thread cells both ran (native: ns/page; icount: its floor): per\n"
	"memory type and ioctl the slope of ns/ioctl over the batch size natively\n"
	"over that of instructions/ioctl under icount, the median of them (one batch\n"
	"size: the cells' ratios); else --ns-per-insn X, or assumed one instruction\n"
	"per TSC cycle (said so).  The model, which\n"
	"attribute --cost and kernel-ab --attribute print next to each answer:\n"
	"  d_ns = d_insn x ns/insn + d_indirect x (thunk ns - direct call ns)\n\n",
	.opts = calibrate_opts,
	.tail =
	"Exit status: 0; 2 bad input, or a machine it cannot measure (not x86-64,\n"
	"a CPU it may not run on).\n\n"
	"Examples:\n"
	"  uffdbench calibrate\n"
	"  uffdbench calibrate --native results/native --icount OUT/A --out cal.json\n"
	"  uffdbench attribute --cost cal.json --base OUT/boot-1-A OUT/boot-2-B\n",
};

struct cal_args {
	struct cc_opts o;
	const char *native, *icount, *out, *cells;
	double ns_per_insn;
	bool json;
};

static unsigned long number(const char *opt, const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || v > max)
		die_usage("calibrate: %s wants a whole number up to %lu, not '%s'", opt, max, s);
	return v;
}

static void parse(int argc, char **argv, struct cal_args *a)
{
	struct cli_parser p;
	char *end;
	int key, status;

	cli_start(&p, &cmd_calibrate_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		const char *arg = p.arg;

		switch (key) {
		case OPT_CPU: a->o.cpu = number("--cpu", arg, 65535); break;
		case OPT_REPS: a->o.reps = number("--reps", arg, 100000); break;
		case OPT_ITERS: a->o.iters = number("--iters", arg, 100000000); break;
		case OPT_NATIVE: a->native = arg; break;
		case OPT_ICOUNT: a->icount = arg; break;
		case OPT_NS_PER_INSN:
			a->ns_per_insn = strtod(arg, &end);
			if (*end || !*arg || !(a->ns_per_insn > 0) || !isfinite(a->ns_per_insn))
				die_usage("calibrate: --ns-per-insn wants a number above 0, not '%s'",
					  arg);
			break;
		case OPT_CELLS: a->cells = arg; break;
		case OPT_JSON: a->json = true; break;
		case OPT_OUT: a->out = arg; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		exit(status);
	if (!a->native != !a->icount)
		die_usage("calibrate: --native and --icount go together");
	if (a->cells && !a->native)
		die_usage("calibrate: --cells chooses among the cells of --native/--icount");
	if (a->native && a->ns_per_insn)
		die_usage("calibrate: --ns-per-insn or --native/--icount, not both");
	if (!a->o.reps || !a->o.iters)
		die_usage("calibrate: --reps and --iters want 1 or more");
}

static json_t *seq_json(const struct cc_result *r, int s)
{
	const struct cc_stat *st = &r->seq[s];

	return json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f}", "what", cc_seq_what[s],
			 "ns_median", st->median, "ns_p10", st->p10, "ns_p90", st->p90,
			 "ns_min", st->min, "ns_max", st->max,
			 "tsc_cycles_median", st->median * r->tsc_ghz);
}

static json_t *to_json(const struct cal_args *a, const struct cc_host *h,
		       const struct cc_result *r, const struct cc_cell_rate *cells, size_t ncells,
		       const struct cc_model *m)
{
	json_t *root, *seqs = json_object(), *jc = json_array(), *load = json_array();
	char line[400], date[32];
	time_t now = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	for (int s = 0; s < NR_CC_SEQ; s++)
		json_object_set_new(seqs, cc_seq_name[s], seq_json(r, s));
	for (size_t i = 0; i < ncells; i++)
		json_array_append_new(jc, json_pack("{s:s, s:f, s:f, s:f}", "cell", cells[i].key,
						    "native_ns_per_page", cells[i].native_ns,
						    "icount_insn_per_page", cells[i].icount_insn,
						    "ns_per_insn", cells[i].ns_per_insn));
	for (int i = 0; i < 3; i++)
		json_array_append_new(load, isnan(r->load[i]) ? json_null() : json_real(r->load[i]));
	cc_model_line(m, line, sizeof(line));
	root = json_pack("{s:i, s:s, s:s, s:i, s:o, s:f, s:i, s:I, s:f, s:{s:s, s:s, s:s}, "
			 "s:{s:s, s:s, s:s}, s:o, s:o, s:o?, s:o?, "
			 "s:{s:s, s:s, s:f, s:f, s:f, s:b, s:s, s:s}}",
			 "schema", 1, "kind", "calibrate", "date", date, "cpu", r->cpu,
			 "load_average", load, "tsc_ghz", r->tsc_ghz, "reps", (int)a->o.reps,
			 "calls_per_rep", (json_int_t)(a->o.iters * CC_UNROLL),
			 "empty_loop_ns_per_iter", r->empty_ns,
			 "vulnerabilities", "spectre_v2", h->spectre_v2,
			 "indirect_target_selection", h->its, "retbleed", h->retbleed,
			 "host", "indirect", cc_seq_name[h->indirect], "direct",
			 cc_seq_name[h->direct], "why", h->why,
			 "sequences", seqs, "cells", jc,
			 "native", a->native ? json_string(a->native) : NULL,
			 "icount", a->icount ? json_string(a->icount) : NULL,
			 "model", "indirect", m->indirect, "direct", m->direct,
			 "thunk_ns", m->thunk_ns, "direct_ns", m->direct_ns,
			 "ns_per_insn", m->ns_per_insn, "ns_per_insn_measured", m->insn_measured,
			 "ns_per_insn_source", m->insn_source, "line", line);
	return root;
}

static void print_text(const struct cal_args *a, const struct cc_host *h,
		       const struct cc_result *r, const struct cc_cell_rate *cells, size_t ncells,
		       const struct cc_model *m)
{
	char line[400];

	printf("calibrate: CPU %d (pinned), %u repetitions of %lu calls after %u warm-up, "
	       "TSC %.3f GHz\n", r->cpu, a->o.reps, a->o.iters * CC_UNROLL, a->o.warmup,
	       r->tsc_ghz);
	printf("load average %.2f %.2f %.2f: a wall clock, trustworthy only on an idle machine\n",
	       r->load[0], r->load[1], r->load[2]);
	printf("host kernel: spectre_v2: %s\n", h->spectre_v2[0] ? h->spectre_v2 : "(missing)");
	printf("             indirect_target_selection: %s; retbleed: %s\n",
	       h->its[0] ? h->its : "(missing)", h->retbleed[0] ? h->retbleed : "(missing)");
	printf("  an indirect call is '%s', a direct one '%s' (%s)\n\n", cc_seq_name[h->indirect],
	       cc_seq_name[h->direct], h->why);
	printf("%-20s %8s %19s %8s  %s\n", "sequence", "ns/call", "[p10, p90]", "TSC cyc", "what");
	for (int s = 0; s < NR_CC_SEQ; s++)
		printf("%-20s %8.2f [%7.2f, %7.2f] %8.1f  %s%s\n", cc_seq_name[s], r->seq[s].median,
		       r->seq[s].p10, r->seq[s].p90, r->seq[s].median * r->tsc_ghz, cc_seq_what[s],
		       s == (int)h->indirect || s == (int)h->direct ? "  <- host" : "");
	printf("(the empty loop, %.2f ns per iteration, taken off; TSC cycles are reference "
	       "cycles, not core clocks)\n\n", r->empty_ns);
	for (size_t i = 0; i < ncells; i++)
		printf("  %-32s native %9.1f ns/page / icount %9.1f insn/page = %.4f ns/insn\n",
		       cells[i].key, cells[i].native_ns, cells[i].icount_insn, cells[i].ns_per_insn);
	printf("ns per instruction: %.4f (%s)\n", m->ns_per_insn, m->insn_source);
	cc_model_line(m, line, sizeof(line));
	printf("model: %s\n", line);
	printf("The model is not validated end to end by this: hold its predictions against a "
	       "wall-clock A/B of two kernels (attribute --cost --wall-a --wall-b).\n");
}

int cmd_calibrate(int argc, char **argv)
{
	struct cal_args a = { .o = { .cpu = -1, .reps = 51, .warmup = 5, .iters = 20000 } };
	struct cc_cell_rate *cells = NULL;
	struct cc_model m = { 0 };
	struct cc_result r;
	struct cc_host h;
	size_t ncells = 0;
	json_t *j = NULL;
	char err[1024];
	int ret;

	parse(argc, argv, &a);
	if (!cc_supported()) {
		errmsg("calibrate: measures x86-64 call sequences: not on this architecture");
		return EXIT_USAGE;
	}
	if (a.native && cc_cell_rates(a.native, a.icount, &cells, &ncells, err, sizeof(err))) {
		errmsg("calibrate: %s", err);
		return EXIT_USAGE;
	}
	cc_host_read(&h);
	ret = cc_measure(&a.o, &r);
	if (ret) {
		errmsg("calibrate: cannot measure on CPU %d: %s", a.o.cpu, strerror(-ret));
		ret = EXIT_USAGE;
		goto out;
	}
	snprintf(m.indirect, sizeof(m.indirect), "%s", cc_seq_name[h.indirect]);
	snprintf(m.direct, sizeof(m.direct), "%s", cc_seq_name[h.direct]);
	m.thunk_ns = r.seq[h.indirect].median;
	m.direct_ns = r.seq[h.direct].median;
	if (ncells) {
		/*
		 * By default the ioctl that maps the page cache: it copies no
		 * page data, which qemu counts one instruction per `rep movs`
		 * iteration (COPY's rate would be 0.04 ns/insn).
		 */
		const char *filter = a.cells ? a.cells : uop_name(uop_first(ioctl_maps_from_cache));
		char how[240];

		m.ns_per_insn = cc_page_rate(cells, ncells, filter, how, sizeof(how));
		if (isnan(m.ns_per_insn) && !a.cells)
			m.ns_per_insn = cc_page_rate(cells, ncells, "all", how, sizeof(how));
		if (isnan(m.ns_per_insn)) {
			errmsg("calibrate: --cells %s chooses none of the cells both ran", filter);
			ret = EXIT_USAGE;
			goto out;
		}
		m.insn_measured = true;
		snprintf(m.insn_source, sizeof(m.insn_source), "measured: %s; native %s, icount %s",
			 how, a.native, a.icount);
	} else if (a.ns_per_insn) {
		m.ns_per_insn = a.ns_per_insn;
		snprintf(m.insn_source, sizeof(m.insn_source), "assumed: --ns-per-insn %g",
			 a.ns_per_insn);
	} else {
		m.ns_per_insn = r.tsc_ghz > 0 ? 1 / r.tsc_ghz : 1;
		snprintf(m.insn_source, sizeof(m.insn_source),
			 "assumed: one instruction per TSC cycle; --native/--icount measure it");
	}
	j = to_json(&a, &h, &r, cells, ncells, &m);
	if (!j) {
		errmsg("calibrate: out of memory");
		ret = EXIT_USAGE;
		goto out;
	}
	if (a.out && json_dump_file(j, a.out, JSON_INDENT(2))) {
		errmsg("calibrate: cannot write %s", a.out);
		ret = EXIT_USAGE;
		goto out;
	}
	if (a.json) {
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_text(&a, &h, &r, cells, ncells, &m);
	}
	ret = EXIT_OK;
out:
	json_decref(j);
	free(cells);
	return ret;
}
