// SPDX-License-Identifier: MIT
/*
 * --fork: now and then fork a child that checks, in its own copy of the
 * address space, every page it inherits: the private ranges' present pages
 * (fork copies those page tables) and, through the shared mappings, the
 * shared types' pages that are in the page cache -- hugetlb page tables are
 * copied too (pagemap), shmem pages are found with mincore().  A hole is
 * never read: that would allocate a page in the file behind the parent's
 * back.  While a child runs, no hole is punched (the zapper takes
 * child_lock): a punch would zap pages from the child's view too, and its
 * refault would fill the file.  The child uses no stdio and records what it
 * finds in shared memory; its generations are only bounded above (the
 * parent's floors move on after the fork).
 *
 * --inject-corruption: write one wrong byte through the alias of a present
 * page of a shared range, then read the page back the normal way: the run
 * must fail with that page's offset and the two values.
 */
#include "stress/stress.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK_WORDS 512
#define INJECT_DELAY_MS 300

static void sleep_ms(struct stress_thread *t, unsigned ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (unsigned i = 0; i < ms / 10 && !stress_stopping(t); i++)
		nanosleep(&ts, NULL);
}

static bool child_words_ok(struct srange *rg, size_t i, const uint64_t *w, size_t first,
			   size_t n, int *kind, uint64_t *gen, struct stress_failure *f)
{
	uint64_t hi = __atomic_load_n(&rg->ps[i].issued, __ATOMIC_SEQ_CST);
	uint64_t zhi = __atomic_load_n(&rg->ps[i].zero_gen, __ATOMIC_SEQ_CST), g = 0;

	for (size_t k = 0; k < n; k++) {
		int d = stress_word_decode(rg->rid, i, w[k], first + k, &g);

		f->byte = (first + k) * 8;
		f->actual = w[k];
		f->gen = g;
		f->hi = hi;
		f->zero_gen = zhi;
		if (d < 0) {
			f->what = SF_WRONG_WORD;
			return false;
		}
		if ((d == 1 && !zhi) || (d == 0 && g > hi)) {
			f->what = d ? SF_ZERO : SF_FUTURE;
			return false;
		}
		if (*kind != -2 && (d != *kind || (d == 0 && g != *gen))) {
			f->what = SF_TORN;
			return false;
		}
		*kind = d;
		*gen = g;
	}
	return true;
}

/* Base pages whole; huge pages their first and last 4 KiB. */
static void child_check(struct stress_ctx *c, struct srange *rg, size_t i)
{
	size_t ps = rg->r.page_size, words = ps / 8;
	const uint64_t *w = (const uint64_t *)(rg->r.area + i * ps);
	struct stress_failure f = { .type = memtype_index(rg->st->mt), .range = rg->kind,
				    .op = SK_FORK, .child = true, .page = i };
	int kind = -2;
	uint64_t gen = 0;
	bool ok;

	if (words <= CHUNK_WORDS * 2)
		ok = child_words_ok(rg, i, w, 0, words, &kind, &gen, &f);
	else
		ok = child_words_ok(rg, i, w, 0, CHUNK_WORDS, &kind, &gen, &f) &&
		     child_words_ok(rg, i, w + words - CHUNK_WORDS, words - CHUNK_WORDS,
				    CHUNK_WORDS, &kind, &gen, &f);
	__atomic_fetch_add(&c->sh->child_checked, 1, __ATOMIC_RELAXED);
	if (ok)
		return;
	stress_fail_record(c->sh, &f);
	_exit(1);	/* the forked child: its status is the verdict */
}

/* Can the child read page p without allocating one? */
static bool child_may_read(int pm, const struct srange *rg, size_t p)
{
	char *a = rg->r.area + p * rg->r.page_size;
	unsigned char vec = 0;

	if (!rg->st->mt->shared || rg->st->mt->huge_size)
		return stress_present(pm, a);
	return !mincore(a, 4096, &vec) && (vec & 1);	/* shmem: in the page cache */
}

/* The forked child, which never execs: it ends with _exit(), 0 when every page read right. */
static void __attribute__((noreturn)) child_main(struct stress_ctx *c)
{
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (pm < 0)
		_exit(0);
	for (unsigned i = 0; i < c->nr_types; i++)
		for (int k = 0; k < RANGE_NR && !stress_withdrawn(&c->type[i]); k++) {
			struct srange *rg = &c->type[i].range[k];

			for (size_t p = 0; p < rg->pages; p++)
				if (child_may_read(pm, rg, p)) {
					child_check(c, rg, p);
					__atomic_fetch_add(&c->sh->child_shared_checked,
							   rg->st->mt->shared, __ATOMIC_RELAXED);
				}
		}
	_exit(0);
}

static void child_died(struct stress_thread *t, int status)
{
	struct stress_failure f = { .what = SF_CHILD, .type = -1, .range = -1, .op = SK_FORK };

	snprintf(f.what_text, sizeof(f.what_text), "a fork child %s %d",
		 WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
		 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	stress_fail(t->c, &f);
}

/* Print what a child recorded (it cannot), and stop the run. */
static void child_failed(struct stress_thread *t, uint64_t from)
{
	struct stress_ctx *c = t->c;
	uint64_t to = __atomic_load_n(&c->sh->nr_failures, __ATOMIC_SEQ_CST);
	char buf[768];

	__atomic_store_n(&c->stop, 1, __ATOMIC_SEQ_CST);
	for (uint64_t n = from; n < to && n < STRESS_MAX_FAILURES; n++) {
		stress_format_failure(c, &c->sh->fail[n], buf, sizeof(buf));
		fprintf(stderr, "uffdbench: FAILURE: %s\n", buf);
	}
}

void *stress_forker(void *arg)
{
	struct stress_thread *t = arg;
	struct stress_ctx *c = t->c;
	int status;
	pid_t pid;
	bool ok;

	while (!stress_stopping(t)) {
		uint64_t before = __atomic_load_n(&c->sh->nr_failures, __ATOMIC_SEQ_CST);

		if (c->o.sc->fork_pause_ms)
			sleep_ms(t, 50 + stress_below(t, c->o.sc->fork_pause_ms));
		pthread_mutex_lock(&c->child_lock);
		pid = fork();
		if (pid == 0)
			child_main(c);
		if (pid < 0) {
			pthread_mutex_unlock(&c->child_lock);
			stress_fail_op(t, NULL, SK_FORK, errno, 0, "fork");
			break;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		pthread_mutex_unlock(&c->child_lock);
		ok = WIFEXITED(status) && !WEXITSTATUS(status);
		stress_count(t, NULL, SK_FORK, ok ? SO_OK : SO_ERROR, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			child_failed(t, before);
		else if (!WIFEXITED(status) || WEXITSTATUS(status))
			child_died(t, status);
	}
	return NULL;
}

static bool inject_once(struct stress_thread *t)
{
	struct stress_type *st = &t->c->type[stress_below(t, t->c->nr_types)];
	struct srange *rg = &st->range[stress_below(t, RANGE_NR)];
	size_t ps = rg->r.page_size, i = stress_below(t, rg->pages ? rg->pages : 1);
	size_t byte = 8 * stress_below(t, 512);	/* in the first 4 KiB: always read */
	volatile unsigned char *b;
	unsigned char was;

	if (!st->mt->shared || !rg->pages || stress_withdrawn(st) ||
	    !stress_present(t->pagemap, rg->r.area + i * ps))
		return false;
	b = (volatile unsigned char *)rg->r.alias + i * ps + byte;
	was = *b;
	*b = was ^ 0x5a;
	snprintf(t->c->inject_note, sizeof(t->c->inject_note),
		 "%s, %s range, page %zu (offset %#zx): byte 0x%02x -> 0x%02x through the alias",
		 st->mt->name, stress_range_name(rg->kind), i, i * ps + byte, was, was ^ 0x5a);
	fprintf(stderr, "uffdbench: injected corruption: %s\n", t->c->inject_note);
	return stress_check_page(t, rg, i) != 0;
}

void *stress_injector(void *arg)
{
	struct stress_thread *t = arg;

	sleep_ms(t, INJECT_DELAY_MS);
	while (!stress_stopping(t) && !inject_once(t))
		stress_pause_us(t, 2000);
	return NULL;
}
