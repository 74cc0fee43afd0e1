// SPDX-License-Identifier: MIT
/*
 * Putting memory where a placement cell says, and checking where it went.
 *
 * mbind(2) on the registered range (and its alias) before registration:
 *   - anon, shmem-private/hugetlb-private COPY/ZEROPAGE: the VMA policy of
 *     the registered mapping decides where the ioctl allocates;
 *   - shmem (memfd, file, shared anon): mbind on a MAP_SHARED mapping sets
 *     the shared policy of the object, which decides where COPY/ZEROPAGE
 *     and the page cache pages CONTINUE maps land; the alias maps the same
 *     object, and populate writes through it;
 *   - hugetlb: hugetlbfs keeps no shared policy, so each VMA's policy is
 *     used when a huge page is taken from the pool (the registered one for
 *     COPY/ZEROPAGE, the alias for pages populated for CONTINUE): both are
 *     bound.
 * move_pages(2) with nodes NULL only queries: it moves nothing.  A private
 * ZEROPAGE maps the shared zero page, which move_pages reports as -EFAULT:
 * such pages are counted apart (zero_pages), not as misses.
 */
#include "machine/placement.h"

#include <errno.h>
#include <numaif.h>
#include <stdio.h>
#include <string.h>

#define NR_SAMPLE 64

static int bind(const uint64_t *mask, int mode, void *addr, size_t len)
{
	unsigned long m[PLACE_MAX_NODES / 64 + 1];

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		m[i] = mask[i];
	/* The kernel reads maxnode - 1 bits. */
	if (mbind(addr, len, mode, m, sizeof(m) * 8 + 1, 0))
		return -errno;
	return 0;
}

int place_bind_range(const struct place_cell *p, void *addr, size_t len)
{
	if (!p || !addr || p->mpol == PLACE_MPOL_DEFAULT)
		return 0;
	return bind(p->mem_mask, p->mpol == PLACE_MPOL_BIND ? MPOL_BIND : MPOL_INTERLEAVE,
		    addr, len);
}

int place_bind_src(const struct place_cell *p, void *addr, size_t len)
{
	uint64_t mask[PLACE_MAX_NODES / 64 + 1] = { 0 };

	if (!p || !addr || p->src_node < 0)
		return 0;
	mask[p->src_node / 64] = 1ull << (p->src_node % 64);
	return bind(mask, MPOL_BIND, addr, len);
}

static bool on_intended(const struct place_cell *p, int node)
{
	return node >= 0 && node < PLACE_MAX_NODES &&
	       (p->mem_mask[node / 64] >> (node % 64)) & 1;
}

void place_sample(const struct place_cell *p, const char *addr, size_t len,
		  size_t page_size, struct place_verify *v)
{
	void *pages[NR_SAMPLE];
	int status[NR_SAMPLE];
	size_t npages = len / page_size, n = npages < NR_SAMPLE ? npages : NR_SAMPLE;

	if (!p || p->mpol == PLACE_MPOL_DEFAULT || !n)
		return;
	for (size_t i = 0; i < n; i++)
		pages[i] = (void *)(addr + (i * npages / n) * page_size);
	if (move_pages(0, n, pages, NULL, status, 0))
		for (size_t i = 0; i < n; i++)
			status[i] = -errno;
	for (size_t i = 0; i < n; i++) {
		bool ok = on_intended(p, status[i]);

		v->zero_pages += status[i] == -EFAULT;
		v->pages_on_node += ok;
		if (!ok && status[i] != -EFAULT)
			v->last_node = status[i];
	}
	v->pages_sampled += n;
}

const char *place_mpol_name(enum place_mpol m)
{
	static const char *const names[] = { "default", "bind", "interleave" };

	return (unsigned)m < 3 ? names[m] : "?";
}

double place_mem_fraction(const struct place_verify *v)
{
	uint64_t placed = v->pages_sampled - v->zero_pages;

	return placed ? (double)v->pages_on_node / placed : -1;
}

double place_cpu_fraction(const struct place_verify *v)
{
	return v->thread_rounds ? (double)v->rounds_on_node / v->thread_rounds : -1;
}

bool place_verified_ok(const struct place_verify *v)
{
	double m = place_mem_fraction(v), c = place_cpu_fraction(v);

	return (m < 0 || m >= 0.95) && (c < 0 || c >= 0.95);
}

static void mem_target(const struct place_cell *p, char *buf, size_t len)
{
	if (p->mpol == PLACE_MPOL_INTERLEAVE)
		snprintf(buf, len, "the memory nodes (interleave)");
	else
		snprintf(buf, len, "node %d", p->mem_node);
}

void place_miss_note(const struct place_cell *p, const struct place_verify *v,
		     char *buf, size_t len)
{
	double m = place_mem_fraction(v), c = place_cpu_fraction(v);
	char target[48];

	buf[0] = '\0';
	if (!p || place_verified_ok(v))
		return;
	mem_target(p, target, sizeof(target));
	if (m >= 0 && m < 0.95)
		snprintf(buf, len, "placement missed: %.2f on %s", m, target);
	else
		snprintf(buf, len, "placement missed: CPUs %.2f on node %d", c, p->cpu_node);
}

void place_verify_merge(struct place_verify *sum, const struct place_verify *v)
{
	sum->pages_sampled += v->pages_sampled;
	sum->pages_on_node += v->pages_on_node;
	sum->zero_pages += v->zero_pages;
	sum->thread_rounds += v->thread_rounds;
	sum->rounds_on_node += v->rounds_on_node;
	if (v->pages_on_node < v->pages_sampled)
		sum->last_node = v->last_node;
}
