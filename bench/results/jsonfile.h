/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_JSONFILE_H
#define UFFDBENCH_RESULTS_JSONFILE_H

/*
 * The JSON files the scripts keep beside the results (kernel-ab's boot.json
 * and runner.json, kernel-bisect's steps.jsonl, fleet.json) and env.json,
 * read and written for them by `uffdbench json`, so that no script takes
 * JSON apart with sed or awk.
 */
#include <jansson.h>
#include <stdio.h>

/* The largest file read: a results.jsonl's (256 MiB). */
#define JF_MAX_FILE (256 << 20)

/*
 * The objects of path in order, as a JSON array: one document (env.json,
 * indented) or one a line (JSON lines).  NULL with err ("FILE:LINE: why")
 * when it is not a regular file, holds anything but objects, or is malformed.
 */
json_t *jf_load(const char *path, char *err, size_t errlen);

/*
 * The value at a dotted path ("kernel.release") of o, as a shell reads it:
 * a string as is (control characters as spaces), a number exactly, true or
 * false, an object or array as compact JSON; nothing when absent or null.
 */
void jf_print_value(FILE *f, json_t *o, const char *path);

/*
 * "KEY=STRING" or "KEY:=JSON" into obj (set, replacing); 0, or -1 with err.
 * A STRING that is not UTF-8 (a console's bytes) has its non-ASCII bytes as '?'.
 */
int jf_set_arg(json_t *obj, const char *arg, char *err, size_t errlen);

#endif
