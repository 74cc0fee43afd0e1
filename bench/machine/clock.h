/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_CLOCK_H
#define UFFDBENCH_CLOCK_H

/*
 * What the guest's clock counts.  Under qemu's `-icount shift=0,sleep=off`
 * one nanosecond of the guest's clock is one guest instruction, so every
 * "ns" uffdbench measures there is an instruction count; scripts/kernel-ab
 * says so on the kernel command line (uffdbench.clock=icount).  Everywhere
 * else the clock is the wall clock.  Results carry the clock ("clock") so
 * that nothing downstream mistakes instructions for nanoseconds.
 */
#include <stdbool.h>

enum bench_clock { CLOCK_WALL, CLOCK_ICOUNT };

/* $UFFDBENCH_CLOCK, else uffdbench.clock= on /proc/cmdline, else wall;
 * a value other than icount or wall: -1 with err filled. */
int bench_clock_detect(enum bench_clock *out, char *err, unsigned errlen);
/* The clock this process measures with (detected once; wall when unknown). */
enum bench_clock bench_clock(void);
const char *bench_clock_name(enum bench_clock c);
/* "icount" -> CLOCK_ICOUNT, "wall" -> CLOCK_WALL; false for anything else. */
bool bench_clock_parse(const char *s, enum bench_clock *out);
/* The unit of a time per page: "instructions" or "ns". */
const char *bench_clock_unit(enum bench_clock c);

#endif
