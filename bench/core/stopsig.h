/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STOPSIG_H
#define UFFDBENCH_STOPSIG_H

/*
 * SIGINT and SIGTERM as a request to stop at the next safe point (between
 * rounds, cells, operations), so what finished is kept and everything is put
 * back; a second signal restores the hugepage pools and exits at once.
 */
void stop_signals_install(void);
/* The signal that asked to stop, or 0. */
int stop_requested(void);
/* The flag itself, for threads that poll it with __atomic loads. */
int *stop_flag(void);

#endif
