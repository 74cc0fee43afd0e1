// SPDX-License-Identifier: MIT
/*
 * The check every read of a page goes through: read it (in 4 KiB chunks,
 * through the registered view, so a missing page faults and a handler fills
 * it), decode every word, then judge the words against the page's state
 * loaded before and after the read (stress.h).
 */
#include "stress/stress.h"
#include "core/common.h"
#include "core/pattern.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 4096
#define CHUNK_WORDS (CHUNK / 8)
#define FULL_CHECK_MAX (2ul << 20)	/* larger pages: sampled chunks */
#define HUGE_SAMPLES 64

/*
 * The page's state is loaded again only after its words were read: an
 * acquire fence (TSan supports none; its builds run on x86, which does not
 * reorder loads with loads, so there a compiler barrier is enough).
 */
static inline void loads_after_reads(void)
{
#if defined(__SANITIZE_THREAD__)
	__asm__ volatile("" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
#endif
}

struct scan {
	uint64_t low;		/* the tag bits below the generation, for this page */
	bool have_ref, ref_zero;
	uint64_t ref_gen;
	uint64_t gmin, gmax, zeros, patterns;
	int64_t bad_word, mixed_word;	/* word index in the page, -1 none */
	uint64_t bad_val, mixed_val;
};

static void scan_word(struct scan *s, uint64_t w, uint64_t k)
{
	uint64_t x = pattern_word(w, k) ^ ST_KEY, g = x >> ST_GEN_SHIFT;
	bool zero = !w;

	if (!zero && (x & ST_LOW_MASK) != s->low) {
		if (s->bad_word < 0)
			s->bad_word = k, s->bad_val = w;
		return;
	}
	if (zero) {
		s->zeros++;
	} else {
		s->patterns++;
		s->gmin = g < s->gmin ? g : s->gmin;
		s->gmax = g > s->gmax ? g : s->gmax;
	}
	if (!s->have_ref) {
		s->have_ref = true, s->ref_zero = zero, s->ref_gen = g;
	} else if (s->mixed_word < 0 && (zero != s->ref_zero || (!zero && g != s->ref_gen))) {
		s->mixed_word = k, s->mixed_val = w;
	}
}

static void scan_chunk(struct scan *s, const char *page, size_t chunk)
{
	uint64_t buf[CHUNK_WORDS];

	memcpy(buf, page + chunk * CHUNK, CHUNK);
	for (size_t j = 0; j < CHUNK_WORDS; j++)
		scan_word(s, buf[j], chunk * CHUNK_WORDS + j);
}

static void scan_page(struct stress_thread *t, struct scan *s, const char *page, size_t ps)
{
	size_t chunks = ps / CHUNK;

	if (ps <= FULL_CHECK_MAX) {
		for (size_t ch = 0; ch < chunks; ch++)
			scan_chunk(s, page, ch);
		return;
	}
	scan_chunk(s, page, 0);
	scan_chunk(s, page, chunks - 1);
	for (int n = 0; n < HUGE_SAMPLES; n++)
		scan_chunk(s, page, stress_below(t, chunks));
}

static uint64_t expected_word(const struct srange *rg, size_t i, const struct scan *s,
			      uint64_t hi, uint64_t k)
{
	if (s->have_ref && s->ref_zero)
		return 0;
	return pattern_word(stress_tag(rg->rid, i, s->have_ref ? s->ref_gen : hi), k);
}

static void report(struct stress_thread *t, struct srange *rg, size_t i, enum stress_fail_what what,
		   int64_t word, uint64_t actual, uint64_t gen, const struct scan *s,
		   const uint64_t bounds[3])
{
	struct stress_failure f = {
		.what = what, .type = memtype_index(rg->st->mt), .range = rg->kind,
		.op = SK_CHECK, .page = i, .byte = word * 8, .actual = actual, .gen = gen,
		.expected = expected_word(rg, i, s, bounds[1], word), .lo = bounds[0],
		.hi = bounds[1], .zero_gen = bounds[2],
	};
	unsigned char a[8], e[8];

	memcpy(a, &f.actual, 8);
	memcpy(e, &f.expected, 8);
	for (int b = 0; b < 8; b++)
		if (a[b] != e[b]) {
			f.byte += b;
			break;
		}
	snprintf(f.what_text, sizeof(f.what_text), "read by the %s thread (slot %u)",
		 stress_role_name(t->role), t->slot);
	stress_fail(t->c, &f);
}

/* Does a bad word look like a page of some other range or offset? */
static bool foreign(const struct stress_ctx *c, uint64_t w, uint64_t k)
{
	uint64_t x = pattern_word(w, k) ^ ST_KEY;
	unsigned rid = (x >> ST_INDEX_BITS) & 0xff;
	size_t idx = x & ((1u << ST_INDEX_BITS) - 1);
	uint64_t g = x >> ST_GEN_SHIFT;

	for (unsigned i = 0; i < c->nr_types; i++)
		for (int r = 0; r < RANGE_NR; r++)
			if (c->type[i].range[r].pages && c->type[i].range[r].rid == rid)
				return idx < c->type[i].range[r].pages &&
				       g < __atomic_load_n(&c->gen, __ATOMIC_RELAXED);
	return false;
}

static uint64_t word_gen(uint64_t w, uint64_t k)
{
	return (pattern_word(w, k) ^ ST_KEY) >> ST_GEN_SHIFT;
}

/* bounds: floor before the read, issued and zero_gen after it. */
static int judge(struct stress_thread *t, struct srange *rg, size_t i, const struct scan *s,
		 const uint64_t bounds[3], bool torn_ok)
{
	uint64_t lo = bounds[0], hi = bounds[1], zhi = bounds[2];
	enum stress_fail_what what;

	if (s->bad_word >= 0) {
		/* a page of another offset has no word of this one */
		what = !s->have_ref && foreign(t->c, s->bad_val, s->bad_word) ? SF_FOREIGN :
										 SF_WRONG_WORD;
		report(t, rg, i, what, s->bad_word, s->bad_val, word_gen(s->bad_val, s->bad_word),
		       s, bounds);
	} else if (s->patterns && s->gmin < lo) {
		report(t, rg, i, SF_STALE, 0, 0, s->gmin, s, bounds);
	} else if (s->patterns && s->gmax > hi) {
		report(t, rg, i, SF_FUTURE, 0, 0, s->gmax, s, bounds);
	} else if (s->zeros && (!zhi || zhi < lo)) {
		report(t, rg, i, SF_ZERO, 0, 0, 0, s, bounds);
	} else if (s->mixed_word >= 0 && !torn_ok) {
		report(t, rg, i, SF_TORN, s->mixed_word, s->mixed_val,
		       s->mixed_val ? word_gen(s->mixed_val, s->mixed_word) : 0, s, bounds);
	} else {
		return 0;
	}
	return -1;
}

/*
 * A hugetlb page that cannot be allocated when a read faults it in raises
 * SIGBUS.  The pool is shared with every other process on the machine (one
 * that punches and refills its own huge pages competes for the free ones),
 * so on hugetlb types this is counted as enomem, like ENOMEM from COPY, and
 * the read abandoned; on any other type it is a failure.
 */
static __thread sigjmp_buf *bus_jmp;

static void on_sigbus(int sig)
{
	if (bus_jmp)
		siglongjmp(*bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

void stress_catch_sigbus(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus, .sa_flags = SA_NODEFER };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

static int bus_error(struct stress_thread *t, struct srange *rg, size_t i)
{
	if (rg->st->mt->huge_size) {
		stress_pool_starved(t->c, rg->st);
		stat_add(&t->st.k[SK_CHECK].out[SO_ENOMEM], 1);
		stress_pause_us(t, 1000);
		return 0;
	}
	stress_fail_op(t, rg, SK_CHECK, EFAULT, i, "reading the page raised SIGBUS");
	return -1;
}

/* Scan, or -1 if the read raised SIGBUS. */
static int guarded_scan(struct stress_thread *t, struct scan *s, const char *page, size_t ps)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 0)) {
		bus_jmp = NULL;
		return -1;
	}
	bus_jmp = &jb;
	scan_page(t, s, page, ps);
	bus_jmp = NULL;
	return 0;
}

/*
 * Read page i of rg through the registered view (a missing page faults and
 * a handler fills it) and judge it.  0, or -1 after recording a failure.
 */
int stress_check_page(struct stress_thread *t, struct srange *rg, size_t i)
{
	struct page_state *p = &rg->ps[i];
	struct scan s = { .low = tag_low(rg->rid, i), .gmin = UINT64_MAX,
			  .bad_word = -1, .mixed_word = -1 };
	uint64_t s0, s1, bounds[3];
	bool torn;

	s0 = __atomic_load_n(&p->seq, __ATOMIC_SEQ_CST);
	bounds[0] = __atomic_load_n(&p->floor, __ATOMIC_SEQ_CST);
	if (guarded_scan(t, &s, rg->r.area + i * rg->r.page_size, rg->r.page_size))
		return bus_error(t, rg, i);
	loads_after_reads();
	s1 = __atomic_load_n(&p->seq, __ATOMIC_SEQ_CST);
	bounds[1] = __atomic_load_n(&p->issued, __ATOMIC_SEQ_CST);
	bounds[2] = __atomic_load_n(&p->zero_gen, __ATOMIC_SEQ_CST);
	torn = s0 != s1 || (s0 & 1);
	stat_add(&t->st.k[SK_CHECK].ops, 1);
	stat_add(&t->st.k[SK_CHECK].pages, 1);
	stat_add(&t->st.torn, torn && s.mixed_word >= 0);
	stat_add(&t->st.zero_pages, s.zeros && !s.patterns);
	stat_add(&t->st.pattern_pages, s.patterns > 0);
	if (judge(t, rg, i, &s, bounds, torn))
		return -1;
	/* A read of a shared view maps the page cache (a hole becomes zeros). */
	if (rg->kind == RANGE_MINOR && rg->st->mt->shared && !torn)
		stress_mark_present(rg, i, 1, &s0);
	return 0;
}
