/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_ALLOC_H
#define UFFDBENCH_ALLOC_H

/*
 * The out-of-memory policy (HACKING.md): allocation failure aborts.  Every
 * allocation in uffdbench goes through these; each says "out of memory" on
 * stderr and calls abort() when the allocator fails, so no caller carries
 * an error path for it and no function returns -ENOMEM of its own.  A huge
 * page pool or knob a run changed is put back by the guard process (see
 * machine/hugepages.h), which outlives the abort; the results lines already
 * written stay.  jansson allocates through xmalloc() too (main.c).
 */
#include <stdarg.h>
#include <stddef.h>

/* malloc of n bytes (at least one). */
void *xmalloc(size_t n);
/* realloc to n elements of size (at least one). */
void *xrealloc(void *p, size_t n, size_t size);
/* calloc of n elements of size (at least one). */
void *xcalloc(size_t n, size_t size);
/* aligned_alloc of n bytes, rounded up to a multiple of align (at least align). */
void *xaligned_alloc(size_t align, size_t n);
/* strdup; NULL gives "". */
char *xstrdup(const char *s);
/* asprintf's string. */
char *__attribute__((format(printf, 1, 2))) xasprintf(const char *fmt, ...);
char *__attribute__((format(printf, 1, 0))) xvasprintf(const char *fmt, va_list ap);

#endif
