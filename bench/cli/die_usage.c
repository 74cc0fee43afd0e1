// SPDX-License-Identifier: MIT
/*
 * die_usage(): bad input found while parsing a command's options.  Only
 * bench/cli/ exits; everything below it returns its errors (HACKING.md).
 */
#include "cli/commands.h"
#include "core/common.h"

#include <stdarg.h>
#include <stdlib.h>

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verrmsg(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}
