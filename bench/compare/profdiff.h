/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_COMPARE_PROFDIFF_H
#define UFFDBENCH_COMPARE_PROFDIFF_H

/*
 * Two sides' kernel profiles (perf report --stdio -n --sort sym, as
 * scripts/profile and kernel-ab --profile keep them) set against each other:
 * each kernel symbol's share of its side's kernel samples, the difference in
 * percentage points, and the binomial sampling noise of that difference.
 */
#include <stddef.h>
#include <stdio.h>

struct pd_opts {
	unsigned top;			/* rows printed, largest moves first */
	const char *base_name, *new_name;	/* column titles */
};

/*
 * Read the base files and the new files (samples summed per side) and print
 * the table; 0, or -1 with err ("FILE:LINE: why", or a side without kernel
 * samples) and nothing printed.
 */
int pd_run(FILE *f, char *const *base, int nbase, char *const *news, int nnew,
	   const struct pd_opts *o, char *err, size_t errlen);

#endif
