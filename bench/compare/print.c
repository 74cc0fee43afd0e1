// SPDX-License-Identifier: MIT
/*
 * cmp_print: the dispatch to one output format.  It lives apart from the
 * pieces the formats share (compare/fmt.c), so no format includes its caller.
 */
#include "compare/compare.h"

#include <stdio.h>

void cmp_print(FILE *f, const struct cmp_result *r, size_t nr, const struct cmp_opts *o,
	       int status)
{
	switch (o->format) {
	case CMP_JSON:
		cmp_print_json(f, r, nr, o, status);
		return;
	case CMP_CSV:
		cmp_print_csv(f, r, nr);
		return;
	case CMP_MARKDOWN:
		fprintf(f, "## uffdbench compare\n\n");
		cmp_print_method(f, o, "");
		for (size_t i = 0; i < nr; i++)
			cmp_print_markdown(f, &r[i], o);
		return;
	case CMP_TEXT:
		fprintf(f, "uffdbench compare\n");
		cmp_print_method(f, o, "  ");
		for (size_t i = 0; i < nr; i++)
			cmp_print_text(f, &r[i], o);
		return;
	}
}
