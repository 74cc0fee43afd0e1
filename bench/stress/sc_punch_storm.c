// SPDX-License-Identifier: MIT
/*
 * Hole punches racing CONTINUE and the page-cache refill: the zapper only
 * punches, two refillers, workers issuing CONTINUE only, over the types
 * CONTINUE works on.  A hole CONTINUE reports must be one a punch made.
 * One zapper: the model's removal counter (odd while a removal runs)
 * assumes removals of a page do not overlap.
 */
#include "stress/scenario.h"
#include "stress/stress.h"

const struct stress_scenario sc_punch_storm = {
	.name = "punch-storm",
	.desc = "hole punches racing CONTINUE and the page-cache refill (types CONTINUE works on)",
	.workers = SC_OPT, .zappers = 1, .populaters = 2, .touchers = 1, .checkers = 1,
	.handlers = 2, .forkers = 0, .worker_kinds = 1u << SK_CONTINUE, .punch_only = true,
};
