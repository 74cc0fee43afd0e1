/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_RESULTS_CHECK_H
#define UFFDBENCH_RESULTS_CHECK_H

#include "results/read.h"

#include <jansson.h>
#include <stddef.h>

/* No round takes 1000 s a page (or an ioctl): beyond, a corrupt number. */
#define RR_MAX_NS 1e12
/* Nor a machine a trillion pages a second. */
#define RR_MAX_PAGES_PER_S 1e12

/*
 * The "summary" of an ok cell's line o against its rounds (c, already read):
 * absent is fine (readers derive it); present, every statistic it gives must
 * be a number that agrees with the rounds (to the 10 digits a line keeps).
 * 0, or -1 with err "where: ...".
 */
int rr_check_summary(json_t *o, const struct rr_cell *c, const char *where, char *err,
		     size_t len);

#endif
