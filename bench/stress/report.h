/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_STRESS_REPORT_H
#define UFFDBENCH_STRESS_REPORT_H

/* uffdbench stress: failures, the kernel log watch and the summary (included by stress.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct stress_ctx;
struct stress_thread;
struct srange;

/* A failure: numbers only, so fork children can record one without stdio. */
enum stress_fail_what {
	SF_WRONG_WORD,		/* a word no content of this page has */
	SF_FOREIGN,		/* a word of another page or range */
	SF_STALE,		/* a generation older than the floor */
	SF_FUTURE,		/* a generation never issued for this page */
	SF_ZERO,		/* zeros where no zero page may be */
	SF_TORN,		/* two contents in one page, no removal overlapping */
	SF_IOCTL,		/* an ioctl result outside the contract */
	SF_OP,			/* zap / punch / wake / read failed */
	SF_STUCK,		/* a thread never came back (a fault never resolved?) */
	SF_CHILD,		/* a --fork child died */
};

struct stress_failure {
	enum stress_fail_what what;
	int type;		/* index in memtypes[], -1 none */
	int range;		/* enum range_kind, -1 none */
	int op;			/* enum stress_kind */
	int err;		/* errno for SF_IOCTL / SF_OP */
	bool child;
	uint64_t page, byte;	/* page index; byte offset in the page */
	uint64_t expected, actual;	/* the 8-byte word (byte: its first differing byte) */
	uint64_t gen, lo, hi, zero_gen;	/* found generation; valid [lo, hi] */
	int64_t done;		/* SF_IOCTL: the count returned */
	uint64_t want;
	char what_text[160];	/* detail ("read by the worker thread"), may be "" */
};

#define STRESS_MAX_FAILURES 16

/* Shared with fork children: MAP_SHARED. */
struct stress_shared {
	uint64_t nr_failures;			/* atomic */
	struct stress_failure fail[STRESS_MAX_FAILURES];
	uint64_t child_checked;			/* atomic: pages the children checked */
	uint64_t child_shared_checked;		/* atomic: of them, of shared types */
};

/* bench/stress/fail.c */
void stress_fail(struct stress_ctx *c, const struct stress_failure *f);
/* Record only: no stdio, no stop (a fork child). */
uint64_t stress_fail_record(struct stress_shared *sh, const struct stress_failure *f);
void stress_fail_ioctl(struct stress_thread *t, struct srange *rg, enum stress_kind k, int err,
		       uint64_t page, int64_t done, uint64_t want, const char *why);
void stress_fail_op(struct stress_thread *t, struct srange *rg, enum stress_kind k, int err,
		    uint64_t page, const char *what);
void stress_format_failure(const struct stress_ctx *c, const struct stress_failure *f,
			   char *buf, size_t len);
const char *stress_kind_name(enum stress_kind k);
const char *stress_outcome_name(enum stress_outcome o);
const char *stress_range_name(enum range_kind k);
const char *stress_role_name(enum stress_role r);

/* bench/stress/report.c, bench/stress/kmsg.c */
struct kmsg_watch {
	int fd;
	char source[64];
	char why[160];		/* not checked: why */
	unsigned nr_lines;
	char lines[8][256];
};
void kmsg_start(struct kmsg_watch *k);
void kmsg_finish(struct kmsg_watch *k);
void stress_print_summary(const struct stress_ctx *c, const struct kmsg_watch *k,
			  const char *status, FILE *f);
int stress_write_results(const struct stress_ctx *c, const struct kmsg_watch *k,
			 const char *status, int fd);

#endif
