// SPDX-License-Identifier: MIT
/* A fault configuration before it runs: its checks, its range, its CPUs, its key. */
#include "fault/fault.h"
#include "core/common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const fault_pattern_names[PAT_NR] = {
	[PAT_SEQ] = "seq", [PAT_RANDOM] = "random", [PAT_STRIDE] = "stride",
};

const char *const fault_status_names[] = {
	[FAULT_OK] = "ok", [FAULT_FAILED] = "failed", [FAULT_SKIPPED] = "skipped",
	[FAULT_INTERRUPTED] = "interrupted",
};

size_t fault_auto_size(const struct memtype_ops *mt)
{
	if (mt->huge_size >= (1ul << 30))
		return mt->huge_size;
	return mt->huge_size ? 32ul << 20 : 64ul << 20;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The cheapest correct style: a blocking read() is one syscall per fault
 * where poll and epoll are two, and it is correct in every configuration
 * here (stopping and the between-rounds handshake interrupt it with a
 * signal).  Measured: bench/docs/measurements.md, "fault: wait styles".
 */
enum fault_wait fault_default_wait(const struct fault_cfg *c)
{
	(void)c;
	return WAIT_READ;
}

/*
 * Several handlers sharing one uffd: one event per read(), so that pending
 * faults spread over the handlers instead of queueing behind one.  Otherwise
 * a read() takes every fault pending (at most one per faulting thread).
 */
unsigned fault_default_events(const struct fault_cfg *c)
{
	if (c->layout == UFFD_SHARED && c->handlers > 1)
		return 1;
	return c->faulters < FAULT_MAX_EVENTS ? c->faulters : FAULT_MAX_EVENTS;
}

const char *fault_wait_label(const struct fault_cfg *c, char *buf, size_t len)
{
	if (c->wait != WAIT_SIGBUS && c->events > 1)
		snprintf(buf, len, "%s-e%u", fault_wait_names[c->wait], c->events);
	else
		snprintf(buf, len, "%s", fault_wait_names[c->wait]);
	return buf;
}

static int check_wait(struct fault_cfg *c, char *err, size_t errlen)
{
	if (c->wait_auto)
		c->wait = fault_default_wait(c);
	if ((unsigned)c->wait >= WAIT_NR)
		return bad(err, errlen, "bad wait style %d", c->wait);
	if (c->wait != WAIT_SIGBUS) {
		if (c->events > FAULT_MAX_EVENTS)
			return bad(err, errlen, "bad --events %u: want 1..%d", c->events,
				   FAULT_MAX_EVENTS);
		if (!c->events || c->events_auto) {
			c->events = fault_default_events(c);
			c->events_auto = true;
		}
		return 0;
	}
	if (c->handlers)
		return bad(err, errlen, "--wait sigbus has no handler threads (each faulting thread resolves its own faults): drop --handlers");
	if (c->events && !c->events_auto)
		return bad(err, errlen, "--wait sigbus reads no events: drop --events");
	if (c->layout == UFFD_PER_HANDLER)
		return bad(err, errlen, "--wait sigbus has no handlers to give a uffd each: drop --uffd per-handler");
	if (c->inject != INJ_NONE)
		return bad(err, errlen, "--inject-handler needs handler threads, not --wait sigbus");
	c->events = 0;
	c->hcpus = HCPU_SAME;	/* faults are resolved on the faulting thread's CPU */
	return 0;
}

static int check_threads(const struct fault_cfg *c, char *err, size_t errlen)
{
	if (!c->faulters || c->faulters > FAULT_MAX_THREADS)
		return bad(err, errlen, "bad --faulters %u: want 1..%d", c->faulters, FAULT_MAX_THREADS);
	if ((c->wait != WAIT_SIGBUS && !c->handlers) || c->handlers > FAULT_MAX_THREADS)
		return bad(err, errlen, "bad --handlers %u: want 1..%d", c->handlers, FAULT_MAX_THREADS);
	if (!c->window || (c->window & (c->window - 1)))
		return bad(err, errlen, "bad --window %u: want a power of two (1, 2, 4 ...)", c->window);
	if (c->pattern == PAT_STRIDE && !c->stride)
		return bad(err, errlen, "bad --stride 0: want 1 or more pages");
	return 0;
}

static int check_load(const struct fault_cfg *c, char *err, size_t errlen)
{
	if (c->rate < 0 || isnan(c->rate) || (c->rate > 0 && c->rate < 1) ||
	    c->rate > FAULT_MAX_RATE)
		return bad(err, errlen, "bad --rate %g: want 1 to 1e9 touches/s", c->rate);
	if (!(c->duration > 0 && c->duration <= 86400))
		return bad(err, errlen, "bad --duration %g: want more than 0 and at most 86400 s",
			   c->duration);
	if (!(c->watchdog > 0 && c->watchdog <= 86400))
		return bad(err, errlen, "bad --watchdog %g: want more than 0 and at most 86400 s",
			   c->watchdog);
	return 0;
}

static int check_range(const struct fault_cfg *c, char *err, size_t errlen)
{
	size_t psz = memtype_page_size(c->mt), pages = c->size / psz;

	if (c->size % psz)
		return bad(err, errlen, "--size %zu is not a multiple of %s's page size (%zu)",
			   c->size, c->mt->name, psz);
	if (!pages || pages > UINT32_MAX)
		return bad(err, errlen, "--size %zu: want 1 to 2^32 pages of %zu bytes", c->size, psz);
	if (c->window > pages)
		return bad(err, errlen, "--window %u is larger than the range (%zu pages of %zu bytes)",
			   c->window, pages, psz);
	if (!c->share && c->faulters > pages)
		return bad(err, errlen, "%u faulting threads but the range has %zu pages (or use --share)",
			   c->faulters, pages);
	if (c->layout == UFFD_PER_HANDLER && pages / c->window < c->handlers)
		return bad(err, errlen, "--uffd per-handler: %zu pages cannot give %u handlers a part of whole %u-page windows each",
			   pages, c->handlers, c->window);
	return 0;
}

int fault_check(struct fault_cfg *c, char *err, size_t errlen)
{
	if (!c->mt)
		return bad(err, errlen, "no memory type");
	if (check_wait(c, err, errlen) || check_threads(c, err, errlen) ||
	    check_load(c, err, errlen))
		return -1;
	if (!c->size)
		c->size = fault_auto_size(c->mt);
	return check_range(c, err, errlen);
}

int fault_plan_cpus(const struct fault_cfg *c, const struct fault_env *e, int *fcpus,
		    int *hcpus, bool *oversubscribed, char *err, size_t errlen)
{
	unsigned n = c->faulters + (c->hcpus == HCPU_SEPARATE ? c->handlers : 0);
	int cpus[2 * FAULT_MAX_THREADS];

	*oversubscribed = false;
	if (!e->topo) {
		for (unsigned i = 0; i < c->faulters; i++)
			fcpus[i] = -1;
		for (unsigned i = 0; i < c->handlers; i++)
			hcpus[i] = -1;
		return 0;
	}
	if (topo_plan_threads(e->topo, e->policy, -1, n, e->oversubscribe, cpus, err, errlen))
		return -1;
	*oversubscribed = n > topo_plan_capacity(e->topo, e->policy, -1);
	for (unsigned i = 0; i < c->faulters; i++)
		fcpus[i] = cpus[i];
	for (unsigned i = 0; i < c->handlers; i++)
		hcpus[i] = c->hcpus == HCPU_SEPARATE ? cpus[c->faulters + i] : cpus[i % c->faulters];
	return 0;
}

void fault_key(const struct fault_cfg *c, char *buf, size_t len)
{
	char load[32] = "closed", wait[32];

	if (c->rate > 0)
		snprintf(load, sizeof(load), "rate%.0f", c->rate);
	fault_wait_label(c, wait, sizeof(wait));
	/* the default (hot) source adds nothing: keys of runs without --source stay */
	snprintf(buf, len, "%s/%s/f%u/h%u/w%u/%s/%s%s/%s-uffd/%s/%s/%s%s", c->mt->name,
		 uop_name(c->op), c->faulters, c->handlers, c->window, c->write ? "write" : "read",
		 fault_pattern_names[c->pattern], c->share ? "-shared" : "",
		 c->layout == UFFD_PER_HANDLER ? "per-handler" : "shared",
		 c->hcpus == HCPU_SEPARATE ? "separate" : "same", load, wait,
		 c->range_src && ioctls[c->op]->src == SRC_BATCH ? "/src-range" : "");
}
