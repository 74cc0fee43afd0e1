/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_SIDECAR_H
#define UFFDBENCH_SIDECAR_H

#include "machine/caps.h"
#include "results/results.h"

#include <jansson.h>

/*
 * Write obj to dir/name atomically: dir/.name.tmp, fsync, rename.
 * 0 or -errno.
 */
int json_write_atomic(const char *dir, const char *name, json_t *obj);
/* The same, but -EEXIST (and nothing written) when dir/name exists already. */
int json_write_new(const char *dir, const char *name, json_t *obj);

/*
 * env.json (env_capture of argv) and caps.json (caps) into r->dir: 0, or
 * -errno with err naming the file and why; then neither is left, and r is
 * discarded (results_discard), so a rerun into the directory is not refused.
 */
int results_write_env_caps(struct results *r, const struct caps *caps, int argc, char **argv,
			   char *err, size_t errlen);

#endif
