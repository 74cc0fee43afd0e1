/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_ENV_H
#define UFFDBENCH_ENV_H

#include <stddef.h>

#include <jansson.h>

/*
 * Whether the running kernel has the vm_uffd_ops series, from /proc/kallsyms:
 * 1 it does, 0 it does not, -1 cannot tell.  evidence gets a one-line reason.
 */
int series_detect(char *evidence, size_t len);
/* {"present": true|false|null, "evidence": "..."} */
json_t *series_to_json(void);

/*
 * The whole environment object for env.json ("schema": 1).  argv is the exact
 * command line.  Unreadable fields are null.
 */
json_t *env_capture(int argc, char **argv);

#endif
