/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_SIGBUS_H
#define UFFDBENCH_SIGBUS_H

/*
 * Read one byte and report whether it raised SIGBUS (a poison marker, a
 * hole past the end of a file): 1 if it did, 0 if the read worked, -errno
 * if the handler could not be installed.  Thread-safe; the handler is
 * installed only while some thread is probing, and a SIGBUS outside a probe
 * still kills the process as before.
 */
int sigbus_probe(const volatile char *addr);

#endif
