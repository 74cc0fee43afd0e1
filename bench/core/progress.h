/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_PROGRESS_H
#define UFFDBENCH_PROGRESS_H

/*
 * Progress of a long loop ("cell 17/96, 2:41 elapsed, ~5:10 left") as one
 * line on stderr, rewritten in place and cleared at the end, only when
 * stderr is a terminal (and not TERM=dumb) and not quiet; otherwise it
 * prints nothing, so piped output never holds escape codes.  The time left
 * scales the a-priori estimate of the remaining work by how long the work
 * done so far really took.
 */
#include <stdbool.h>
#include <stdio.h>

struct progress {
	bool on;		/* stderr is a terminal, not quiet */
	unsigned total;
	double work_total;	/* a-priori estimate, seconds */
	double work_done;	/* estimate of what finished */
	double start;		/* monotonic seconds */
	FILE *f;
};

void progress_init(struct progress *p, unsigned total, double work_total, bool quiet);
/* Before step done+1 (from 0) begins; what names it ("anon/copy/b1/t1"). */
void progress_show(struct progress *p, unsigned done, const char *what);
/* Step finished: its a-priori estimate joins the work done. */
void progress_step(struct progress *p, double work);
/* Erase the line. */
void progress_clear(struct progress *p);
/* "1:05:07", "5:10", "0:42" */
const char *progress_hms(double seconds, char *buf, size_t len);
/* Whether f is a terminal progress may draw on. */
bool progress_tty(FILE *f);

#endif
