// SPDX-License-Identifier: MIT
/* The human-readable table `run` prints as cells finish. */
#include "results/results.h"
#include "run/cell_json.h"
#include "run/run.h"
#include "core/stats.h"
#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

void table_header(FILE *f, bool placed)
{
	fprintf(f, "%-15s %-12s %5s %3s ", "memtype", "ioctl", "batch", "thr");
	if (placed)
		fprintf(f, "%-7s ", "place");
	fprintf(f, "%9s %-19s %10s %9s  %s\n", "ns/page", "[95% CI of median]", "ns/ioctl",
		"Mpages/s", "status");
}

static void summarize_rounds(const struct cell_result *res, struct summary *pg,
			     struct summary *io, struct summary *tput)
{
	double *v = xcalloc(3 * (res->rounds + 1), sizeof(double));
	double *w = v + res->rounds + 1, *t = w + res->rounds + 1;
	double pages = (double)res->pages_per_thread * res->threads;

	for (unsigned i = 0; i < res->rounds; i++) {
		v[i] = round_ns_per_page(res, i);
		w[i] = round_ns_per_ioctl(res, i);
		t[i] = pages * 1e3 / round_wall_ns(res, i);
	}
	summarize(v, res->rounds, pg);
	summarize(w, res->rounds, io);
	summarize(t, res->rounds, tput);
	free(v);
}

/* unsaved: why the cell's line is not in results.jsonl (the disk is full), or NULL. */
void table_row(FILE *f, const struct cell *c, const struct cell_result *res, const char *unsaved)
{
	struct summary pg, io, tput;
	char ci[40] = "(n<6: no interval)";
	char note[160] = "", status[300];

	if (c->place && res->status != CELL_SKIPPED)
		place_miss_note(c->place, &res->place, note + 2, sizeof(note) - 2);
	if (note[2])
		note[0] = ';', note[1] = ' ';
	if (c->knob) {		/* run --knob: which value this row had */
		size_t n = strlen(note);

		snprintf(note + n, sizeof(note) - n, "; knob=%s", c->knob);
	}
	if (unsaved)
		snprintf(status, sizeof(status), "NOT SAVED (%s): %s", unsaved,
			 res->status == CELL_OK ? "ok" : res->reason);
	else if (res->status == CELL_SKIPPED)
		snprintf(status, sizeof(status), "skipped: %s", res->reason);
	else
		snprintf(status, sizeof(status), "%s%s", res->status == CELL_OK ? "ok" : "FAILED: ",
			 res->status == CELL_OK ? "" : res->reason);
	fprintf(f, "%-15s %-12s %5u %3u ", c->mt->name, uop_name(c->op), c->batch, c->threads);
	if (c->place)
		fprintf(f, "%-7s ", c->place->name);
	if (res->status == CELL_SKIPPED || !res->rounds) {
		fprintf(f, "%9s %-19s %10s %9s  %s\n", "-", "", "-", "-", status);
		return;
	}
	summarize_rounds(res, &pg, &io, &tput);
	if (pg.has_ci)
		snprintf(ci, sizeof(ci), "[%.1f, %.1f]", pg.ci_lo, pg.ci_hi);
	fprintf(f, "%9.1f %-19s %10.1f %9.3f  %s%s\n", pg.median, ci, io.median, tput.median,
		status, note);
}
