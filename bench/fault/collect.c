// SPDX-License-Identifier: MIT
/*
 * After the rounds: the wall time a round counts for, the check of every
 * page a round touched (content as the handler supplied it: the COPY
 * source's pattern for that page, zeros, or the page cache's pattern), and
 * the threads' counts folded into the result with its status.
 */
#include "fault/state.h"
#include "core/common.h"
#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fault_result_init(const struct fault_cfg *c, struct fault_result *r)
{
	memset(r, 0, sizeof(*r));
	r->page_size = memtype_page_size(c->mt);
	r->pages = c->size / r->page_size;
	r->faulters = c->faulters;
	r->handlers = c->handlers;
	r->resolvers = fault_resolvers(c);
	r->faulter_cpus = xcalloc(c->faulters, sizeof(int));
	r->handler_cpus = xcalloc(c->handlers, sizeof(int));
	r->h = xcalloc(r->resolvers, sizeof(*r->h));
	r->touch = xcalloc(1, sizeof(*r->touch));
	hist_init(&r->touch->lat);
	hist_init(&r->touch->svc);
	hist_init(&r->touch->all);
}

void fault_result_free(struct fault_result *r)
{
	free(r->faulter_cpus);
	free(r->handler_cpus);
	free(r->h);
	free(r->touch);
	r->faulter_cpus = r->handler_cpus = NULL;
	r->h = NULL;
	r->touch = NULL;
}

bool fault_account_round(struct fault_state *s)
{
	uint64_t first = UINT64_MAX, last = 0;
	bool complete = true;

	for (unsigned i = 0; i < s->cfg->faulters; i++) {
		const struct fault_thread *f = &s->ft[i];

		if (f->done && f->t_start < first)
			first = f->t_start;
		if (f->done && f->t_end > last)
			last = f->t_end;
		complete &= f->done == f->n_order;
	}
	if (last > first)
		s->res->timed_ns += last - first;
	s->res->rounds++;
	return complete;
}

static void verify_one(struct fault_state *s, size_t page)
{
	if (s->ctx.hot)
		verify_page_stamped(&s->r, s->cfg->op, s->ctx.gen, s->pagemap_fd, page,
				    &s->res->verify);
	else
		verify_page(&s->r, s->cfg->op, s->ctx.pages, s->ctx.gen, s->pagemap_fd, page,
			    &s->res->verify);
}

/* Every page touched this round (full), or evenly spread samples of them. */
void fault_verify_round(struct fault_state *s)
{
	const struct fault_cfg *c = s->cfg;
	size_t per = VERIFY_SAMPLES / c->faulters ? VERIFY_SAMPLES / c->faulters : 1;

	for (unsigned i = 0; i < c->faulters; i++) {
		const struct fault_thread *f = &s->ft[i];
		size_t step = 1;

		if (c->verify == VERIFY_SAMPLE && f->done > per)
			step = f->done / per;
		for (size_t k = 0; k < f->done; k += step)
			verify_one(s, f->order[k]);
		if (f->done && (f->done - 1) % step)
			verify_one(s, f->order[f->done - 1]);
	}
	s->res->rounds_verified++;
}

static void sum_touch(struct touch_stats *d, const struct touch_stats *t)
{
	d->touches += t->touches;
	d->faults += t->faults;
	d->hits += t->hits;
	d->touch_errors += t->touch_errors;
	d->late += t->late;
	d->lag_sum += t->lag_sum;
	if (t->lag_max > d->lag_max)
		d->lag_max = t->lag_max;
	hist_merge(&d->lat, &t->lat);
	hist_merge(&d->svc, &t->svc);
	hist_merge(&d->all, &t->all);
}

static void copy_handler(struct handler_result *d, const struct fault_handler *h)
{
	d->cpu = h->cpu;
	d->events = h->events;
	d->ioctls = h->ioctls;
	d->pages = h->pages;
	d->eexist = h->eexist;
	d->partial = h->partial;
	d->wakes = h->wakes;
	d->eagain = h->eagain;
	d->unknown = h->unknown;
	d->reads = h->reads;
	d->waits = h->waits;
}

static void decide(struct fault_state *s)
{
	struct fault_result *r = s->res;
	const struct touch_stats *t = r->touch;

	r->status = FAULT_FAILED;
	if (s->error[0]) {
		snprintf(r->reason, sizeof(r->reason), "%s%s", s->error,
			 r->abandoned ? "; threads did not return" : "");
		if (s->interrupted)
			r->status = FAULT_INTERRUPTED;
	} else if (r->verify.mismatches) {
		snprintf(r->reason, sizeof(r->reason), "verify: %lu bad pages, first: %s",
			 (unsigned long)r->verify.mismatches, r->verify.first_error);
	} else if (t->touch_errors) {
		snprintf(r->reason, sizeof(r->reason), "%lu read touches saw a wrong word",
			 (unsigned long)t->touch_errors);
	} else if (!t->touches) {
		snprintf(r->reason, sizeof(r->reason), "no touch completed in --duration %g s",
			 s->cfg->duration);
	} else {
		r->status = FAULT_OK;
	}
}

void fault_collect(struct fault_state *s)
{
	struct fault_result *r = s->res;

	if (r->status != FAULT_OK)
		return;		/* setup failed: the reason is there already */
	for (unsigned i = 0; i < s->started_f; i++)
		sum_touch(r->touch, &s->ft[i].st);
	/* handler threads, or SIGBUS mode's resolvers (of faulting threads that returned) */
	for (unsigned i = 0; i < (s->cfg->wait == WAIT_SIGBUS ? s->started_f : s->started_h); i++) {
		copy_handler(&r->h[i], &s->fh[i]);
		if (!s->error[0] && s->fh[i].failed && !r->abandoned)
			snprintf(s->error, sizeof(s->error), "%s", s->fh[i].error);
	}
	decide(s);
}
