// SPDX-License-Identifier: MIT
/* The mix: every thread kind at once, over every memory type. */
#include "stress/scenario.h"

const struct stress_scenario sc_default = {
	.name = "default",
	.desc = "every memory type: ioctl workers, zaps and punches, refills, touches, sweeps, handlers",
	.workers = SC_OPT, .zappers = 1, .populaters = 1, .touchers = 1, .checkers = 1,
	.handlers = 2, .forkers = SC_OPT, .fork_pause_ms = 250,
};
