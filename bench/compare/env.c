// SPDX-License-Identifier: MIT
/*
 * What differs between the two machines besides the timings: every env.json
 * field but the ones that differ between any two runs (dates, host, command
 * line of the run, kernel release).  Mitigations and the CPU model get a
 * warning: either can explain a change on its own.
 */
#include "compare/compare.h"

#include <stdlib.h>
#include <string.h>

struct leaf {
	char *path;
	json_t *v;
};

/* Fields that differ between any two runs, and say nothing about the kernel. */
static bool ignored(const char *path)
{
	static const char *const paths[] = {
		"schema", "kernel.release", "kernel.version", "date", "command", "cwd",
		"hostname", "memory.available_bytes",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!strcmp(path, paths[i]))
			return true;
	return false;
}

static bool scalar_array(json_t *v)
{
	json_t *e;
	size_t i;

	json_array_foreach(v, i, e)
		if (json_is_object(e) || json_is_array(e))
			return false;
	return true;
}

static void add_leaf(struct leaf **l, size_t *n, const char *path, json_t *v)
{
	if (ignored(path))
		return;
	*l = xrealloc(*l, *n + 1, sizeof(**l));
	(*l)[*n].path = xstrdup(path);
	(*l)[(*n)++].v = v;
}

static void flatten(json_t *v, const char *prefix, struct leaf **l, size_t *n)
{
	const char *k;
	char *path;
	json_t *e;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			path = xasprintf("%s%s%s", prefix, *prefix ? "." : "", k);
			flatten(e, path, l, n);
			free(path);
		}
		return;
	}
	if (!json_is_array(v) || scalar_array(v)) {
		add_leaf(l, n, prefix, v);
		return;
	}
	json_array_foreach(v, i, e) {
		path = xasprintf("%s[%zu]", prefix, i);
		flatten(e, path, l, n);
		free(path);
	}
}

static int leaf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct leaf *)a)->path, ((const struct leaf *)b)->path);
}

static char *text(json_t *v)
{
	char *s;

	if (!v)
		return NULL;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!s)
		abort();
	return s;
}

/* The words of a string or of an array of strings, in a fresh array. */
static json_t *words(json_t *v)
{
	json_t *w = json_array(), *e;
	char *copy, *save = NULL, *tok;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			json_array_append_new(w, json_string(json_is_string(e) ?
							     json_string_value(e) : "?"));
		return w;
	}
	copy = xstrdup(json_string_value(v));
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		json_array_append_new(w, json_string(tok));
	free(copy);
	return w;
}

static bool has_word(json_t *w, const char *s)
{
	json_t *e;
	size_t i;

	json_array_foreach(w, i, e)
		if (!strcmp(json_string_value(e), s))
			return true;
	return false;
}

/* Words of a not in b, space-separated. */
static char *minus(json_t *a, json_t *b)
{
	char *out = xstrdup(""), *t;
	json_t *e;
	size_t i;

	json_array_foreach(a, i, e) {
		if (has_word(b, json_string_value(e)))
			continue;
		t = xasprintf("%s%s%s", out, *out ? " " : "", json_string_value(e));
		free(out);
		out = t;
	}
	return out;
}

/* Word lists (cpu flags, the kernel command line) are shown as what changed. */
static bool wordy(json_t *a, json_t *b)
{
	if (json_is_array(a) && json_is_array(b))
		return true;
	return json_is_string(a) && json_is_string(b) &&
	       (strlen(json_string_value(a)) > 60 || strlen(json_string_value(b)) > 60) &&
	       strchr(json_string_value(a), ' ') && strchr(json_string_value(b), ' ');
}

static bool mitigation_words(const char *s)
{
	static const char *const pat[] = { "mitigation", "spectre", "retbleed", "pti", "ibrs" };

	for (size_t i = 0; s && i < sizeof(pat) / sizeof(pat[0]); i++)
		if (strstr(s, pat[i]))
			return true;
	return false;
}

static enum cmp_envwarn classify(const struct cmp_envdiff *d)
{
	if (!strncmp(d->path, "vulnerabilities", 15) || !strcmp(d->path, "retpolines"))
		return CMP_ENV_MITIGATIONS;
	if (!strcmp(d->path, "kernel.cmdline") &&
	    (mitigation_words(d->base) || mitigation_words(d->new)))
		return CMP_ENV_MITIGATIONS;
	if (!strcmp(d->path, "cpu.model"))
		return CMP_ENV_CPU;
	return CMP_ENV_NOTE;
}

static void add_diff(struct cmp_result *r, const char *path, json_t *a, json_t *b)
{
	struct cmp_envdiff *d;

	if (a && b && json_equal(a, b))
		return;
	r->env = xrealloc(r->env, r->nr_env + 1, sizeof(*d));
	d = &r->env[r->nr_env++];
	memset(d, 0, sizeof(*d));
	d->path = xstrdup(path);
	if (a && b && wordy(a, b)) {
		json_t *wa = words(a), *wb = words(b);

		d->words = true;
		d->base = minus(wa, wb);
		d->new = minus(wb, wa);
		json_decref(wa);
		json_decref(wb);
	} else {
		d->base = text(a);
		d->new = text(b);
	}
	d->warn = classify(d);
}

static void free_leaves(struct leaf *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].path);
	free(l);
}

static void env_warnings(struct cmp_result *r)
{
	char mit[256] = "";
	size_t off = 0;
	bool cpu = false;

	for (size_t i = 0; i < r->nr_env; i++) {
		if (r->env[i].warn == CMP_ENV_CPU)
			cpu = true;
		if (r->env[i].warn != CMP_ENV_MITIGATIONS)
			continue;
		appendf(mit, sizeof(mit), &off, "%s%s", off ? ", " : "", r->env[i].path);
	}
	if (off)
		cmp_warn(r, "CPU vulnerability mitigations differ (%s): could explain the "
			 "result (an indirect call costs far more behind a retpoline)", mit);
	if (cpu)
		cmp_warn(r, "the CPU model differs: could explain the result; only ratios "
			 "measured on one machine mean much");
}

void cmp_env_diff(struct cmp_result *r)
{
	struct leaf *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;

	if (!r->base->env || !r->new->env) {
		snprintf(r->env_note, sizeof(r->env_note), "env.json absent in %s: environment "
			 "not compared", !r->base->env ? r->base->path : r->new->path);
		return;
	}
	r->env_compared = true;
	flatten(r->base->env, "", &a, &na);
	flatten(r->new->env, "", &b, &nb);
	if (na)		/* qsort(NULL, 0) is undefined: an env.json of ignored fields */
		qsort(a, na, sizeof(*a), leaf_cmp);
	if (nb)
		qsort(b, nb, sizeof(*b), leaf_cmp);
	while (i < na || j < nb) {
		int d = i == na ? 1 : j == nb ? -1 : strcmp(a[i].path, b[j].path);

		if (d < 0) {
			add_diff(r, a[i].path, a[i].v, NULL);
			i++;
		} else if (d > 0) {
			add_diff(r, b[j].path, NULL, b[j].v);
			j++;
		} else {
			add_diff(r, a[i].path, a[i].v, b[j].v);
			i++, j++;
		}
	}
	free_leaves(a, na);
	free_leaves(b, nb);
	env_warnings(r);
}
