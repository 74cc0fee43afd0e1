// SPDX-License-Identifier: MIT
/*
 * help_print(): a command's --help from its struct cli_help: the head, the
 * option table as a list, the tail.  "{ioctls}" in any of them becomes the
 * names of the ioctl table ("{fault-ioctls}": those that resolve faults),
 * wrapped.  Apart from help.c, which needs the table of commands in main.c,
 * so that each command (and each test linking one) can print its help alone.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "ioctls/ioctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HELP_COLS 79
#define HELP_LABEL_MAX 22	/* an option's text starts at most here */

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
	return UOP_ALL;
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

/* The names of a placeholder, wrapped from *col. */
static void put_names(FILE *f, const struct help_list *l, size_t indent, size_t *col)
{
	unsigned mask = l->mask();

	for (int op = 0; op < UOP_NR; op++) {
		char w[64];

		if (!(mask & (1u << op)))
			continue;
		snprintf(w, sizeof(w), "%s%s", uop_name(op), mask >> (op + 1) ? "," : "");
		put_words(f, w, strlen(w), indent, col);
	}
}

/* Text of one line from *col, placeholders expanded, wrapped under indent. */
static void put_text(FILE *f, const char *s, size_t len, size_t indent, size_t *col)
{
	const struct help_list *l;
	const char *at;

	while ((at = find_tag(s, len, &l))) {
		put_words(f, s, at - s, indent, col);
		put_names(f, l, indent, col);
		len -= at + strlen(l->tag) - s;
		s = at + strlen(l->tag);
	}
	put_words(f, s, len, indent, col);
}

/* Free text (head, tail): lines as written, a line with a placeholder wrapped. */
static void print_text(FILE *f, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		const struct help_list *l;
		const char *at = find_tag(text, len, &l);

		if (at) {
			size_t col = at - text;

			fprintf(f, "%.*s", (int)col, text);
			put_text(f, at, text + len - at, col, &col);
			fputc('\n', f);
		} else {
			fprintf(f, "%.*s%s", (int)len, text, nl ? "\n" : "");
		}
		text += len + (nl != NULL);
	}
}

static size_t label_len(const struct cli_opt *o)
{
	return 2 + 2 + strlen(o->name) + (o->arg ? 1 + strlen(o->arg) : 0);
}

/* Where the options' texts start: after the longest label that fits. */
static size_t text_column(const struct cli_opt *opts)
{
	size_t w = strlen("  -h, --help");

	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (!(o->flags & CLI_HIDDEN) && label_len(o) <= HELP_LABEL_MAX - 2 &&
		    label_len(o) > w)
			w = label_len(o);
	return w + 2;
}

/* "[def]" at the right end of the line, or of a line of its own. */
static void put_default(FILE *f, const char *def, size_t indent, size_t col)
{
	size_t n = strlen(def) + 2;

	if (indent + n > HELP_COLS) {	/* too long for a column: words, wrapped */
		char w[256];

		snprintf(w, sizeof(w), "[%s]", def);
		put_words(f, w, strlen(w), indent, &col);
		return;
	}
	if (col + 1 + n > HELP_COLS)
		col = fprintf(f, "\n%*s", (int)indent, "") - 1;
	fprintf(f, "%*s[%s]", (int)(HELP_COLS - col - n), "", def);
}

static void print_opt(FILE *f, const char *name, const char *arg, const char *help,
		      const char *def, size_t indent)
{
	size_t col = fprintf(f, "  --%s%s%s", name, arg ? " " : "", arg ? arg : "");

	if (col + 2 > indent)
		col = fprintf(f, "\n") - 1;
	col += fprintf(f, "%*s", (int)(indent - col), "");
	while (help && *help) {
		size_t len = strcspn(help, "\n");

		put_text(f, help, len, indent, &col);
		help += len;
		if (*help && help[1]) {
			col = fprintf(f, "\n%*s", (int)indent, "") - 1;
			help++;
		} else if (*help) {
			help++;
		}
	}
	if (def)
		put_default(f, def, indent, col);
	fputc('\n', f);
}

static void print_opts(FILE *f, const struct cli_opt *opts)
{
	size_t indent = text_column(opts);

	for (const struct cli_opt *o = opts; o->name; o++)
		if (!(o->flags & CLI_HIDDEN))
			print_opt(f, o->name, o->arg, o->help, o->def, indent);
	fprintf(f, "  -h, --help%*s%s\n", (int)(indent - strlen("  -h, --help")), "",
		"this text");
}

void help_print(FILE *f, const struct cli_help *h)
{
	print_text(f, h->head);
	if (h->opts) {
		print_opts(f, h->opts);
		if (h->tail)
			fputc('\n', f);
	}
	print_text(f, h->tail);
}
