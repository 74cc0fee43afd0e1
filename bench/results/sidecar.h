/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_SIDECAR_H
#define UFFDBENCH_SIDECAR_H

#include "machine/caps.h"

#include <jansson.h>

/*
 * Write obj to dir/name atomically: dir/.name.tmp, fsync, rename.
 * 0 or -errno.
 */
int json_write_atomic(const char *dir, const char *name, json_t *obj);

/* env.json (env_capture of argv) and caps.json (caps) into dir; 0 or -errno. */
int results_write_env_caps(const char *dir, const struct caps *caps, int argc, char **argv);

#endif
