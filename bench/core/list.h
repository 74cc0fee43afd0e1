/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_LIST_H
#define UFFDBENCH_LIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The one parser of comma lists, for every option and suite setting that
 * takes one (--memtype, --batch, --threads, --inject-ns, --knob values,
 * --cpu-node, --mem-node, fault's and capacity's lists).  An empty list, an
 * empty item ("0,,0", "0,", ",0") or a list of LIST_MAX_CHARS or more is
 * refused, the message quoting the list as given; fn sees each item in turn
 * and refuses what it cannot parse (0, or -1 with err filled).
 */
#define LIST_MAX_CHARS 512
/*
 * Values one list may give: the size of the arrays run's spec and fault's
 * options keep them in (named for the spec, where it began).
 */
#define SPEC_MAX_LIST 32

typedef int (*list_item_fn)(void *arg, const char *item, char *err, size_t errlen);

int list_for_each(const char *list, list_item_fn fn, void *arg, char *err, size_t errlen);

/*
 * A value parsed from an item, unless an earlier item gave the same value:
 * "1,1", "01,1", "0,0.0" make two cells of one key, which every reader of
 * the results then refuses.  0 when new (appended, *n grows), -1 with err
 * ("ITEM given twice") otherwise.
 */
int list_add_unique(unsigned *v, unsigned *n, unsigned x, const char *item, char *err,
		    size_t errlen);
int list_add_unique_double(double *v, unsigned *n, double x, const char *item, char *err,
			   size_t errlen);
int list_add_unique_int(int *v, int *n, int x, const char *item, char *err, size_t errlen);

/* An item "N" (lo = hi = N) or "N-M" of whole numbers: 0, or -1 (not one). */
int list_parse_range(const char *item, unsigned *lo, unsigned *hi);

#endif
