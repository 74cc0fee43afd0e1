// SPDX-License-Identifier: MIT
/* compare's small helpers: warnings, names, and freeing a result. */
#include "compare/compare.h"
#include "ioctls/ioctl.h"
#include "memtypes/memtype.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cmp_warn(struct cmp_result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	r->warnings = xrealloc(r->warnings, r->nr_warnings + 1, sizeof(char *));
	r->warnings[r->nr_warnings++] = s;
}

const char *cmp_verdict_name(enum cmp_verdict v)
{
	static const char *const names[] = {
		[CMP_SAME] = "same", [CMP_FASTER] = "faster", [CMP_SLOWER] = "slower",
		[CMP_UNDECIDED] = "undecided",
		[CMP_INSUFFICIENT] = "same (insufficient data)",
		[CMP_NOT_COMPARED] = "not compared",
	};

	return names[v];
}

/*
 * One clock for every directory: under icount a "ns" is an instruction, so
 * no icount side is set against a wall one.  Deterministic counts get an
 * absolute threshold (1 instruction per page) unless --threshold asks for a
 * relative one, and each repeat gives its fewest-instruction round (an
 * interrupt only ever adds instructions) unless --stat asks for the median.
 */
int cmp_opts_clock(struct cmp_opts *o, const struct rr_dir *d, size_t n, char *err, size_t len)
{
	for (size_t i = 1; i < n; i++) {
		if (d[i].clock == d[0].clock)
			continue;
		snprintf(err, len, "%s counts %s (clock %s), %s counts %s (clock %s): they "
			 "cannot be compared", d[0].path, bench_clock_unit(d[0].clock),
			 bench_clock_name(d[0].clock), d[i].path, bench_clock_unit(d[i].clock),
			 bench_clock_name(d[i].clock));
		return -1;
	}
	o->clock = d[0].clock;
	if (o->clock != CLOCK_ICOUNT)
		return 0;
	if (!o->threshold_set && !(o->abs_threshold > 0))
		o->abs_threshold = 1;
	if (!o->stat_set)
		o->floor = true;
	return 0;
}

/* The series leaves these paths alone: the ioctl's entry says, by memory type class. */
bool cmp_is_control(const char *memtype, const char *ioctl)
{
	const struct memtype_ops *mt = memtype_find(memtype);
	int op = uop_parse(ioctl);

	if (!mt || op < 0)
		return false;
	return uop_is_control(op, mt);
}

void cmp_groups_free(struct cmp_group *g, size_t n)
{
	if (n)
		free(g[0].reps);
	free(g);
}

void cmp_result_free(struct cmp_result *r)
{
	for (size_t i = 0; i < r->nr_cells; i++) {
		free(r->cells[i].base.v);
		free(r->cells[i].new.v);
	}
	for (size_t i = 0; i < r->nr_caps; i++) {
		free(r->caps[i].memtype);
		free(r->caps[i].mode);
		free(r->caps[i].ioctl);
		free(r->caps[i].base);
		free(r->caps[i].new);
	}
	for (size_t i = 0; i < r->nr_env; i++) {
		free(r->env[i].path);
		free(r->env[i].base);
		free(r->env[i].new);
	}
	for (size_t i = 0; i < r->nr_warnings; i++)
		free(r->warnings[i]);
	free(r->cells);
	free(r->unmatched);
	free(r->caps);
	free(r->env);
	free(r->gmeans);
	free(r->fits);
	free(r->warnings);
	cmp_groups_free(r->gbase, r->nr_gbase);
	cmp_groups_free(r->gnew, r->nr_gnew);
	memset(r, 0, sizeof(*r));
}
