// SPDX-License-Identifier: MIT
/*
 * A busy-wait of a known length, for --inject-ns: a user-space stand-in for a
 * kernel regression of N ns per page, so compare's verdicts can be checked
 * against a delay whose size is known.  It waits on the TSC, which ticks at a
 * constant rate however fast the vCPU runs at the moment (a calibrated loop
 * count drifted by up to 1.8x with the host's load here); the rate is
 * measured against CLOCK_MONOTONIC once per process, and run reports the
 * error at the lengths it will use.
 */
#include "workload.h"
#include "core/common.h"

#include <x86intrin.h>

void spin(uint64_t ticks)
{
	uint64_t t0 = __rdtsc();

	while (__rdtsc() - t0 < ticks)
		;
}

double spin_calibrate(void)
{
	uint64_t c0, t0, c1, t1;

	t0 = now_ns();
	c0 = __rdtsc();
	while (now_ns() - t0 < 20000000)
		;
	c1 = __rdtsc();
	t1 = now_ns();
	return (double)(c1 - c0) / (t1 - t0);
}

double spin_measure_ns(uint64_t ticks, unsigned reps)
{
	uint64_t t0 = now_ns();

	for (unsigned i = 0; i < reps; i++)
		spin(ticks);
	return (double)(now_ns() - t0) / reps;
}
