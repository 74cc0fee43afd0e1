// SPDX-License-Identifier: MIT
/* The stress scenarios, in the order `uffdbench list` shows them. */
#include "stress/scenario.h"
#include "core/common.h"

#include <string.h>

const struct stress_scenario *const stress_scenarios[] = {
	&sc_default, &sc_pool_exhaustion, &sc_punch_storm, &sc_remap, &sc_thp_split,
	&sc_fork_storm,
};
const unsigned nr_stress_scenarios = ARRAY_SIZE(stress_scenarios);

const struct stress_scenario *stress_scenario_find(const char *name)
{
	for (unsigned i = 0; i < nr_stress_scenarios; i++)
		if (!strcmp(stress_scenarios[i]->name, name))
			return stress_scenarios[i];
	return NULL;
}
