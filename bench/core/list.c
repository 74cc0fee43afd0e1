// SPDX-License-Identifier: MIT
#include "core/list.h"
#include "core/common.h"

#include <stdio.h>
#include <string.h>

int list_for_each(const char *list, list_item_fn fn, void *arg, char *err, size_t errlen)
{
	char buf[LIST_MAX_CHARS], *item, *next;

	if (!list || !*list)
		return seterr(err, errlen, "an empty list");
	if (strlen(list) >= sizeof(buf))
		return seterr(err, errlen, "'%.40s...': a list of %d characters or more", list,
			      LIST_MAX_CHARS);
	if (list_has_empty_item(list))
		return seterr(err, errlen, "'%s' has an empty item", list);
	strcpy(buf, list);
	for (item = buf; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (fn(arg, item, err, errlen))
			return -1;
	}
	return 0;
}

int list_add_unique(unsigned *v, unsigned *n, unsigned x, const char *item, char *err,
		    size_t errlen)
{
	for (unsigned i = 0; i < *n; i++)
		if (v[i] == x)
			return seterr(err, errlen, "'%s' given twice", item);
	v[(*n)++] = x;
	return 0;
}

int list_add_unique_double(double *v, unsigned *n, double x, const char *item, char *err,
			   size_t errlen)
{
	for (unsigned i = 0; i < *n; i++)
		if (v[i] == x)
			return seterr(err, errlen, "'%s' given twice", item);
	v[(*n)++] = x;
	return 0;
}

int list_add_unique_int(int *v, int *n, int x, const char *item, char *err, size_t errlen)
{
	for (int i = 0; i < *n; i++)
		if (v[i] == x)
			return seterr(err, errlen, "'%s' given twice", item);
	v[(*n)++] = x;
	return 0;
}

int list_parse_range(const char *item, unsigned *lo, unsigned *hi)
{
	char buf[64], *dash;

	if (strlen(item) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", item);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_uint(buf, lo) || (dash && parse_uint(dash + 1, hi)))
		return -1;
	if (!dash)
		*hi = *lo;
	return 0;
}
