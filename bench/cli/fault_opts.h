/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CLI_FAULT_OPTS_H
#define UFFDBENCH_CLI_FAULT_OPTS_H

/* What cmd_fault.c and cmd_capacity.c share (bench/cli/fault_opts.c). */
#include "cli/opt.h"
#include "fault/session.h"

/* The option tables of fault and capacity: one meaning per option. */
extern const struct cli_opt fault_options[], capacity_options[];

/*
 * Parse argv for `fault` (sweep false: one value per option) or `capacity`;
 * --help prints usage and exits 0, bad input exits 2 with one line.
 */
void fault_parse_args(int argc, char **argv, bool sweep, const struct cli_help *usage,
		      struct fault_args *a);
/*
 * fault_session_run(), ending the process (exit 1) when the configuration's
 * threads did not return.
 */
void fault_run_one(struct fault_session *s, const struct fault_cfg *c, struct fault_result *r);

#endif
