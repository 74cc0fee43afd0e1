/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STRESS_DRAINER_H
#define UFFDBENCH_STRESS_DRAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/wait.h>

/* A second process that takes every free huge page of one size on command. */
struct drainer {
	pid_t pid;
	int cmd, ack;
	long held;	/* pages it holds now */
};

int drainer_start(struct drainer *d, size_t huge_size);	/* 0 or -errno */
int drainer_tell(struct drainer *d, bool drain);		/* 0, or -1: it is gone */
void drainer_close(struct drainer *d);		/* tells it to go (close every one first) */
void drainer_stop(struct drainer *d);		/* closes, waits: it has given them back */

#endif
