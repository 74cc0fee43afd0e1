// SPDX-License-Identifier: MIT
/*
 * The threads that move the ground under the workers: the zapper (zaps and
 * hole punches, sometimes the memory type's own whole-range reset), the
 * populater (refills the minor ranges' page cache through the registered
 * alias with SK_COPY's op, the one filling a missing page from a source), the
 * toucher (reads random pages: real faults), and the checker (sweeps every
 * range, reading what pagemap says is present).
 */
#include "stress/stress.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ZAP_PAUSE_US 100
#define TOUCH_PAUSE_US 50
#define POPULATE_PAUSE_US 100
#define WHOLE_RESET_ONE_IN 32
#define PM_PRESENT (1ull << 63)

/* A random range that is in use, of a random type with one of need's ops. */
static struct srange *pick_range(struct stress_thread *t, unsigned need)
{
	struct stress_type *st = stress_pick_type(t, need);
	int k;

	if (!st)
		return NULL;
	k = stress_below(t, RANGE_NR);
	if (!st->range[k].pages)
		k = !k;
	return &st->range[k];
}

static int zap(struct srange *rg, size_t i, size_t n)
{
	size_t ps = rg->r.page_size;

	return madvise(rg->r.area + i * ps, n * ps, MADV_DONTNEED) ? -errno : 0;
}

/* The memory type's way of making pages missing, on a sub-range. */
static int punch(struct srange *rg, size_t i, size_t n)
{
	const struct memtype_ops *mt = rg->st->mt;

	return n == rg->pages ? mt->reset(&rg->r) : mt->punch(&rg->r, i, n);
}

/*
 * A zap removes content only from private memory; a punch always does.  A
 * zap of a private minor view drops private zero pages but not the page
 * cache: reads may tear, the floor stays.
 */
static void zap_range(struct stress_thread *t, struct srange *rg)
{
	bool do_punch = stress_below(t, 2) || t->c->o.sc->punch_only, priv = !rg->st->mt->shared, removes, tears, locked;
	size_t n = 1 + stress_below(t, rg->pages / 4 ? rg->pages / 4 : 1);
	size_t i = stress_below(t, rg->pages - n + 1);
	uint64_t floor = 0;
	int ret;

	if (do_punch && !stress_below(t, WHOLE_RESET_ONE_IN))
		i = 0, n = rg->pages;
	removes = do_punch || (priv && rg->kind == RANGE_MISSING);
	tears = removes || priv;
	/* a fork child reads private copies and the shared page cache: no punch meanwhile */
	locked = do_punch && t->c->o.fork;
	if (locked)
		pthread_mutex_lock(&t->c->child_lock);
	if (tears)
		floor = stress_remove_begin(t->c, rg, i, n);
	ret = do_punch ? punch(rg, i, n) : zap(rg, i, n);
	if (tears)
		stress_remove_end(rg, i, n, removes ? floor : 0);
	if (locked)
		pthread_mutex_unlock(&t->c->child_lock);
	if (ret) {
		stress_fail_op(t, rg, do_punch ? SK_PUNCH : SK_ZAP, -ret, i,
			       do_punch ? "hole punch" : "MADV_DONTNEED");
		return;
	}
	stress_count(t, rg, do_punch ? SK_PUNCH : SK_ZAP, SO_OK, n);
}

void *stress_zapper(void *arg)
{
	struct stress_thread *t = arg;

	while (!stress_stopping(t)) {
		unsigned want = stress_ops_of(t->c->o.sc->worker_kinds ?: SK_IOCTLS);
		struct srange *rg = pick_range(t, want);

		if (rg)
			zap_range(t, rg);
		stress_pause_us(t, ZAP_PAUSE_US);
	}
	return NULL;
}

static void populate_once(struct stress_thread *t, struct srange *rg)
{
	enum uffd_op op = stress_op(UOP_ALL, SK_COPY);	/* there: the alias is registered */
	size_t ps = rg->r.page_size, n = 1 + stress_below(t, rg->st->max_batch), i;
	uint64_t seq[16], gen;
	enum stress_outcome o;
	const char *why;
	int64_t done;
	int err;

	n = n > rg->pages ? rg->pages : n;
	i = stress_below(t, rg->pages - n + 1);
	for (size_t k = 0; k < n; k++)
		seq[k] = __atomic_load_n(&rg->ps[i + k].seq, __ATOMIC_SEQ_CST);
	gen = stress_fill_begin(t);
	stress_fill_mark(rg, i, n, gen, false);
	stress_fill_src(rg, t->src, i, n, gen);
	err = stress_mfill(rg->st->uffd, op, rg->r.alias + i * ps, t->src, n * ps, &done);
	stress_fill_end(t);
	o = stress_classify(op, err, done, n * ps, ps, rg->st->mt->huge_size, &why);
	if (o == SO_ERROR) {
		stress_fail_ioctl(t, rg, SK_POPULATE, err, i, done, n * ps, why);
		return;
	}
	/* copied, or already there (EEXIST: the page cache has page i) */
	if (o == SO_OK || o == SO_SHORT || o == SO_EEXIST)
		stress_mark_present(rg, i, o == SO_OK ? n : o == SO_SHORT ? done / ps : 1, seq);
	stress_count(t, rg, SK_POPULATE, o, done > 0 ? done / ps : 0);
}

void *stress_populater(void *arg)
{
	struct stress_thread *t = arg;

	while (!stress_stopping(t)) {
		struct stress_type *st = stress_pick_type(t, stress_ops_of(1u << SK_CONTINUE));

		if (!st)
			break;
		if (st->range[RANGE_MINOR].alias_registered)
			populate_once(t, &st->range[RANGE_MINOR]);
		stress_pause_us(t, POPULATE_PAUSE_US);
	}
	return NULL;
}

/* Is page i of a minor range in the page cache?  (A hint: it may change.) */
static bool cached(struct srange *rg, size_t i)
{
	unsigned char vec = 0;

	if (!rg->r.alias || mincore(rg->r.alias + i * rg->r.page_size, 4096, &vec))
		return true;
	return vec & 1;
}

/*
 * Random reads: a missing page faults (a handler fills it), a minor range's
 * cached page takes a minor fault.  Holes of minor ranges are left alone
 * mostly: a read would make them zero pages the refills cannot replace.
 */
void *stress_toucher(void *arg)
{
	struct stress_thread *t = arg;

	while (!stress_stopping(t)) {
		struct srange *rg = pick_range(t, UOP_ALL);
		size_t i = rg ? stress_below(t, rg->pages) : 0;

		stress_pause_us(t, TOUCH_PAUSE_US);
		if (!rg || (rg->kind == RANGE_MINOR && stress_below(t, 8) && !cached(rg, i)))
			continue;
		stat_add(&t->st.k[SK_TOUCH].ops, 1);
		stat_add(&t->st.k[SK_TOUCH].pages, 1);
		if (!stress_check_page(t, rg, i))
			stat_add(&t->st.k[SK_TOUCH].out[SO_OK], 1);
	}
	return NULL;
}

bool stress_present(int pagemap, const void *addr)
{
	uint64_t e;

	if (pread(pagemap, &e, sizeof(e), (uintptr_t)addr / 4096 * sizeof(e)) != sizeof(e))
		return false;
	return e & PM_PRESENT;
}

static void sweep(struct stress_thread *t, struct srange *rg)
{
	for (size_t i = 0; i < rg->pages && !stress_stopping(t); i++)
		if (stress_present(t->pagemap, rg->r.area + i * rg->r.page_size) &&
		    stress_check_page(t, rg, i))
			return;
}

void *stress_checker(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_ctx *c = t->c;

	while (!stress_stopping(t))
		for (unsigned i = 0; i < c->nr_types && !stress_stopping(t); i++)
			for (int k = 0; k < RANGE_NR; k++)
				if (c->type[i].range[k].pages && !stress_withdrawn(&c->type[i]))
					sweep(t, &c->type[i].range[k]);
	return NULL;
}
