// SPDX-License-Identifier: MIT
/*
 * The clock a run measures with: wall, or qemu's instruction counter (see
 * clock.h).  The guest cannot see icount by itself, so it is told.
 */
#include "machine/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool bench_clock_parse(const char *s, enum bench_clock *out)
{
	if (!strcmp(s, "icount"))
		*out = CLOCK_ICOUNT;
	else if (!strcmp(s, "wall"))
		*out = CLOCK_WALL;
	else
		return false;
	return true;
}

const char *bench_clock_name(enum bench_clock c)
{
	return c == CLOCK_ICOUNT ? "icount" : "wall";
}

const char *bench_clock_unit(enum bench_clock c)
{
	return c == CLOCK_ICOUNT ? "instructions" : "ns";
}

/* The value of uffdbench.clock= on the kernel command line, into buf; false if absent. */
static bool cmdline_clock(char *buf, size_t len)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/cmdline", "re");
	bool found = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f)) {
		for (p = strtok(line, " \n"); p; p = strtok(NULL, " \n"))
			if (!strncmp(p, "uffdbench.clock=", 16)) {
				snprintf(buf, len, "%s", p + 16);
				found = true;
			}
	}
	fclose(f);
	return found;
}

int bench_clock_detect(enum bench_clock *out, char *err, unsigned errlen)
{
	const char *env = getenv("UFFDBENCH_CLOCK");
	char buf[64];

	*out = CLOCK_WALL;
	if (env && *env) {
		if (bench_clock_parse(env, out))
			return 0;
		snprintf(err, errlen, "UFFDBENCH_CLOCK=%s: wants icount or wall", env);
		return -1;
	}
	if (!cmdline_clock(buf, sizeof(buf)) || bench_clock_parse(buf, out))
		return 0;
	snprintf(err, errlen, "uffdbench.clock=%s on the kernel command line: wants icount or wall",
		 buf);
	return -1;
}

/* Any thread may ask first: the answer is the same, stored atomically. */
enum bench_clock bench_clock(void)
{
	static int cached = -1;
	int c = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
	enum bench_clock d;
	char err[160];

	if (c >= 0)
		return c;
	if (bench_clock_detect(&d, err, sizeof(err)))
		d = CLOCK_WALL;
	__atomic_store_n(&cached, (int)d, __ATOMIC_RELEASE);
	return d;
}
