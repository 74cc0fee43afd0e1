// SPDX-License-Identifier: MIT
/*
 * fork() back to back while the mix runs: every child checks the pages of
 * every type it inherits -- private copies and the shared mappings -- and
 * the handlers read (and close) every UFFD_EVENT_FORK userfaultfd.
 */
#include "stress/scenario.h"

const struct stress_scenario sc_fork_storm = {
	.name = "fork-storm",
	.desc = "fork children back to back, each checking private and shared pages it inherits",
	.workers = SC_OPT, .zappers = 1, .populaters = 1, .touchers = 1, .checkers = 1,
	.handlers = 2, .forkers = 1, .fork = true, .fork_pause_ms = 0,
};
