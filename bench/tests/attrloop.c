// SPDX-License-Identifier: MIT
/*
 * A guest loop of known length for scripts/test-attr: for each N given,
 * one window of the attribution plugin (the markers of core/attr_mark.h)
 * around two reads of the clock and attr_spin(N), which executes exactly
 * 2N + 1 instructions (dec, jnz per turn; ret).  Prints per window a results
 * line as `uffdbench attribute` reads it: memtype "loop", ioctl "spin",
 * batch = the window's index (a cell each), one round of one "page" whose wall_ns is the clock's (so the
 * per-page counts are the window's).
 *
 *   attrloop N...
 */
#include "core/attr_mark.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void attr_spin(unsigned long n);
asm(".text\n.globl attr_spin\n.type attr_spin, @function\nattr_spin:\n"
    "1:\tdec %rdi\n\tjnz 1b\n\tret\n.size attr_spin, .-attr_spin\n");

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		unsigned long n = strtoul(argv[i], NULL, 10);
		unsigned long long t0, t1;

		if (!n)
			return 2;
		attr_mark_begin();
		t0 = now();
		attr_spin(n);
		t1 = now();
		attr_mark_end();
		attr_mark_cell();
		printf("{\"memtype\":\"loop\",\"ioctl\":\"spin\",\"batch\":%d,\"threads\":1,\"status\":\"ok\","
		       "\"rounds\":[{\"wall_ns\":%llu,\"threads\":[{\"pages\":1,\"ioctls\":1}]}]}\n",
		       i, t1 - t0);
	}
	return 0;
}
