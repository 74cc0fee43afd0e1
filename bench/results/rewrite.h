/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_REWRITE_H
#define UFFDBENCH_RESULTS_REWRITE_H

/*
 * Results directories rewritten into new ones, through the reader every tool
 * shares (results/read.h), so what is written was checked first: merge
 * (every line of several directories into one, "repeat" renumbered so the
 * sources stay apart) and split (one directory into parts by a field).
 * Nothing is written over: a destination that holds results is refused, and
 * a failure takes back what was made.
 */
#include <stddef.h>
#include <stdio.h>

/*
 * dst/results.jsonl from the lines of srcs[0..n): the lines of source k get
 * "repeat" = index[k] * R + their repeat, R = 1 + the largest repeat of any
 * source (index NULL: index[k] = k).  env.json and caps.json are copied from
 * the first source that has them.  0, or -1 with err.
 */
int rw_merge(const char *dst, char *const *srcs, const unsigned *index, int n,
	     char *err, size_t errlen);

enum rw_split_by {
	RW_BY_PARITY,	/* PREFIXeven, PREFIXodd; repeats 2j and 2j+1 become j */
	RW_BY_INJECT,	/* PREFIX<inject_ns>, "inject_ns" set to 0 */
};

/*
 * The parts of src by by, each a directory named prefix + part with
 * env.json and caps.json copied in; their paths (one a line) on out.
 * 0, or -1 with err and nothing left behind.
 */
int rw_split(const char *src, const char *prefix, enum rw_split_by by, FILE *out,
	     char *err, size_t errlen);

#endif
