/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_MACHINE_IRQS_H
#define UFFDBENCH_MACHINE_IRQS_H

/*
 * Interrupts the whole machine has taken: the total of /proc/stat's "intr"
 * line.  Read just outside a timed pass, the difference is how many
 * interrupts (timer ticks above all) landed in it: under icount a pass's
 * count moves by a whole interrupt's work when one lands, and the decision
 * rule compares passes that took the same number.
 */
#include <stdint.h>

/* An fd for irqs_read(), or -errno. */
int irqs_open(void);
/* The machine's interrupts so far into *n: 0, or -errno (-ENOENT: no "intr" line). */
int irqs_read(int fd, uint64_t *n);

#endif
