// SPDX-License-Identifier: MIT
/*
 * One worker's range through a cell: map and register it, leave it as each
 * round's pass needs it (untimed), and after the pass verify and record it.
 */
#include "run/harness_int.h"
#include "core/pattern.h"
#include "machine/clock.h"
#include "machine/hugepages.h"
#include "machine/irqs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int worker_fail(struct worker *w, const char *what, int err)
{
	snprintf(w->error, sizeof(w->error), "thread %u: %s: %s", w->id, what, errno_name(err));
	__atomic_store_n(&w->sh->failed, 1, __ATOMIC_RELAXED);
	return -1;
}

int worker_setup(struct worker *w)
{
	const struct cell *c = w->sh->cell;
	int ret;

	w->uffd = w->pagemap_fd = w->irq_fd = -1;
	w->r = (struct region){ .mt = c->mt, .fd = -1, .page_size = memtype_page_size(c->mt) };
	ret = c->mt->setup(&w->r, c->size);
	if (ret)
		return worker_fail(w, "setup", ret);
	ret = place_bind_range(c->place, w->r.area, w->r.len);
	if (!ret)
		ret = place_bind_range(c->place, w->r.alias, w->r.len);
	if (ret)
		return worker_fail(w, "mbind", ret);
	w->uffd = uffd_new(w->sh->opts->uffd_features, NULL);
	if (w->uffd < 0)
		return worker_fail(w, "userfaultfd", w->uffd);
	w->t = (struct ioctl_target){ .r = &w->r, .op = c->op, .io = ioctls[c->op],
				      .uffd = w->uffd, .batch = c->batch };
	ret = uop_register(w->uffd, c->op, w->r.area, w->r.len, NULL);
	if (ret)
		return worker_fail(w, "register", ret);
	w->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (w->pagemap_fd < 0)
		return worker_fail(w, "open pagemap", errno);
	if (w->sh->opts->perf)
		perfctr_open(&w->pc);
	/*
	 * Under icount only, where the floor rule groups passes by them, and of
	 * one thread only (a read would stagger the threads' starts): on a wall
	 * clock the read's kernel work would sit just before the pass for nothing.
	 */
	if (c->threads == 1 && bench_clock() == CLOCK_ICOUNT)
		w->irq_fd = irqs_open();
	ret = ioctl_target_src(&w->t);
	if (ret)
		return worker_fail(w, "source buffer", ret);
	w->src = w->t.src;
	ret = w->src ? place_bind_src(c->place, w->src, w->t.src_len) : 0;
	return ret ? worker_fail(w, "mbind source", ret) : 0;
}

void worker_teardown(struct worker *w)
{
	const struct cell *c = w->sh->cell;

	perfctr_close(&w->pc);
	ioctl_target_free_src(&w->t);
	if (w->pagemap_fd >= 0)
		close(w->pagemap_fd);
	if (w->irq_fd >= 0)
		close(w->irq_fd);
	if (w->uffd >= 0)
		close(w->uffd);
	if (w->r.area)
		c->mt->teardown(&w->r);
}

/* Untimed: leave the range as the next pass needs it. */
int worker_prepare(struct worker *w, uint64_t gen)
{
	int ret;

	ret = w->t.io->reset(&w->t);
	if (ret)
		return worker_fail(w, "reset", ret);
	ret = w->t.io->prepare(&w->t, gen);
	return ret ? worker_fail(w, "prepare", ret) : 0;
}

void sum_outcomes(struct pass_result *sum, const struct pass_result *p)
{
	sum->ok += p->ok;
	sum->eexist += p->eexist;
	sum->eagain += p->eagain;
	sum->short_done += p->short_done;
	sum->other += p->other;
	if (p->other)
		sum->other_errno = p->other_errno;
}

/* Untimed: where this round's pages and this thread were. */
static void record_placement(struct worker *w, const struct thread_round *tr)
{
	const struct place_cell *p = w->sh->cell->place;

	if (!p)
		return;
	place_sample(p, w->r.area, w->r.len, w->r.page_size, &w->pv);
	if (p->cpu_node < 0)
		return;
	w->pv.thread_rounds++;
	w->pv.rounds_on_node += tr->node == p->cpu_node;
}

/*
 * verify_target's other cause of a SIGBUS after the reset: touching a
 * missing hugetlb page raises it too when the pool has no unreserved page.
 */
static const char *pool_sigbus_why(const struct region *r)
{
	size_t hs = r->mt->huge_size;

	if (hs && hugepages_read(hs, "free_hugepages") <= hugepages_read(hs, "resv_hugepages"))
		return "no unreserved huge page to tell a surviving marker by (another process holds the pool?)";
	return NULL;
}

void worker_record(struct worker *w, unsigned round, const struct pass_result *p, int64_t irqs)
{
	struct shared *sh = w->sh;
	struct thread_round *tr;
	int ret;

	sum_outcomes(&w->sum, p);
	ret = verify_target(&w->t, round, sh->opts->verify, w->pagemap_fd, pool_sigbus_why,
			    &w->verify);
	if (ret)
		worker_fail(w, "reset after verify", ret);
	if (round < sh->opts->warmup)
		return;
	tr = &sh->res->tr[(round - sh->opts->warmup) * sh->cell->threads + w->id];
	tr->t_start = p->t_start;
	tr->t_end = p->t_end;
	tr->ioctls = p->ioctls;
	tr->pages = p->bytes / w->r.page_size;
	tr->irqs = irqs;
	tr->cpu = sched_getcpu();
	tr->node = sh->opts->cpu_node ? sh->opts->cpu_node(tr->cpu) : -1;
	record_placement(w, tr);
	perfctr_add(&w->pc);
	if (w->id == 0)
		sh->rounds_done++;
}
