/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_SESSION_H
#define UFFDBENCH_FAULT_SESSION_H

/*
 * What `fault` and `capacity` share: their parsed options (struct
 * fault_args, filled by bench/cli/fault_opts.c) and a session
 * (bench/fault/session.c): every configuration checked before anything is
 * written, then run one by one, each appended to results.jsonl as it ends.
 */
#include "machine/caps.h"
#include "fault/fault.h"
#include "results/results.h"
#include "core/list.h"
#include "machine/topo.h"

enum fault_judge { JUDGE_FAULT, JUDGE_TOUCH };

struct fault_args {
	struct fault_cfg cfg;			/* every field but the swept ones */
	unsigned faulters[SPEC_MAX_LIST], nr_faulters;
	unsigned handlers[SPEC_MAX_LIST], nr_handlers;
	bool handlers_given;
	enum fault_wait waits[WAIT_NR];		/* none: the default for each configuration */
	unsigned nr_waits;
	unsigned windows[SPEC_MAX_LIST], nr_windows;
	enum handler_cpus hcpus[2];
	unsigned nr_hcpus;
	double target_rate, target_p99_us;	/* capacity */
	bool closed_loop;			/* capacity: closed loop instead of --rate */
	enum fault_judge judge;			/* capacity: p99 of faults or of every touch */
	enum pin_policy policy;
	bool oversubscribe, quiet;
	bool sweep;				/* capacity */
	const char *out, *label;
};

struct fault_session {
	struct caps caps;
	struct topo *topo;
	struct results res;
	struct fault_env env;
	const char *command;
	unsigned index;			/* configurations written */
	int write_err;			/* the first failed line: -errno (exit 2), or 0 */
};

/*
 * Check every configuration, then create the results directory with
 * env.json and caps.json.  Installs the SIGINT/SIGTERM handlers.  0, or -1
 * with a one-line err (bad input, or a configuration that cannot run here:
 * exit 2) and nothing written, nothing held, every pool put back.
 */
int fault_session_open(struct fault_session *s, const struct fault_args *a,
		       struct fault_cfg *cfgs, unsigned n, int argc, char **argv,
		       char *err, size_t errlen);
/*
 * Run one configuration and append its line: 0, or -ECHILD when its
 * threads did not return (said, pools put back): the caller must end the
 * process at once, without unwinding.
 */
int fault_session_run(struct fault_session *s, const struct fault_cfg *c, struct fault_result *r);
/* Append any JSON object as one line; 0, or -errno (said, and kept in write_err). */
int fault_session_write(struct fault_session *s, json_t *o);
int fault_session_signal(void);
void fault_session_close(struct fault_session *s);

#endif
