// SPDX-License-Identifier: MIT
/*
 * One process's pass over the matrix: check everything that could make the
 * run meaningless before measuring anything (exit 2, nothing written), then
 * measure cell by cell, appending each to results.jsonl as it finishes.
 */
#include "results/sidecar.h"
#include "machine/caps.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "machine/knob.h"
#include "results/results.h"
#include "run/cell_json.h"
#include "run/run.h"
#include "core/stopsig.h"
#include "core/progress.h"
#include "core/alloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct topo *run_topo;

static int pin_thread(int cpu)
{
	return topo_bind_thread(run_topo, cpu);
}

static int cpu_node(int cpu)
{
	return topo_cpu_node(run_topo, cpu);
}

/* Bad input the whole run shares: -1 with err before anything is written. */
static int check_cells(const struct run_args *a, const struct cell *cells, int n,
		       char *err, size_t errlen)
{
	unsigned long avail = mem_available_mib() * 9 / 10;
	int cpus[1024];

	for (int i = 0; i < n; i++) {
		if (cells[i].unfit[0])
			continue;	/* skipped with its reason */
		if (a->spec.size && run_cell_mib(&cells[i]) > avail)
			return seterr(err, errlen, "%u threads x --size %zu MiB = %lu MiB does not "
				      "fit in available memory (%lu MiB)", cells[i].threads,
				      a->spec.size >> 20, run_cell_mib(&cells[i]), avail);
		if (cells[i].threads > ARRAY_SIZE(cpus))
			return seterr(err, errlen, "%u threads: at most %zu", cells[i].threads,
				      ARRAY_SIZE(cpus));
		if (cells[i].place && cells[i].place->skip[0])
			continue;
		if (topo_plan_threads(run_topo, a->policy, run_place_cpu_node(&cells[i]),
				      cells[i].threads, a->spec.oversubscribe, cpus, err, errlen))
			return -1;
	}
	return 0;
}

/* Shuffle the cell order of repeat k (seeded: reproducible), so drift falls on every cell. */
static void shuffle(struct cell *cells, int n, unsigned seed)
{
	uint64_t x = 0x9e3779b97f4a7c15ull * (seed + 1);

	for (int i = n - 1; i > 0; i--) {
		struct cell tmp = cells[i];
		int j;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = x % (i + 1);
		cells[i] = cells[j];
		cells[j] = tmp;
	}
}

struct run_state {
	const struct run_args *a;
	struct caps caps;
	struct results res;
	struct harness_opts ho;
	struct cell *cells;
	struct place_cell places[PLACE_MAX_NODES];
	int n, done, nr_places;
	unsigned ok, failed, skipped;
	struct progress progress;
	double *estimate;		/* a-priori seconds per cell, 0 when skipped */
};

static int measure_cell(struct run_state *s, const struct cell *c)
{
	struct cell_result r = { 0 };
	char key[160];
	int cpus[1024], ret;

	/* check_cells() already planned every thread count: this cannot fail */
	topo_plan_threads(run_topo, s->a->policy, run_place_cpu_node(c), c->threads,
			  s->a->spec.oversubscribe, cpus, r.reason, sizeof(r.reason));
	s->ho.cpus = cpus;
	cell_key(c, key, sizeof(key));
	progress_show(&s->progress, s->done, key);
	if (run_skip_reason(&s->caps, c, false, r.reason, sizeof(r.reason))) {
		r.status = CELL_SKIPPED;
	} else if (c->knob && knob_set(c->knob_path, c->knob, r.knob_read, sizeof(r.knob_read),
				       r.reason, sizeof(r.reason))) {
		r.status = CELL_FAILED;	/* outside the timed region; the value did not hold */
	} else {
		harness_run_cell(c, &s->ho, &r);
	}
	progress_clear(&s->progress);
	progress_step(&s->progress, s->estimate[s->done]);
	if (r.interrupted) {
		cell_result_free(&r);
		return -EINTR;
	}
	ret = results_write_cell(&s->res, c, &r, s->a->repeat_index);
	if (!s->a->quiet)
		table_row(stdout, c, &r, ret ? strerror(-ret) : NULL);
	stdout_flush();
	if (ret)
		errmsg("cannot write %s/results.jsonl: %s; this cell is not in it", s->res.dir,
		       strerror(-ret));
	s->ok += r.status == CELL_OK;
	s->failed += r.status == CELL_FAILED;
	s->skipped += r.status == CELL_SKIPPED;
	cell_result_free(&r);
	return ret;
}

/* The cell count and the estimate first; then the progress line on a terminal. */
static void announce(struct run_state *s)
{
	double total = 0;
	char why[256], t[32];
	int runnable = 0;

	s->estimate = xcalloc(s->n, sizeof(*s->estimate));
	for (int i = 0; i < s->n; i++) {
		if (run_skip_reason(&s->caps, &s->cells[i], true, why, sizeof(why)))
			continue;
		s->estimate[i] = run_cell_estimate_s(&s->cells[i], &s->a->spec);
		total += s->estimate[i];
		runnable++;
	}
	progress_init(&s->progress, s->n, total, s->a->quiet);
	if (!s->a->quiet)
		printf("%d cells (%d to run), estimate ~%s\n", s->n, runnable,
		       progress_hms(total, t, sizeof(t)));
}

static int measure_all(struct run_state *s)
{
	int ret = 0;

	announce(s);
	if (!s->a->quiet)
		table_header(stdout, s->nr_places > 0);
	for (s->done = 0; s->done < s->n && !stop_requested(); s->done++) {
		ret = measure_cell(s, &s->cells[s->done]);
		if (ret)
			break;
	}
	return ret;
}

static int finish(struct run_state *s, int ret)
{
	char key[160];

	hugepages_restore();
	results_close(&s->res);
	/* a signal after the last cell stopped nothing: the run is whole */
	if ((stop_requested() && s->done < s->n) || ret == -EINTR) {
		cell_key(&s->cells[s->done < s->n ? s->done : s->n - 1], key, sizeof(key));
		errmsg("interrupted by signal %d at cell %d of %d (%s); the %u finished cells are in %s/results.jsonl",
		       stop_requested(), s->done + 1, s->n, key, s->res.cells, s->res.dir);
		return 128 + (stop_requested() ? stop_requested() : SIGINT);
	}
	if (ret) {
		errmsg("stopped at cell %d of %d; the %u cells before it are in %s/results.jsonl",
		       s->done + 1, s->n, s->res.cells, s->res.dir);
		return EXIT_USAGE;
	}
	printf("%s%d cells: %u ok, %u failed, %u skipped; results in %s/\n",
	       s->a->quiet ? "" : "\n", s->n, s->ok,
	       s->failed, s->skipped, s->res.dir);
	if (!s->ok && !s->failed) {
		errmsg("no cell of this matrix can run here (every one was skipped: see the reasons)");
		return EXIT_USAGE;
	}
	return s->failed ? EXIT_BAD_RESULT : EXIT_OK;
}

/* The TSC rate, and how long the waits the cells will ask for really take. */
static void calibrate_inject(struct run_state *s)
{
	const struct run_spec *sp = &s->a->spec;

	s->ho.spin_per_ns = spin_calibrate();
	s->ho.spin_overhead_ns = spin_measure_ns(1, 20000);
	printf("inject: TSC %.4f ticks/ns, %.1f ns fixed cost; waits per ioctl:",
	       s->ho.spin_per_ns, s->ho.spin_overhead_ns);
	for (unsigned i = 0; i < sp->nr_injects; i++) {
		for (unsigned b = 0; b < sp->nr_batches && sp->injects[i] > 0; b++) {
			uint64_t ticks = harness_spin_ticks(&s->ho, sp->injects[i], sp->batches[b]);
			double want = sp->injects[i] * sp->batches[b];
			double got = ticks ? spin_measure_ns(ticks, 2000) : 0;

			printf(" %g ns x %u pages: %.1f ns (%+.1f%%);", sp->injects[i],
			       sp->batches[b], got, 100 * (got - want) / want);
		}
	}
	printf("\n");
}

/* --perf: say once what can be counted here, and what not and why. */
static void say_perf(void)
{
	struct perfctr p;
	char buf[1024];

	perfctr_open(&p);
	perfctr_close(&p);
	perfctr_describe(&p.sum, buf, sizeof(buf));
	printf("perf: %s\n", buf);
}

/* Decide before writing: some cell can run here, or -1 with err. */
static int check_runnable(struct run_state *s, char *err, size_t errlen)
{
	char why[256], key[160];

	for (int i = 0; i < s->n; i++)
		if (!run_skip_reason(&s->caps, &s->cells[i], s->a->dry_run, why, sizeof(why)))
			return 0;
	cell_key(&s->cells[0], key, sizeof(key));
	if (s->n == 1)
		return seterr(err, errlen, "no cell of this matrix can run here (%s: %s)", key, why);
	return seterr(err, errlen, "no cell of this matrix can run here (%s: %s; nor the %d "
		      "other cell%s: uffdbench caps shows why)", key, why, s->n - 1,
		      s->n > 2 ? "s" : "");
}

/*
 * Everything short of writing: the matrix, its placement and thread plans,
 * what the kernel allows for its memory types (only those: a run without
 * hugetlb cells never touches the huge page pool), and whether any cell can
 * run at all.  -1 with err on any of them; run_topo and s->cells are the
 * caller's to free either way.
 */
static int plan_run(struct run_state *s, char *err, size_t errlen)
{
	const struct run_args *a = s->a;
	char why[256];
	int ret;

	run_topo = topo_open(NULL, why, sizeof(why));
	if (!run_topo)
		return seterr(err, errlen, "topology: %s", why);
	s->nr_places = run_place_plan(run_topo, a, s->places, err, errlen);
	if (s->nr_places < 0)
		return -1;
	s->n = spec_expand(&a->spec, run_place_capacity(run_topo, a->policy, s->places,
							s->nr_places), &s->cells, err, errlen);
	if (s->n < 0)
		return -1;
	s->n = run_place_expand(&s->cells, s->n, s->places, s->nr_places);
	if (check_cells(a, s->cells, s->n, err, errlen))
		return -1;
	ret = caps_probe(&s->caps, a->spec.memtypes);
	if (ret)
		return seterr(err, errlen, "no userfaultfd here: %s (try as root, or set "
			      "vm.unprivileged_userfaultfd=1)", errno_name(ret));
	return check_runnable(s, err, errlen);
}

int run_check_plan(const struct run_args *a, struct caps *caps, char *err, size_t errlen)
{
	struct run_state s = { .a = a };
	int ret;

	atexit(hugepages_restore);
	ret = plan_run(&s, err, errlen);
	*caps = s.caps;
	free(s.cells);
	topo_close(run_topo);
	run_topo = NULL;
	hugepages_restore();
	return ret;
}

static int setup_run(struct run_state *s, int argc, char **argv, char *err, size_t errlen)
{
	const struct run_args *a = s->a;

	if (plan_run(s, err, errlen))
		return -1;
	if (a->dry_run)
		return 0;
	if (results_create(&s->res, a->out, a->label, a->is_repeat_child, err, errlen))
		return -1;
	/* a --repeat child's parent wrote them; on failure it discards the directory */
	if (!a->is_repeat_child &&
	    results_write_env_caps(&s->res, &s->caps, argc, argv, err, errlen))
		return -1;
	if (a->is_repeat_child)
		shuffle(s->cells, s->n, a->repeat_index);
	s->ho = (struct harness_opts){ .rounds = a->spec.rounds, .warmup = a->spec.warmup,
		.verify = a->spec.verify, .uffd_features = caps_wanted_features(&s->caps),
		.pin = pin_thread, .cpu_node = cpu_node, .stop = stop_flag(),
		.perf = a->perf };
	if (a->perf && !a->repeat_index)
		say_perf();
	return 0;
}

int run_matrix(struct run_args *a, int argc, char **argv)
{
	struct run_state s = { .a = a };
	char err[PATH_MAX + 128];
	int ret;

	atexit(hugepages_restore);
	stop_signals_install(hugepages_restore);
	if (setup_run(&s, argc, argv, err, sizeof(err))) {
		errmsg("%s", err);
		ret = EXIT_USAGE;
		goto out;
	}
	for (unsigned i = 0; i < a->spec.nr_injects && !a->dry_run; i++)
		if (a->spec.injects[i] > 0) {
			calibrate_inject(&s);
			break;
		}
	if (a->dry_run)
		ret = run_dry(a, &s.caps, s.cells, s.n);
	else
		ret = finish(&s, measure_all(&s));
out:
	hugepages_restore();
	free(s.estimate);
	free(s.cells);
	topo_close(run_topo);
	return ret;
}
