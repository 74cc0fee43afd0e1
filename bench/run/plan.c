// SPDX-License-Identifier: MIT
/*
 * Planning a run without measuring: which cells can run here and why not
 * (run and --dry-run ask the same question; a dry run changes nothing on
 * the machine), and how long the run will take, from a model of each cell's
 * work.  The model is rough by design (it knows page counts and sizes, not
 * this kernel's costs); the progress line corrects it by what the first
 * cells really took.
 */
#include "core/common.h"
#include "core/progress.h"
#include "machine/hugepages.h"
#include "run/run.h"

#include <stdio.h>

unsigned long run_cell_mib(const struct cell *c)
{
	return (unsigned long)(((unsigned long long)c->size * c->threads) >> 20);
}

/* Huge pages a cell needs free (0 for the other memory types). */
static unsigned long cell_huge_pages(const struct cell *c)
{
	if (!c->mt->huge_size)
		return 0;
	return memtype_huge_pages_needed(c->mt, c->size / c->mt->huge_size) * c->threads;
}

/* Make (or, dry, see whether one could make) need huge pages free. */
static int huge_pages(const struct cell *c, unsigned long need, bool dry, char *buf, size_t len)
{
	if (dry)
		return hugepages_check(c->mt->huge_size, need, buf, len);
	return hugepages_ensure(c->mt->huge_size, need, buf, len);
}

const char *run_skip_reason(const struct caps *caps, const struct cell *c, bool dry,
			    char *buf, size_t len)
{
	unsigned long need;

	if (c->place && c->place->skip[0]) {
		snprintf(buf, len, "%s", c->place->skip);
		return buf;
	}
	if (c->unfit[0]) {
		snprintf(buf, len, "%s", c->unfit);
		return buf;
	}
	need = cell_huge_pages(c);
	/* caps could not borrow one huge page: say what this cell needs, not that */
	if (need && caps->mt[memtype_index(c->mt)].unavailable[0] &&
	    huge_pages(c, need, dry, buf, len))
		return buf;
	if (caps_skip_reason(caps, c->mt, c->op, buf, len))
		return buf;
	if (run_cell_mib(c) > mem_available_mib() * 9 / 10) {
		snprintf(buf, len, "needs %lu MiB, more than available memory", run_cell_mib(c));
		return buf;
	}
	if (!need)
		return NULL;
	return huge_pages(c, need, dry, buf, len) ? buf : NULL;
}

/*
 * Per round and thread: each page costs a fixed part (ioctl path, reset,
 * fault-in of the source, verify sample) and a part proportional to its
 * bytes (copy, clear, refill); each ioctl a syscall.  Threads run side by
 * side.  Fitted to the elapsed_ms of a quick suite on this project's 2-vCPU
 * VM (base-page cells 0.1-5 s, ~2.5 s typical; 2 MiB ~1 s; 1 GiB ~15 s).
 */
double run_cell_estimate_s(const struct cell *c, const struct run_spec *s)
{
	double page = c->mt->huge_size ? c->mt->huge_size : 4096;
	double pages = c->size / page, ioctls = pages / c->batch;
	double round_ns = pages * (8000 + 1.4 * page + c->inject_ns) + ioctls * 700;

	return 0.05 + (s->rounds + s->warmup) * round_ns * 1e-9;
}

double run_estimate_s(const struct cell *cells, int n, const struct run_spec *s)
{
	double t = 0;

	for (int i = 0; i < n; i++)
		t += run_cell_estimate_s(&cells[i], s);
	return t;
}

/* --dry-run: every cell, run or skipped and why; nothing measured or written. */
int run_dry(const struct run_args *a, const struct caps *caps, const struct cell *cells, int n)
{
	char key[160], why[256], t[32];
	double total = 0;
	int skipped = 0;

	for (int i = 0; i < n; i++) {
		cell_key(&cells[i], key, sizeof(key));
		if (run_skip_reason(caps, &cells[i], true, why, sizeof(why))) {
			printf("  %-40s skip: %s\n", key, why);
			skipped++;
			continue;
		}
		total += run_cell_estimate_s(&cells[i], &a->spec);
		printf("  %-40s run, ~%.1f s\n", key, run_cell_estimate_s(&cells[i], &a->spec));
	}
	printf("\n%d cells: %d to run, %d skipped; x %u repeat%s; estimate ~%s "
	       "(a model of the cells' sizes, not a measurement)\n", n, n - skipped, skipped,
	       a->repeat, a->repeat == 1 ? "" : "s",
	       progress_hms(total * a->repeat, t, sizeof(t)));
	return EXIT_OK;
}
