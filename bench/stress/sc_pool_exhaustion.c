// SPDX-License-Identifier: MIT
/*
 * pool-exhaustion: one thread runs a seeded sequence over the hugetlb
 * types' pages -- COPY, refill through the alias, CONTINUE, zap, hole punch,
 * read -- while a second process, told by the same sequence, takes every
 * free huge page and gives them back.  Nothing else touches these pages, so
 * what each one is (mapped in its view, in the page cache) is known exactly
 * and every answer is checked exactly:
 *   COPY      EEXIST iff mapped (or, in a shared view, in the page cache);
 *             otherwise 0, or ENOMEM (no page could be allocated);
 *   CONTINUE  EFAULT/ENOENT iff not in the page cache; else EEXIST iff mapped;
 *             otherwise 0.
 * EEXIST for a page that is neither mapped nor in the page cache is the bug
 * of bench/docs/hugetlb-uffd-copy-eexist.md: a failure, with the seed.
 */
#include "stress/scenario.h"
#include "stress/drainer.h"
#include "stress/stress.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

struct pg {
	bool mapped, cached, alias_mapped;
};

struct pool_run {
	struct stress_thread *t;
	struct drainer d[2];		/* per huge page size: 2 MiB, 1 GiB */
	size_t size[2];
	bool drained;
	uint64_t step, drains;
	struct pg *pg[CAPS_MAX_MEMTYPES][RANGE_NR];
};

static bool file_shared(const struct srange *rg)
{
	return rg->st->mt->shared;
}

/* Record a failure (the run stops); -1. */
static int fail(struct pool_run *p, struct srange *rg, enum stress_kind k, int err, size_t i,
		int64_t done, const char *what)
{
	char why[200];

	snprintf(why, sizeof(why), "step %lu: %s", (unsigned long)p->step, what);
	stress_fail_ioctl(p->t, rg, k, err, i, done, rg->r.page_size, why);
	return -1;
}

/* One page of the op of kind k (stress/ops.c); errno. */
static int mfill(struct pool_run *p, struct srange *rg, enum stress_kind k, char *dst, size_t i,
		 int64_t *done)
{
	enum uffd_op op = stress_op(UOP_ALL, k);
	uint64_t gen = 0;
	int err;

	if (k == SK_COPY) {
		gen = stress_fill_begin(p->t);
		stress_fill_mark(rg, i, 1, gen, false);
		stress_fill_src(rg, p->t->src, i, 1, gen);
	}
	err = stress_mfill(rg->st->uffd, op, dst, p->t->src, rg->r.page_size, done);
	if (k == SK_COPY)
		stress_fill_end(p->t);
	return err;
}

/* COPY into the view (into_alias: the page cache through the minor range's alias). */
static int copy(struct pool_run *p, struct srange *rg, struct pg *g, size_t i, bool into_alias)
{
	char *dst = (into_alias ? rg->r.alias : rg->r.area) + i * rg->r.page_size;
	bool there = into_alias ? g->alias_mapped || g->cached :
		     g->mapped || (file_shared(rg) && g->cached);
	enum stress_kind k = into_alias ? SK_POPULATE : SK_COPY;
	int64_t done;
	int err = mfill(p, rg, SK_COPY, dst, i, &done);

	if (err == EEXIST && !there)
		return fail(p, rg, k, err, i, done, p->drained ?
			    "EEXIST, page neither mapped nor cached, pool exhausted: expected "
			    "ENOMEM (bench/docs/hugetlb-uffd-copy-eexist.md)" :
			    "EEXIST, page neither mapped nor cached");
	if ((err == EEXIST) != there || (err && err != EEXIST && err != ENOMEM))
		return fail(p, rg, k, err, i, done, there ? "the page is there: expected EEXIST" :
			    "expected 0 or ENOMEM");
	stress_count(p->t, NULL, k, err == EEXIST ? SO_EEXIST : err ? SO_ENOMEM : SO_OK, !err);
	if (err)
		return 0;
	*(into_alias ? &g->alias_mapped : &g->mapped) = true;
	g->cached |= into_alias || file_shared(rg);
	return 0;
}

static int cont(struct pool_run *p, struct srange *rg, struct pg *g, size_t i)
{
	int want = !g->cached ? EFAULT : g->mapped ? EEXIST : 0;
	int64_t done;
	int err = mfill(p, rg, SK_CONTINUE, rg->r.area + i * rg->r.page_size, i, &done);

	if (err == ENOENT && want == EFAULT)
		err = EFAULT;	/* a hole, as other kernels say it */
	if (err != want)
		return fail(p, rg, SK_CONTINUE, err, i, done, !g->cached ?
			    "expected EFAULT: the page is not in the page cache" : g->mapped ?
			    "expected EEXIST: the page is mapped" : "expected 0: the page cache has it");
	stress_count(p->t, rg, SK_CONTINUE, err == EFAULT ? SO_HOLE : err ? SO_EEXIST : SO_OK, !err);
	g->mapped |= !err;
	return 0;
}

/* A zap drops the view's page; a punch the page cache's too, and every mapping of it. */
static int remove_page(struct pool_run *p, struct srange *rg, struct pg *g, size_t i, bool punch)
{
	size_t ps = rg->r.page_size;
	uint64_t floor = stress_remove_begin(p->t->c, rg, i, 1);
	int ret = punch ? fallocate(rg->r.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, i * ps, ps)
			: madvise(rg->r.area + i * ps, ps, MADV_DONTNEED);

	stress_remove_end(rg, i, 1, floor);
	if (ret) {
		stress_fail_op(p->t, rg, punch ? SK_PUNCH : SK_ZAP, errno, i,
			       punch ? "hole punch" : "MADV_DONTNEED");
		return -1;
	}
	stress_count(p->t, rg, punch ? SK_PUNCH : SK_ZAP, SO_OK, 1);
	g->mapped = false;
	if (punch)
		g->cached = g->alias_mapped = false;
	return 0;
}

static int toggle_pool(struct pool_run *p)
{
	p->drained = !p->drained;
	p->drains += p->drained;
	for (int s = 0; s < 2; s++)
		if (p->size[s] && drainer_tell(&p->d[s], p->drained)) {
			stress_fail_op(p->t, NULL, SK_ZAP, ECHILD, 0, "the draining process died");
			return -1;
		}
	return 0;
}

/* One seeded step on one page of one hugetlb range; -1 after a failure. */
static int step(struct pool_run *p)
{
	struct stress_ctx *c = p->t->c;
	unsigned ti = stress_below(p->t, c->nr_types), k = stress_below(p->t, RANGE_NR);
	struct srange *rg = &c->type[ti].range[k];
	size_t i = stress_below(p->t, rg->pages ? rg->pages : 1);
	struct pg *g = rg->pages ? &p->pg[ti][k][i] : NULL;
	unsigned r = stress_below(p->t, 100);

	p->step++;
	if (r < 10)
		return toggle_pool(p);
	if (!g)
		return 0;
	if (r < 25)
		return remove_page(p, rg, g, i, true);
	if (r < 35)
		return remove_page(p, rg, g, i, false);
	if (r < 45 && g->mapped && stress_present(p->t->pagemap, rg->r.area + i * rg->r.page_size))
		return stress_check_page(p->t, rg, i);
	if (k == RANGE_MISSING)
		return copy(p, rg, g, i, false);
	if (r < 75)
		return copy(p, rg, g, i, true);
	return cont(p, rg, g, i);
}

static int start(struct pool_run *p)
{
	struct stress_ctx *c = p->t->c;

	for (unsigned ti = 0; ti < c->nr_types; ti++) {
		int s = c->type[ti].mt->huge_size >= (1ul << 30);

		for (int k = 0; k < RANGE_NR; k++)
			p->pg[ti][k] = xcalloc(c->type[ti].range[k].pages + 1, sizeof(struct pg));
		if (!p->size[s] && drainer_start(&p->d[s], c->type[ti].mt->huge_size))
			return -1;
		p->size[s] = c->type[ti].mt->huge_size;
	}
	return 0;
}

static void *pool_thread(void *arg)
{
	struct pool_run p = { .t = arg, .d = { { .cmd = -1, .ack = -1 }, { .cmd = -1, .ack = -1 } } };

	if (start(&p))
		stress_fail_op(p.t, NULL, SK_ZAP, EAGAIN, 0, "cannot start the draining process");
	while (!stress_stopping(p.t) && !step(&p))
		;
	for (int s = 0; s < 2; s++)
		drainer_close(&p.d[s]);
	for (int s = 1; s >= 0; s--)
		drainer_stop(&p.d[s]);
	printf("pool-exhaustion: %lu steps, the pool drained %lu times\n", (unsigned long)p.step,
	       (unsigned long)p.drains);
	for (unsigned ti = 0; ti < CAPS_MAX_MEMTYPES; ti++)
		for (int k = 0; k < RANGE_NR; k++)
			free(p.pg[ti][k]);
	return NULL;
}

const struct stress_scenario sc_pool_exhaustion = {
	.name = "pool-exhaustion",
	.desc = "hugetlb: one seeded sequence while a second process takes and returns every free "
		"huge page; exact model",
	.workers = 0, .zappers = 0, .populaters = 0, .touchers = 0, .checkers = 0, .handlers = 0,
	.forkers = 0, .own_pool = true, .backing = "hugetlb", .thread = pool_thread,
};
