/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STRESS_H
#define UFFDBENCH_STRESS_H

/*
 * uffdbench stress: many threads racing COPY, ZEROPAGE and CONTINUE (the
 * table's ops that fill a missing page from a source, with zeros, and map a
 * minor fault's page from the page cache: stress/ops.c) against zaps, hole
 * punches, page-cache refills and real faults, over every memory type at
 * once, with every page read checked against what it may hold.
 *
 * The model (bench/stress/model.c).  Every page of every range carries
 * pattern words naming its range, its page index and a generation; a global
 * counter hands out generations.  Per page:
 *   issued    the newest generation any fill of the page was given (before
 *             its ioctl): no newer content can be there;
 *   zero_gen  the newest generation at which zeros became legitimate
 *             (ZEROPAGE, or a hole that a read may turn into a zero page);
 *   floor     content older than this cannot be there any more: raised after
 *             a removal (zap of private memory, hole punch) to the oldest
 *             generation of any fill that was still in flight when it began;
 *   seq       odd while a removal of the page is under way, +2 per removal:
 *             a read that overlapped one may see two contents, word by word;
 *   present_seq  (minor ranges) 1 + the seq at which the page cache was seen
 *             holding the page: CONTINUE may not report a hole until seq moves.
 * A read is right when every word is a pattern word of this page with a
 * generation in [floor before the read, issued after it], or zero while
 * zero_gen >= floor, and all words agree unless a removal overlapped it.
 */
#include "machine/caps.h"
#include "memtypes/memtype.h"
#include "ioctls/ioctl.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * What the threads do; ops/s and outcomes are counted per kind.  The first
 * three are what an ioctl of the table does to the model, from its entry's
 * properties (stress/ops.c), named after the ops that do it today.
 */
enum stress_kind {
	SK_COPY,		/* fills a missing page from a source */
	SK_ZEROPAGE,		/* fills a missing page with zeros */
	SK_CONTINUE,		/* maps a minor fault's page from the page cache */
	SK_POPULATE,		/* SK_COPY's op into the minor ranges' page cache */
	SK_ZAP, SK_PUNCH,	/* MADV_DONTNEED; the type's hole punch */
	SK_FAULT,		/* faults resolved by the handlers */
	SK_TOUCH, SK_CHECK,	/* random touches; pagemap-guided sweeps */
	SK_FORK,		/* --fork children */
	SK_NR
};

/* The kinds an ioctl of the table can be (bits 1 << SK_*). */
#define SK_IOCTLS (1u << SK_COPY | 1u << SK_ZEROPAGE | 1u << SK_CONTINUE)

/* How an ioctl (or other op) ended; SO_ERROR is outside the contract. */
enum stress_outcome {
	SO_OK, SO_EEXIST, SO_EAGAIN, SO_SHORT,
	SO_HOLE,	/* CONTINUE: EFAULT/ENOENT on a page that may have been punched */
	SO_ENOMEM,	/* hugetlb: a racing fill found the pool empty */
	SO_ERROR,
	SO_NR
};

struct kind_stats {
	uint64_t ops, pages, out[SO_NR];
};

struct stress_stats {
	struct kind_stats k[SK_NR];
	uint64_t torn;		/* reads that overlapped a removal, checked word by word */
	uint64_t zero_pages, pattern_pages;
	uint64_t fork_events;	/* UFFD_EVENT_FORK read (and its fd closed) */
};

/* Counters have one writer (their thread) and are read live for progress. */
static inline void stat_add(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

enum range_kind { RANGE_MISSING, RANGE_MINOR, RANGE_NR };

/* A tag: key ^ generation << 28 ^ range id << 20 ^ page index (pattern.h words). */
#define ST_KEY 0x5354524553534b59ull	/* "STRESSKY" */
#define ST_INDEX_BITS 20
#define ST_GEN_SHIFT 28
#define ST_LOW_MASK ((1ull << ST_GEN_SHIFT) - 1)

/* The tag's bits below the generation: which range and page, key removed. */
static inline uint64_t tag_low(unsigned rid, size_t index)
{
	return (((uint64_t)rid << ST_INDEX_BITS) ^ index) & ST_LOW_MASK;
}

struct page_state {
	uint64_t issued, zero_gen, floor, seq, present_seq;
};

struct stress_type;
struct stress_shared;
struct stress_failure;

struct srange {
	struct stress_type *st;
	enum range_kind kind;
	unsigned rid;		/* in every tag: which range a page belongs to */
	struct region r;
	size_t pages;		/* 0: this range is not used */
	bool alias_registered;	/* minor: the alias is registered MISSING (for refills) */
	struct page_state *ps;	/* pages entries, MAP_SHARED (fork children read it) */
};

struct stress_type {
	const struct memtype_ops *mt;
	unsigned ops;		/* 1 << UOP_*: what caps saw work */
	int uffd;
	size_t page_size;
	unsigned max_batch;	/* pages per worker ioctl, at most */
	bool huge_ready;	/* hugepages_ensure() gave its pages */
	int withdrawn;		/* atomic: taken out of the run (see stress_suspect()) */
	bool unregistered;	/* main thread: its ranges were unregistered */
	struct srange range[RANGE_NR];
};

struct stress_opts {
	uint64_t duration_ns, seed;
	unsigned threads;	/* ioctl workers */
	unsigned handlers;
	uint64_t memtypes;	/* bit i: memtypes[i] asked for */
	bool named;		/* --memtype given */
	bool named_1g;		/* --memtype names a 1 GiB type: its pool may be grown */
	bool fork, inject;
	size_t pages;		/* pages per range of base-page types */
	const char *out;
	const struct stress_scenario *sc;	/* --scenario (default: the mix) */
};

enum stress_role {
	ROLE_WORKER, ROLE_ZAPPER, ROLE_POPULATER, ROLE_TOUCHER, ROLE_CHECKER,
	ROLE_HANDLER, ROLE_FORKER, ROLE_INJECTOR, ROLE_SCENARIO, ROLE_NR
};

struct stress_ctx;

struct stress_thread {
	struct stress_ctx *c;
	enum stress_role role;
	unsigned index;		/* among its role */
	unsigned slot;		/* its in-flight slot and PRNG stream */
	uint64_t rng;
	pthread_t tid;
	bool started;
	int done;		/* atomic: the body returned */
	char *src;		/* COPY source, c->src_len bytes */
	int pagemap;		/* /proc/self/pagemap, or -1 */
	uintptr_t loop_key;	/* handlers: the fault seen last, and how often in a row */
	unsigned loop_count;
	struct stress_stats st;
};

struct stress_ctx {
	struct stress_opts o;
	struct caps caps;
	struct stress_type type[CAPS_MAX_MEMTYPES];
	unsigned nr_types;
	char skipped[1024];	/* "name: why; ..." */
	uint64_t gen;		/* atomic: the next generation */
	uint64_t *inflight;	/* atomic, per thread slot: oldest generation it may fill */
	struct stress_thread *thr;
	unsigned nr_thr;
	size_t src_len;
	uint64_t features;	/* asked of UFFDIO_API */
	bool event_fork;
	int stop;		/* atomic: workers stop */
	int stop_handlers;	/* atomic */
	const int *signal;	/* atomic: set by SIGINT/SIGTERM */
	struct stress_shared *sh;	/* MAP_SHARED: stress_report.h */
	/*
	 * Held by the forker while a child runs, and by the zapper around hole
	 * punches of private types: a punch of the file zaps zero pages (and,
	 * for hugetlb, every page) from the child's private view too, and the
	 * child's refault of a hole would put a page in the shared file.
	 */
	pthread_mutex_t child_lock;
	/*
	 * The huge page pool is machine-wide: another process taking pages
	 * from it makes hugetlb ioctls and faults fail in ways the contract
	 * cannot tell from bugs.  Per size: the most this run can hold, and
	 * whether more than that was seen in use (then hugetlb anomalies are
	 * suspects, and their type is withdrawn, instead of failures).
	 */
	struct huge_watch {
		size_t size;
		unsigned long before;	/* in use by others before the run */
		unsigned long ours;	/* the most this run can hold; 0: size unused */
		int shared;		/* atomic */
	} hw[2];
	unsigned nr_hw;
	uint64_t suspects;	/* atomic */
	char suspect_first[768];
	uint64_t t_start, t_end;
	char inject_note[256];
};

/* bench/stress/setup.c */
int stress_setup(struct stress_ctx *c, char *err, size_t errlen);
int stress_register(struct stress_ctx *c, char *err, size_t errlen);
void stress_teardown(struct stress_ctx *c);
struct srange *stress_find_range(struct stress_ctx *c, int uffd, uint64_t addr, bool *alias);

/* bench/stress/model.c */
uint64_t stress_tag(unsigned rid, size_t index, uint64_t gen);
uint64_t stress_fill_begin(struct stress_thread *t);
void stress_fill_mark(struct srange *rg, size_t i, size_t n, uint64_t gen, bool zero);
void stress_fill_end(struct stress_thread *t);
uint64_t stress_remove_begin(struct stress_ctx *c, struct srange *rg, size_t i, size_t n);
void stress_remove_end(struct srange *rg, size_t i, size_t n, uint64_t floor);
void stress_fill_src(struct srange *rg, char *src, size_t i, size_t n, uint64_t gen);
int stress_check_page(struct stress_thread *t, struct srange *rg, size_t i);
void stress_catch_sigbus(void);
void stress_mark_present(struct srange *rg, size_t i, size_t n, const uint64_t *seq_before);
/* Word k of page i of range rid: 0 a pattern word (its generation in *gen), 1 zero, -1 neither. */
int stress_word_decode(unsigned rid, size_t i, uint64_t w, uint64_t k, uint64_t *gen);
bool stress_present(int pagemap, const void *addr);

/* bench/stress/ops.c: the ioctls stress issues, chosen by their entries' properties */
unsigned stress_ops_of(unsigned kinds);	/* bits 1 << SK_* -> the table's ops (1 << UOP_*) */
int stress_op(unsigned ops, enum stress_kind k);	/* the first of ops of kind k, or -1 */
enum stress_kind stress_op_kind(enum uffd_op op);	/* SK_COPY..SK_CONTINUE, or SK_NR */
enum range_kind stress_op_range(enum uffd_op op);	/* the range it works on */

/* bench/stress/ioctl.c: the contract */
enum stress_outcome stress_classify(enum uffd_op op, int err, int64_t done, size_t want,
				    size_t page_size, bool huge, const char **why);
int stress_mfill(int uffd, enum uffd_op op, char *dst, const char *src, size_t len,
		 int64_t *done);
bool stress_hole_allowed(struct srange *rg, size_t j, uint64_t seq_before,
			 uint64_t present_before);
void stress_count(struct stress_thread *t, struct srange *rg, enum stress_kind k,
		  enum stress_outcome o, uint64_t pages);

/* bench/stress/worker.c (and the helpers), stress/churn.c, stress/handler.c, stress/fork.c */
void *stress_worker(void *arg);
void *stress_zapper(void *arg);
void *stress_populater(void *arg);
void *stress_toucher(void *arg);
void *stress_checker(void *arg);
void *stress_handler(void *arg);
void *stress_forker(void *arg);
void *stress_injector(void *arg);
void *stress_scenario_thread(void *arg);	/* runs the scenario's own thread */
const char *stress_threads_text(const struct stress_ctx *c);
bool stress_stopping(const struct stress_thread *t);
uint64_t stress_rand(struct stress_thread *t);
uint64_t stress_below(struct stress_thread *t, uint64_t n);	/* [0, n) */
struct stress_type *stress_pick_type(struct stress_thread *t, unsigned need_ops);
void stress_pause_us(struct stress_thread *t, unsigned max_us);

/* bench/stress/pool.c */
void stress_pool_baseline(struct stress_ctx *c);
void stress_pool_watch(struct stress_ctx *c, size_t size, unsigned long ours);
void stress_pool_starved(struct stress_ctx *c, const struct stress_type *st);
void stress_pool_check(struct stress_ctx *c);
bool stress_suspect(struct stress_ctx *c, const struct stress_failure *f);
void stress_unregister_withdrawn(struct stress_ctx *c);
bool stress_withdrawn(const struct stress_type *st);

/* bench/stress/run.c */
int stress_run(struct stress_ctx *c);
void stress_free(struct stress_ctx *c);
void stress_sum(const struct stress_ctx *c, struct stress_stats *sum);

#include "stress/report.h"
#include "stress/scenario.h"

#endif
