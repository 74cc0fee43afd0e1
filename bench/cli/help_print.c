// SPDX-License-Identifier: MIT
/*
 * help_print(): a command's --help text with "{ioctls}" replaced by the
 * ioctl table's names ("{fault-ioctls}": those that resolve faults), wrapped.  Apart from help.c, which needs the table of
 * commands in main.c, so that each command (and each test linking one) can
 * print its help alone.
 */
#include "cli/commands.h"
#include "core/common.h"
#include "ioctls/ioctl.h"

#include <stdio.h>
#include <string.h>

#define HELP_COLS 79

/* Words from s, each one space apart, from column *col; wrapped under indent. */
static void put_words(FILE *f, const char *s, size_t len, size_t indent, size_t *col)
{
	while (len) {
		size_t n = strcspn(s, " ");

		n = n < len ? n : len;
		if (n) {
			if (*col > indent && *col + 1 + n > HELP_COLS)
				*col = fprintf(f, "\n%*s", (int)indent, "") - 1;
			else if (*col > indent)
				*col += fprintf(f, " ");
			*col += fprintf(f, "%.*s", (int)n, s);
		}
		s += n + (n < len);
		len -= n + (n < len);
	}
}

static unsigned all_ops(void)
{
	return (1u << UOP_NR) - 1;
}

/* What a placeholder stands for: the names of the ioctls in mask(). */
static const struct help_list {
	const char *tag;
	unsigned (*mask)(void);
} help_lists[] = {
	{ "{ioctls}", all_ops },
	{ "{fault-ioctls}", uop_fault_ops },
};

/* The first placeholder in line, or NULL; *l says which. */
static const char *find_tag(const char *line, size_t len, const struct help_list **l)
{
	for (size_t i = 0; i < ARRAY_SIZE(help_lists); i++) {
		const char *at = memmem(line, len, help_lists[i].tag, strlen(help_lists[i].tag));

		if (at) {
			*l = &help_lists[i];
			return at;
		}
	}
	return NULL;
}

/* One line holding a placeholder: the names, then the rest of the line, wrapped. */
static void expand_line(FILE *f, const char *line, size_t len, const char *at,
			const struct help_list *l)
{
	size_t col = at - line, indent = col;
	const char *rest = at + strlen(l->tag);
	unsigned mask = l->mask();

	fprintf(f, "%.*s", (int)col, line);
	for (int op = 0; op < UOP_NR; op++) {
		char w[64];

		if (!(mask & (1u << op)))
			continue;
		snprintf(w, sizeof(w), "%s%s", uop_name(op), mask >> (op + 1) ? "," : "");
		put_words(f, w, strlen(w), indent, &col);
	}
	put_words(f, rest, line + len - rest, indent, &col);
	fputc('\n', f);
}

void help_print(FILE *f, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		const struct help_list *l;
		const char *at = find_tag(text, len, &l);

		if (at)
			expand_line(f, text, len, at, l);
		else
			fprintf(f, "%.*s%s", (int)len, text, nl ? "\n" : "");
		text += len + (nl != NULL);
	}
}
