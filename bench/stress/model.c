// SPDX-License-Identifier: MIT
/*
 * What a page may hold (the model is described in stress.h).  Generations come from one counter; a
 * filling thread announces the oldest generation it may still install in
 * its in-flight slot before taking one, so a removal can tell which fills
 * could land after it and which are certainly gone.
 */
#include "stress/stress.h"
#include "core/pattern.h"


uint64_t stress_tag(unsigned rid, size_t index, uint64_t gen)
{
	return ST_KEY ^ (gen << ST_GEN_SHIFT) ^ ((uint64_t)rid << ST_INDEX_BITS) ^ index;
}

static void atomic_max(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (cur < v && !__atomic_compare_exchange_n(p, &cur, v, true, __ATOMIC_SEQ_CST,
						       __ATOMIC_RELAXED))
		;
}

uint64_t stress_fill_begin(struct stress_thread *t)
{
	struct stress_ctx *c = t->c;
	uint64_t oldest = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST);

	__atomic_store_n(&c->inflight[t->slot], oldest, __ATOMIC_SEQ_CST);
	return __atomic_fetch_add(&c->gen, 1, __ATOMIC_SEQ_CST);
}

void stress_fill_mark(struct srange *rg, size_t i, size_t n, uint64_t gen, bool zero)
{
	for (size_t k = i; k < i + n; k++)
		atomic_max(zero ? &rg->ps[k].zero_gen : &rg->ps[k].issued, gen);
}

void stress_fill_end(struct stress_thread *t)
{
	__atomic_store_n(&t->c->inflight[t->slot], UINT64_MAX, __ATOMIC_SEQ_CST);
}

/*
 * Before removing pages [i, i + n): a fill whose generation is below the
 * returned floor had finished its ioctl before this point (it published a
 * slot value at most its generation before taking it, and the slot shows a
 * later value now), so the removal takes its page with it.  A minor range's
 * hole may become a zero page on the next read: zeros are legitimate from
 * here on.
 */
uint64_t stress_remove_begin(struct stress_ctx *c, struct srange *rg, size_t i, size_t n)
{
	uint64_t floor = __atomic_load_n(&c->gen, __ATOMIC_SEQ_CST), z;

	for (unsigned s = 0; s < c->nr_thr; s++) {
		uint64_t v = __atomic_load_n(&c->inflight[s], __ATOMIC_SEQ_CST);

		if (v < floor)
			floor = v;
	}
	for (size_t k = i; k < i + n; k++)
		__atomic_fetch_add(&rg->ps[k].seq, 1, __ATOMIC_SEQ_CST);
	if (rg->kind == RANGE_MINOR) {
		z = __atomic_fetch_add(&c->gen, 1, __ATOMIC_SEQ_CST);
		stress_fill_mark(rg, i, n, z, true);
	}
	return floor;
}

void stress_remove_end(struct srange *rg, size_t i, size_t n, uint64_t floor)
{
	for (size_t k = i; k < i + n; k++) {
		atomic_max(&rg->ps[k].floor, floor);
		__atomic_fetch_add(&rg->ps[k].seq, 1, __ATOMIC_SEQ_CST);
	}
}

void stress_fill_src(struct srange *rg, char *src, size_t i, size_t n, uint64_t gen)
{
	size_t ps = rg->r.page_size;

	for (size_t k = 0; k < n; k++)
		pattern_fill(src + k * ps, ps, stress_tag(rg->rid, i + k, gen));
}

/* The page cache held pages [i, i + n) at the seq each had before: note it (as seq + 1). */
void stress_mark_present(struct srange *rg, size_t i, size_t n, const uint64_t *seq_before)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t s = seq_before[k];

		if (!(s & 1) && __atomic_load_n(&rg->ps[i + k].seq, __ATOMIC_SEQ_CST) == s)
			atomic_max(&rg->ps[i + k].present_seq, s + 1);
	}
}

int stress_word_decode(unsigned rid, size_t i, uint64_t w, uint64_t k, uint64_t *gen)
{
	uint64_t x = pattern_word(w, k) ^ ST_KEY;

	if (!w)
		return 1;
	if ((x & ST_LOW_MASK) != tag_low(rid, i))
		return -1;
	*gen = x >> ST_GEN_SHIFT;
	return 0;
}
