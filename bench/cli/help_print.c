// SPDX-License-Identifier: MIT
/*
 * help_print(): a command's --help text with "{ioctls}" replaced by the
 * ioctl table's names, wrapped.  Apart from help.c, which needs the table of
 * commands in main.c, so that each command (and each test linking one) can
 * print its help alone.
 */
#include "cli/commands.h"
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

/* One line holding "{ioctls}": the names, then the rest of the line, wrapped. */
static void expand_line(FILE *f, const char *line, size_t len, const char *at)
{
	size_t col = at - line, indent = col;
	const char *rest = at + strlen("{ioctls}");

	fprintf(f, "%.*s", (int)col, line);
	for (int op = 0; op < UOP_NR; op++) {
		char w[64];

		snprintf(w, sizeof(w), "%s%s", uop_name(op), op + 1 < UOP_NR ? "," : "");
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
		const char *at = memmem(text, len, "{ioctls}", 8);

		if (at)
			expand_line(f, text, len, at);
		else
			fprintf(f, "%.*s%s", (int)len, text, nl ? "\n" : "");
		text += len + (nl != NULL);
	}
}
