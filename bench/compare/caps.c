// SPDX-License-Identifier: MIT
/*
 * Functional differences: what each (memtype, register mode, ioctl) returned
 * in caps.json, BASE against NEW.  A change there ("ok -> EINVAL") means the
 * kernels behave differently whatever their speed, so those cells' timings
 * are not compared.
 */
#include "compare/compare.h"

#include <stdlib.h>
#include <string.h>

/* What one caps.json entry did: "ok", "EINVAL", "register EINVAL"; NULL if not probed. */
static char *outcome(json_t *e)
{
	const char *reg = json_string_value(json_object_get(e, "register"));
	const char *res = json_string_value(json_object_get(e, "result"));
	char *s;

	if (json_object_get(e, "unavailable") || !reg)
		return NULL;
	if (strcmp(reg, "ok")) {
		s = xasprintf("register %s", reg);
		return s;
	}
	return xstrdup(res ? res : "?");
}

static bool entry_is(json_t *e, const char *memtype, const char *mode, const char *ioctl)
{
	const char *m = json_string_value(json_object_get(e, "memtype"));
	const char *md = json_string_value(json_object_get(e, "mode"));
	const char *io = json_string_value(json_object_get(e, "ioctl"));

	return m && md && io && !strcmp(m, memtype) && !strcmp(md, mode) && !strcmp(io, ioctl);
}

static json_t *find_entry(json_t *entries, json_t *like)
{
	const char *m = json_string_value(json_object_get(like, "memtype"));
	const char *md = json_string_value(json_object_get(like, "mode"));
	const char *io = json_string_value(json_object_get(like, "ioctl"));
	json_t *e;
	size_t i;

	if (!m || !md || !io)
		return NULL;
	json_array_foreach(entries, i, e)
		if (entry_is(e, m, md, io))
			return e;
	return NULL;
}

static void caps_entry(struct cmp_result *r, json_t *eb, json_t *en, size_t *unprobed)
{
	char *ob = outcome(eb), *on = en ? outcome(en) : NULL;
	struct cmp_capdiff *d;

	if (!ob || !on || !strcmp(ob, on)) {
		*unprobed += !ob || !on;
		free(ob);
		free(on);
		return;
	}
	r->caps = xrealloc(r->caps, r->nr_caps + 1, sizeof(*d));
	d = &r->caps[r->nr_caps++];
	d->memtype = xstrdup(json_string_value(json_object_get(eb, "memtype")));
	d->mode = xstrdup(json_string_value(json_object_get(eb, "mode")));
	d->ioctl = xstrdup(json_string_value(json_object_get(eb, "ioctl")));
	d->base = ob;
	d->new = on;
}

void cmp_caps_diff(struct cmp_result *r)
{
	json_t *eb, *en, *e;
	size_t i, unprobed = 0;

	if (!r->base->caps || !r->new->caps) {
		snprintf(r->caps_note, sizeof(r->caps_note), "caps.json absent in %s: "
			 "capabilities not compared", !r->base->caps ? r->base->path : r->new->path);
		return;
	}
	eb = json_object_get(r->base->caps, "entries");
	en = json_object_get(r->new->caps, "entries");
	if (!json_is_array(eb) || !json_is_array(en)) {
		snprintf(r->caps_note, sizeof(r->caps_note), "caps.json without \"entries\" in "
			 "%s: capabilities not compared",
			 !json_is_array(eb) ? r->base->path : r->new->path);
		return;
	}
	r->caps_compared = true;
	json_array_foreach(eb, i, e)
		caps_entry(r, e, find_entry(en, e), &unprobed);
	json_array_foreach(en, i, e)
		unprobed += !find_entry(eb, e);
	if (unprobed)
		snprintf(r->caps_note, sizeof(r->caps_note), "%zu entr%s not probed on both sides "
			 "(memory type unavailable there, or absent): not compared", unprobed,
			 unprobed == 1 ? "y" : "ies");
}

const struct cmp_capdiff *cmp_caps_find(const struct cmp_result *r, const struct cmp_key *k)
{
	for (size_t i = 0; i < r->nr_caps; i++) {
		const struct cmp_capdiff *d = &r->caps[i];

		if (!strcmp(d->memtype, k->memtype) && !strcmp(d->mode, k->mode) &&
		    !strcmp(d->ioctl, k->ioctl))
			return d;
	}
	return NULL;
}
