/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_CAPACITY_H
#define UFFDBENCH_FAULT_CAPACITY_H

/* capacity's points, their judgement and recommendation (bench/fault/capacity.c). */
#include "fault/session.h"

#include <jansson.h>

struct cap_point {
	const struct fault_cfg *cfg;
	enum fault_status status;
	double touches, faults, p50, p99, p999, util, late;
	double touch_p99, judged;	/* p99 of every touch; the p99 --judge looks at */
	uint64_t races;
	bool meets, oversubscribed;
};


#define CAP_MSG_LEN 512

/* The point sustains the load: touches/s reach the target (98% of it in open loop). */
bool cap_sustains(const struct cap_point *p, const struct fault_args *a);
void cap_measure(struct cap_point *pt, const struct fault_args *a, const struct fault_result *r);
/* The fewest handlers meeting the targets with f faulting threads, or NULL. */
const struct cap_point *cap_recommend(const struct cap_point *pts, unsigned n, unsigned f);
/* msgs[k]: the recommendation line for a->faulters[k]; *rec the last count's. */
void cap_conclude(char msgs[][CAP_MSG_LEN], const struct fault_args *a,
		  const struct cap_point *pts, unsigned n, unsigned all,
		  const struct cap_point **rec);
/* What this machine cannot show about the faulting-thread sweep ("" if nothing). */
void cap_machine_note(char *buf, size_t len, const struct fault_args *a, struct topo *t);
json_t *cap_capacity_json(const struct fault_args *a, const struct cap_point *pts, unsigned n,
			  const struct cap_point *rec, char msgs[][CAP_MSG_LEN], const char *note);

#endif
