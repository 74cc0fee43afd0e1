// SPDX-License-Identifier: MIT
/*
 * What every stress thread shares: its reproducible random sequence
 * (xorshift64*, seeded from --seed and the thread's slot), random pauses,
 * and whether the run is stopping.
 */
#include "stress/stress.h"

#include <time.h>

uint64_t stress_rand(struct stress_thread *t)
{
	uint64_t x = t->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	t->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint64_t stress_below(struct stress_thread *t, uint64_t n)
{
	return n ? stress_rand(t) % n : 0;
}

bool stress_stopping(const struct stress_thread *t)
{
	return __atomic_load_n(&t->c->stop, __ATOMIC_RELAXED) ||
	       __atomic_load_n(t->c->signal, __ATOMIC_RELAXED);
}

void stress_pause_us(struct stress_thread *t, unsigned max_us)
{
	struct timespec ts = { 0, 1000 * (long)stress_below(t, max_us + 1) };

	if (max_us)
		nanosleep(&ts, NULL);
}
