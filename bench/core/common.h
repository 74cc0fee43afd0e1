/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMMON_H
#define UFFDBENCH_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Exit status, for every subcommand:
 *   0  everything asked for ran (skipped cells are fine: they say why)
 *   1  a measured result is bad (a failed cell; a regression in compare)
 *   2  bad input or a machine that cannot run what was asked
 */
/* EXIT_UNDECIDED: compare could not tell (more repeats would). */
enum { EXIT_OK = 0, EXIT_BAD_RESULT = 1, EXIT_USAGE = 2, EXIT_UNDECIDED = 3 };

#define CACHELINE 64
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One-line "uffdbench: ..." message on stderr. */
void __attribute__((format(printf, 1, 2))) errmsg(const char *fmt, ...);
void __attribute__((format(printf, 1, 0))) verrmsg(const char *fmt, va_list ap);

/*
 * Flush and close stdout once (later calls: 0): 0 when every byte written to
 * it got there, or -errno of the failed write (-EIO when an earlier write
 * failed and its reason is gone).  A stdout closed by the caller (>&-) with
 * nothing written to it is fine.
 */
int stdout_close(void);
/* fflush(stdout), the first failure's errno kept for stdout_close(): 0 or -errno. */
int stdout_flush(void);

uint64_t now_ns(void);

/* Parse "4096", "64k", "2M", "1G" (powers of two); 0 on success, -1 on bad input. */
int parse_size(const char *s, size_t *out);
/* Parse a non-negative integer that fits in unsigned; 0 or -1. */
int parse_uint(const char *s, unsigned *out);
/* errno as its symbolic name ("EINVAL"), never NULL. */
const char *errno_name(int err);
/* Read a small sysfs/procfs file into buf with trailing newline removed; -errno. */
int read_text_file(const char *path, char *buf, size_t len);
int write_text_file(const char *path, const char *text);
/* As write_text_file, O_TRUNC: sysfs/procfs ignore it, a regular file needs it. */
int write_text_file_trunc(const char *path, const char *text);
/* MemAvailable from /proc/meminfo, MiB (0 if unreadable). */
unsigned long mem_available_mib(void);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path);
/*
 * A comma list with an empty item ("", "a,", ",a", "a,,b"): strtok would
 * skip it silently, so every list parser asks this first.
 */
bool list_has_empty_item(const char *list);
/*
 * printf at buf + *off, to build a string in pieces: it truncates at the end
 * of buf (len bytes) instead of writing past it, *off stops at len - 1, and
 * buf stays a string, however long the pieces.  `off += snprintf(buf + off,
 * len - off, ...)` does not: once a piece is cut, off passes len and the
 * next len - off is a huge size_t.  Returns buf.
 */
char *__attribute__((format(printf, 4, 5))) appendf(char *buf, size_t len, size_t *off,
						    const char *fmt, ...);
/* Format a one-line error into err (if any); returns -1 for `return seterr(...)`. */
int __attribute__((format(printf, 3, 4))) seterr(char *err, size_t len, const char *fmt, ...);

#endif
