// SPDX-License-Identifier: MIT
#include "core/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void __attribute__((noreturn)) out_of_memory(void)
{
	static const char msg[] = "uffdbench: out of memory\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say it with */
	}
	abort();
}

static void *checked(void *p)
{
	if (!p)
		out_of_memory();
	return p;
}

void *xmalloc(size_t n)
{
	return checked(malloc(n ? n : 1));
}

void *xrealloc(void *p, size_t n, size_t size)
{
	if (n && size > (size_t)-1 / n)
		out_of_memory();
	return checked(realloc(p, (n ? n : 1) * size));
}

void *xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size));
}

void *xaligned_alloc(size_t align, size_t n)
{
	size_t len = n ? (n + align - 1) / align * align : align;

	if (len < n)
		out_of_memory();
	return checked(aligned_alloc(align, len));
}

char *xstrdup(const char *s)
{
	return checked(strdup(s ? s : ""));
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
