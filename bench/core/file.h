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

/*
 * mkdir -p that remembers what it made, so a command that then fails can
 * take back exactly that (never a directory that was there before, never
 * one holding anything): deepest first, rmdir only.
 */
#define MADE_DIRS_MAX 32

struct made_dirs {
	char *dir[MADE_DIRS_MAX];	/* in the order made: parents first */
	size_t n;
};

/* 0, or -errno with anything made on the way taken back. */
int mkdir_p_made(const char *path, struct made_dirs *m);
/* mkdir of one directory, remembered: 0 or -errno (EEXIST included). */
int mkdir_made(const char *path, struct made_dirs *m);
/* rmdir what m made, deepest first, and forget it. */
void made_dirs_undo(struct made_dirs *m);
/* Forget what m made (it stays). */
void made_dirs_keep(struct made_dirs *m);

#endif
