// SPDX-License-Identifier: MIT
/*
 * The fault-mode figures, for later: the latency percentile curve, its CDF
 * and the capacity curve (throughput against offered load) of the fault
 * workload.  results_read keeps only "cell" lines today and counts the
 * others (rr_dir.nr_other); when the fault results' schema is settled, read
 * them here and draw with plot_dat_open() / plot_gp_open() / plot_render()
 * under the report section "Fault mode".  Without fault results this says
 * nothing at all.
 */
#include "plot/plot.h"

void plot_fault(struct plot_ctx *c)
{
	size_t other = 0;

	for (size_t d = 0; d < c->nr_dirs; d++)
		other += c->dirs[d].d.nr_other;
	if (!other)
		return;
	plot_note(c, "%zu result line%s of a kind other than \"cell\" (fault mode?): their "
		  "figures (latency percentiles, CDF, capacity) are not drawn yet", other,
		  other == 1 ? "" : "s");
}
