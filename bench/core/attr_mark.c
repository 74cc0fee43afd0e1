// SPDX-License-Identifier: MIT
/*
 * The attribution markers (attr_mark.h).  The instruction is what the plugin
 * looks for, so it must survive: asm volatile, one per function, noinline and
 * noclone so that every call reaches exactly this code.
 */
#include "core/attr_mark.h"

/* clang has no noclone; these take no arguments, so there is nothing to clone them for */
#if defined(__clang__)
#define MARKER __attribute__((noinline))
#else
#define MARKER __attribute__((noinline, noclone))
#endif

#if defined(__x86_64__)
#define MARK(kind) asm volatile("movabs %0, %%rax" : : "i"(ATTR_MAGIC | (kind)) : "rax")
#else
#define MARK(kind) asm volatile("" : : "i"(kind))
#endif

MARKER void attr_mark_begin(void)
{
	MARK(ATTR_MARK_BEGIN);
}

MARKER void attr_mark_end(void)
{
	MARK(ATTR_MARK_END);
}

MARKER void attr_mark_cell(void)
{
	MARK(ATTR_MARK_CELL);
}
