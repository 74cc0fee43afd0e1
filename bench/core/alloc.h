/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_ALLOC_H
#define UFFDBENCH_ALLOC_H

/*
 * Allocation for the readers and analysis (compare, plot, results): out of
 * memory there is nothing useful left to report, so these abort rather than
 * make every caller carry an error path.  The measuring code never uses them.
 */
#include <stddef.h>

/* realloc to n elements of size (at least one). */
void *xrealloc(void *p, size_t n, size_t size);
/* calloc of n elements of size (at least one). */
void *xcalloc(size_t n, size_t size);
/* strdup; NULL gives "". */
char *xstrdup(const char *s);

#endif
