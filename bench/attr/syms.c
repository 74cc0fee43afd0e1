// SPDX-License-Identifier: MIT
/*
 * Symbol tables for attribution: /proc/kallsyms or `nm` output, text symbols
 * only, sorted by address.  An address belongs to the last symbol at or
 * below it: kallsyms has no sizes, and the kernel's text is dense.
 */
#include "attr/attr.h"
#include "core/alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static bool is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static void sym_add(struct attr_syms *t, uint64_t addr, const char *name)
{
	struct attr_sym *s;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->s = xrealloc(t->s, t->cap, sizeof(*t->s));
	}
	s = &t->s[t->n++];
	s->addr = addr;
	s->name = xstrdup(name);
	s->thunk = !strncmp(name, "__x86_indirect_", 15) && strstr(name, "thunk");
	s->ret_thunk = strlen(name) >= 12 && !strcmp(name + strlen(name) - 12, "return_thunk");
}

/* __x86_indirect_thunk_array: the label of the first thunk (rax), not a function */
static bool is_array(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && !strcmp(name + n - 6, "_array");
}

static int sym_cmp(const void *a, const void *b)
{
	const struct attr_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* aliases: a thunk's name wins, a name that is not an array's, then name order */
	if (x->thunk != y->thunk)
		return x->thunk ? -1 : 1;
	if (is_array(x->name) != is_array(y->name))
		return is_array(x->name) ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Keep one symbol per address (the first after sorting). */
static void dedup(struct attr_syms *t)
{
	size_t w = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (w && t->s[w - 1].addr == t->s[i].addr) {
			free(t->s[i].name);
			continue;
		}
		t->s[w++] = t->s[i];
	}
	t->n = w;
}

int attr_syms_load(struct attr_syms *t, const char *path, char *err, size_t errlen)
{
	char line[1024], name[512], type;
	unsigned long long addr;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %511s", &addr, &type, name) != 3 || !is_text(type) || !addr)
			continue;
		sym_add(t, addr, name);
	}
	fclose(f);
	if (!t->n) {
		snprintf(err, errlen, "%s: no text symbols (kallsyms or nm lines)", path);
		return -1;
	}
	qsort(t->s, t->n, sizeof(*t->s), sym_cmp);
	dedup(t);
	return 0;
}

void attr_syms_free(struct attr_syms *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i].name);
	free(t->s);
	memset(t, 0, sizeof(*t));
}

const struct attr_sym *attr_syms_find(const struct attr_syms *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;

	if (!t->n || addr < t->s[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->s[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &t->s[lo];
}
