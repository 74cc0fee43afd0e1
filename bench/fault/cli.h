/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_CLI_H
#define UFFDBENCH_FAULT_CLI_H

/*
 * What `fault` and `capacity` share: their options (bench/fault/cli.c) and
 * a session (bench/fault/session.c): every configuration checked before
 * anything is written, then run one by one, each appended to results.jsonl
 * as it ends.
 */
#include "machine/caps.h"
#include "fault/fault.h"
#include "results/results.h"
#include "run/spec.h"
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

/* Parse argv for `fault` (sweep false: one value per option) or `capacity`. */
void fault_parse_args(int argc, char **argv, bool sweep, const char *usage, struct fault_args *a);

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
 * Check every configuration (exit 2 with one line on bad input or when one
 * cannot run here), then create the results directory with env.json and
 * caps.json.  Installs the SIGINT/SIGTERM handlers.
 */
void fault_session_open(struct fault_session *s, const struct fault_args *a,
			struct fault_cfg *cfgs, unsigned n, int argc, char **argv);
/* Run one configuration and append its line; exits at once if threads were abandoned. */
void fault_session_run(struct fault_session *s, const struct fault_cfg *c, struct fault_result *r);
/* Append any JSON object as one line; 0, or -errno (said, and kept in write_err). */
int fault_session_write(struct fault_session *s, json_t *o);
int fault_session_signal(void);
void fault_session_close(struct fault_session *s);

#endif
