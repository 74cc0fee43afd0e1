// SPDX-License-Identifier: MIT
/*
 * The ioctl workers: each runs its own reproducible random sequence (a
 * PRNG seeded from --seed and its slot) of COPY, ZEROPAGE and CONTINUE (the
 * kinds of stress/ops.c), of random batch sizes at random offsets, over every
 * type's ranges, and reads back every page it asked for.
 */
#include "stress/stress.h"

#include <strings.h>

#define MAX_BATCH 16

/* A random type with one of the ops in need (1 << UOP_*), or NULL. */
struct stress_type *stress_pick_type(struct stress_thread *t, unsigned need)
{
	struct stress_ctx *c = t->c;
	unsigned n = 0, k;

	for (unsigned i = 0; i < c->nr_types; i++)
		n += (c->type[i].ops & need) && !stress_withdrawn(&c->type[i]);
	if (!n)
		return NULL;
	k = stress_below(t, n);
	for (unsigned i = 0; i < c->nr_types; i++)
		if ((c->type[i].ops & need) && !stress_withdrawn(&c->type[i]) && !k--)
			return &c->type[i];
	return NULL;
}

/* How often a worker picks an op, by its kind (none: stress_op_kind()'s SK_NR). */
static unsigned weight(enum uffd_op op)
{
	static const unsigned w[SK_NR + 1] = { [SK_COPY] = 2, [SK_ZEROPAGE] = 1,
					       [SK_CONTINUE] = 2 };

	return w[stress_op_kind(op)];
}

/* A random op of ops (stress_ops_of()), weighted by its kind. */
static enum uffd_op pick_op(struct stress_thread *t, unsigned ops)
{
	unsigned total = 0, r;

	for (int op = 0; op < UOP_NR; op++)
		total += ops & (1u << op) ? weight(op) : 0;
	r = stress_below(t, total);
	for (int op = 0; op < UOP_NR; op++) {
		if (!(ops & (1u << op)))
			continue;
		if (r < weight(op))
			return op;
		r -= weight(op);
	}
	return ffs(ops) - 1;
}

/* A random batch of 1..max_batch pages inside rg: its first page. */
static size_t pick_batch(struct stress_thread *t, const struct srange *rg, size_t *n)
{
	*n = 1 + stress_below(t, rg->st->max_batch);
	if (*n > rg->pages)
		*n = rg->pages;
	return stress_below(t, rg->pages - *n + 1);
}

static void check_batch(struct stress_thread *t, struct srange *rg, size_t i, size_t n)
{
	for (size_t k = i; k < i + n && !stress_stopping(t); k++)
		if (stress_check_page(t, rg, k))
			return;
}

/* An SK_COPY or SK_ZEROPAGE op into the MISSING range. */
static void do_fill(struct stress_thread *t, struct stress_type *st, enum uffd_op op)
{
	struct srange *rg = &st->range[RANGE_MISSING];
	enum stress_kind kind = stress_op_kind(op);
	size_t ps = rg->r.page_size, n, i = pick_batch(t, rg, &n);
	enum stress_outcome o;
	const char *why;
	uint64_t gen;
	int64_t done;
	int err;

	gen = stress_fill_begin(t);
	stress_fill_mark(rg, i, n, gen, kind == SK_ZEROPAGE);
	if (kind == SK_COPY)
		stress_fill_src(rg, t->src, i, n, gen);
	err = stress_mfill(st->uffd, op, rg->r.area + i * ps, t->src, n * ps, &done);
	stress_fill_end(t);
	o = stress_classify(op, err, done, n * ps, ps, st->mt->huge_size, &why);
	if (o == SO_ERROR) {
		stress_fail_ioctl(t, rg, kind, err, i, done, n * ps, why);
		return;
	}
	stress_count(t, rg, kind, o, done > 0 ? done / ps : 0);
	check_batch(t, rg, i, n);
}

/* An SK_CONTINUE op over the MINOR range; a hole must be one a punch could have made. */
static void do_continue(struct stress_thread *t, struct stress_type *st, enum uffd_op op)
{
	struct srange *rg = &st->range[RANGE_MINOR];
	size_t ps = rg->r.page_size, n, i = pick_batch(t, rg, &n), j;
	uint64_t seq[MAX_BATCH], present[MAX_BATCH];
	enum stress_outcome o;
	const char *why;
	int64_t done;
	int err;

	for (size_t k = 0; k < n; k++) {
		seq[k] = __atomic_load_n(&rg->ps[i + k].seq, __ATOMIC_SEQ_CST);
		present[k] = __atomic_load_n(&rg->ps[i + k].present_seq, __ATOMIC_SEQ_CST);
	}
	err = stress_mfill(st->uffd, op, rg->r.area + i * ps, NULL, n * ps, &done);
	o = stress_classify(op, err, done, n * ps, ps, st->mt->huge_size, &why);
	j = done > 0 ? done / ps : 0;
	if (o == SO_HOLE && !stress_hole_allowed(rg, i + j, seq[j], present[j])) {
		o = SO_ERROR;
		why = "a hole reported where the page cache held the page all along";
	}
	if (o == SO_ERROR) {
		stress_fail_ioctl(t, rg, SK_CONTINUE, err, i + j, done, n * ps, why);
		return;
	}
	if (o == SO_OK || o == SO_SHORT)
		stress_mark_present(rg, i, o == SO_OK ? n : j, seq);
	stress_count(t, rg, SK_CONTINUE, o, o == SO_OK ? n : (o == SO_SHORT ? j : 0));
	/* what it mapped, or found mapped; reading a hole would only make zeros */
	check_batch(t, rg, i, o == SO_OK ? n : o == SO_SHORT ? j : o == SO_EEXIST);
}

void *stress_worker(void *arg)
{
	struct stress_thread *t = arg;

	while (!stress_stopping(t)) {
		unsigned want = stress_ops_of(t->c->o.sc->worker_kinds ?: SK_IOCTLS);
		struct stress_type *st = stress_pick_type(t, want);
		enum uffd_op op;

		if (!st)
			break;
		op = pick_op(t, st->ops & want);
		if (stress_op_kind(op) == SK_CONTINUE)
			do_continue(t, st, op);
		else
			do_fill(t, st, op);
	}
	return NULL;
}
