// SPDX-License-Identifier: MIT
/*
 * A busy-wait of a known length, for --inject-ns: a user-space stand-in for a
 * kernel regression of N ns per page, so compare's verdicts can be checked
 * against a delay whose size is known.  Calibrated against CLOCK_MONOTONIC
 * once per process; the calibration error is measured and reported by run.
 */
#include "workload.h"
#include "common.h"

void spin(uint64_t iters)
{
	for (uint64_t i = 0; i < iters; i++)
		__asm__ __volatile__("" ::: "memory");
}

double spin_calibrate(void)
{
	uint64_t iters = 1 << 16, t0, ns;
	double best = 0;

	/* Grow until one run takes 5 ms, then keep the fastest of 5 (least disturbed). */
	for (;;) {
		t0 = now_ns();
		spin(iters);
		ns = now_ns() - t0;
		if (ns >= 5000000)
			break;
		iters *= 2;
	}
	for (int i = 0; i < 5; i++) {
		t0 = now_ns();
		spin(iters);
		ns = now_ns() - t0;
		if (ns && (double)iters / ns > best)
			best = (double)iters / ns;
	}
	return best;
}
