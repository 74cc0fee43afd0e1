// SPDX-License-Identifier: MIT
/*
 * A line's summary is derived from its rounds when written; a reader that
 * shows the summary (export) must not show one the rounds contradict.
 */
#include "results/check.h"
#include "core/common.h"
#include "core/stats.h"

#include <math.h>
#include <string.h>

/* Lines keep 10 significant digits; the statistics of rounded rounds move less. */
static bool agrees(double got, double want, double scale)
{
	return fabs(got - want) <= 1e-6 * fmax(fabs(want), scale);
}

/* summary[.what].name: a number that agrees with want (required: present too). */
static int check_stat(json_t *s, const char *name, double want, double scale, bool required,
		      const char *what, const char *where, char *err, size_t len)
{
	json_t *v = json_object_get(s, name);

	if (!v && !required)
		return 0;
	if (!json_is_number(v))
		return seterr(err, len, "%s: summary%s%s.%s: %s", where, *what ? "." : "", what,
			      name, v ? "not a number" : "missing");
	if (!agrees(json_number_value(v), want, scale))
		return seterr(err, len, "%s: summary%s%s.%s %.10g contradicts the rounds (%.10g)",
			      where, *what ? "." : "", what, name, json_number_value(v), want);
	return 0;
}

static int check_ci(json_t *s, const struct summary *d, const char *what, const char *where,
		    char *err, size_t len)
{
	json_t *ci = json_object_get(s, "ci95");

	if (!ci || json_is_null(ci))
		return 0;
	if (!json_is_array(ci) || json_array_size(ci) != 2 || !d->has_ci ||
	    !json_is_number(json_array_get(ci, 0)) || !json_is_number(json_array_get(ci, 1)) ||
	    !agrees(json_number_value(json_array_get(ci, 0)), d->ci_lo, d->median) ||
	    !agrees(json_number_value(json_array_get(ci, 1)), d->ci_hi, d->median))
		return seterr(err, len, "%s: summary.%s.ci95 contradicts the rounds", where, what);
	return 0;
}

/* summary.what against d, the statistics of the rounds' values. */
static int check_one(json_t *sum, const char *what, const struct summary *d,
		     const char *where, char *err, size_t len)
{
	json_t *s = json_object_get(sum, what), *cnt = json_object_get(s, "n");
	const struct { const char *name; double want; } stats[] = {
		{ "mean", d->mean }, { "min", d->min }, { "max", d->max },
		{ "p25", d->p25 }, { "p75", d->p75 }, { "sd", d->sd },
	};

	if (!json_is_object(s))
		return seterr(err, len, "%s: summary.%s: %s", where, what,
			      s ? "not an object" : "missing");
	if (cnt && (!json_is_integer(cnt) || json_integer_value(cnt) != (json_int_t)d->n))
		return seterr(err, len, "%s: summary.%s.n is not the %zu rounds", where, what,
			      d->n);
	if (check_stat(s, "median", d->median, 0, true, what, where, err, len))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(stats); i++)
		if (check_stat(s, stats[i].name, stats[i].want, d->mean, false, what, where, err,
			       len))
			return -1;
	return check_ci(s, d, what, where, err, len);
}

int rr_check_summary(json_t *o, const struct rr_cell *c, const char *where, char *err,
		     size_t len)
{
	json_t *sum = json_object_get(o, "summary"), *t;
	struct summary pg, io;

	if (!sum || !rr_cell_ok(c))
		return 0;
	if (!json_is_object(sum))
		return seterr(err, len, "%s: \"summary\" is not an object", where);
	summarize(c->ns_per_page, c->nr_rounds, &pg);
	summarize(c->ns_per_ioctl, c->nr_rounds, &io);
	if (check_one(sum, "ns_per_page", &pg, where, err, len) ||
	    check_one(sum, "ns_per_ioctl", &io, where, err, len) ||
	    check_stat(sum, "pages_per_s_per_thread", 1e9 / pg.median, 0, false, "", where,
		       err, len))
		return -1;
	t = json_object_get(sum, "pages_per_s_total");
	if (t && (!json_is_number(t) || !(json_number_value(t) > 0) ||
		  json_number_value(t) > RR_MAX_PAGES_PER_S))
		return seterr(err, len, "%s: summary.pages_per_s_total: not a number in "
			      "(0, %g]", where, RR_MAX_PAGES_PER_S);
	return 0;
}
