/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FILE_H
#define UFFDBENCH_FILE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Open path for reading only if it is a regular file (a symlink to one is
 * fine) of at most max bytes: a FIFO would block every reader, /dev/zero
 * never ends, a directory reads as nothing.  The open itself never blocks.
 * The stream, or NULL with err "PATH: why" (errno's text, "a FIFO, not a
 * regular file", "N bytes, more than the M allowed").
 */
FILE *fopen_regular(const char *path, size_t max, char *err, size_t errlen);

/* A file's kind for such messages: "a directory", "a FIFO", "a character device"... */
const char *file_kind_name(unsigned mode);

#endif
