/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STOPSIG_H
#define UFFDBENCH_STOPSIG_H

/*
 * SIGINT and SIGTERM as a request to stop at the next safe point (between
 * rounds, cells, operations), so what finished is kept and everything is put
 * back.  A second signal calls on_second_signal (async-signal-safe: the
 * callers pass hugepages_restore, which puts the pools back) and exits at
 * once.
 */
void stop_signals_install(void (*on_second_signal)(void));
/* The signal that asked to stop, or 0. */
int stop_requested(void);
/* The flag itself, for threads that poll it with __atomic loads. */
int *stop_flag(void);

#endif
