/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CAPS_H
#define UFFDBENCH_CAPS_H

#include "memtypes/memtype.h"
#include "ioctls/ioctl.h"

#include <jansson.h>
#include <stdio.h>

#define CAPS_MAX_MEMTYPES 16

struct caps_entry {
	int reg;		/* 0 or -errno */
	uint64_t reg_ioctls;	/* the mask UFFDIO_REGISTER returned */
	bool tried;		/* an ioctl was attempted (registered, and safe in this mode) */
	int result;		/* 0 or -errno of the one-page attempt */
	int64_t bytes;		/* bytes the attempt did */
};

struct caps_memtype {
	char unavailable[160];	/* why it could not be probed here, or "" */
	struct caps_entry e[REG_NR][UOP_NR];
};

struct caps {
	int api;		/* 0 or -errno: no userfaultfd at all */
	uint64_t features, api_ioctls;
	struct uffd_source src;
	int series;		/* 1 / 0 / -1 unknown */
	char series_evidence[200];
	struct caps_memtype mt[CAPS_MAX_MEMTYPES];
};

/* UFFDIO_API features the harness asks for: the page-type ones, no events. */
uint64_t caps_wanted_features(const struct caps *c);
/* Probe every memory type in mask (bit i: memtypes[i]) × mode × ioctl; the
 * others are marked "not probed".  Returns c->api. */
int caps_probe(struct caps *c, uint64_t mask);
#define CAPS_ALL (~0ull)
json_t *caps_to_json(const struct caps *c);
void caps_print(const struct caps *c, FILE *f);
/* NULL when (mt, op) runs here; else why not, in buf. */
const char *caps_skip_reason(const struct caps *c, const struct memtype_ops *mt,
			     enum uffd_op op, char *buf, size_t len);

#endif
