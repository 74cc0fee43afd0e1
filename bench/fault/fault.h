/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_FAULT_H
#define UFFDBENCH_FAULT_FAULT_H

/*
 * One configuration of the fault-driven mode, set up, run and checked
 * (bench/fault/run.c, fault/setup.c, fault/collect.c), and its results line
 * (bench/fault/json.c).  `uffdbench fault` runs one, `capacity` a sweep.
 */
#include "faults/faults.h"
#include "memtypes/memtype.h"
#include "machine/topo.h"
#include "verify/verify.h"

#include <jansson.h>
#include <stdio.h>

enum handler_cpus { HCPU_SEPARATE, HCPU_SAME };
enum uffd_layout { UFFD_SHARED, UFFD_PER_HANDLER };

#define FAULT_MAX_THREADS 1024
#define FAULT_MAX_RATE 1e9

struct fault_cfg {
	const struct memtype_ops *mt;
	enum uffd_op op;
	unsigned faulters, handlers;
	unsigned window;		/* pages per resolving ioctl, a power of two */
	bool write;			/* write touches, else reads */
	enum fault_pattern pattern;
	unsigned stride;		/* pages, for PAT_STRIDE */
	bool share;			/* every faulter walks the whole range */
	enum uffd_layout layout;
	enum handler_cpus hcpus;
	size_t size;			/* bytes of the registered range; 0 = auto */
	double rate;			/* open loop: touches/s in total; 0 = closed loop */
	double duration;		/* s of faulting, resets excluded */
	double watchdog;		/* s one touch may take before the run is ended */
	enum verify_mode verify;
	uint64_t seed;
	enum fault_inject inject;	/* testing: handlers stall or die */
	enum fault_wait wait;		/* how faults reach their resolver */
	unsigned events;		/* events per read(); 0 until fault_check picks */
	bool wait_auto, events_auto;	/* fault_check picks them for the configuration */
	bool range_src;			/* COPY from a source laid out as the range (cold), */
					/* not the hot window-sized one stamped per fault */
};

struct fault_env {
	uint64_t features;		/* UFFDIO_API features (THREAD_ID included) */
	struct topo *topo;		/* this machine, for pinning; NULL: no pinning */
	enum pin_policy policy;
	bool oversubscribe;
	const int *signal;		/* non-zero: interrupted (atomic) */
};

enum fault_status { FAULT_OK, FAULT_FAILED, FAULT_SKIPPED, FAULT_INTERRUPTED };

struct handler_result {
	int cpu;
	uint64_t events, ioctls, pages, eexist, partial, wakes, eagain, unknown;
	uint64_t reads, waits;		/* read() calls with events; poll/epoll returns */
	uint64_t cpu_ns;		/* thread CPU time over the timed rounds */
};

struct fault_result {
	enum fault_status status;
	char reason[256];
	size_t page_size, pages;
	unsigned faulters, handlers;
	unsigned resolvers;		/* handlers, or in SIGBUS mode the faulting threads */
	int *faulter_cpus, *handler_cpus;	/* -1: not pinned */
	bool oversubscribed;
	const char *policy;		/* pinning policy, "none" without pinning */
	unsigned rounds;		/* rounds run (the last may be cut by the deadline) */
	unsigned rounds_verified;
	uint64_t timed_ns;		/* sum of the rounds' wall times */
	struct touch_stats *touch;	/* summed over faulting threads */
	struct handler_result *h;	/* one per resolver */
	struct verify_result verify;
	double elapsed_ms;
	bool abandoned;			/* threads did not return: exit the process */
};

extern const char *const fault_pattern_names[PAT_NR];
extern const char *const fault_status_names[];

/* The range auto picks: 64 MiB of base pages, 32 MiB of 2 MiB pages, one 1 GiB page. */
size_t fault_auto_size(const struct memtype_ops *mt);
/* Who resolves faults: the handlers, or in SIGBUS mode each faulting thread. */
static inline unsigned fault_resolvers(const struct fault_cfg *c)
{
	return c->wait == WAIT_SIGBUS ? c->faulters : c->handlers;
}

/* The cheapest correct style and events per read() for c (see check.c). */
enum fault_wait fault_default_wait(const struct fault_cfg *c);
unsigned fault_default_events(const struct fault_cfg *c);
/* "read", "read x4", "sigbus": the style as printed and in keys. */
const char *fault_wait_label(const struct fault_cfg *c, char *buf, size_t len);

/* Bad input (a one-line err, -1) or 0; resolves c->size, wait and events when auto. */
int fault_check(struct fault_cfg *c, char *err, size_t errlen);
/* CPUs of the faulting and handler threads; -1 with err (too many threads). */
int fault_plan_cpus(const struct fault_cfg *c, const struct fault_env *e, int *fcpus,
		    int *hcpus, bool *oversubscribed, char *err, size_t errlen);
/* Run one checked configuration (r's status says how it went). */
void fault_run(const struct fault_cfg *c, const struct fault_env *e, struct fault_result *r);
void fault_result_free(struct fault_result *r);

/* memtype/ioctl/fF/hH/wW/touch/pattern/uffd/cpus/load/wait */
void fault_key(const struct fault_cfg *c, char *buf, size_t len);
json_t *fault_to_json(const struct fault_cfg *c, const struct fault_result *r,
		      const char *command, unsigned index);
double fault_rate(const struct fault_result *r, uint64_t n);	/* n per timed second */
double fault_utilisation(const struct fault_result *r, double *max);	/* mean, max */
/* "0,1,1": CPUs joined by commas, "-" for a thread not pinned.  Returns buf. */
const char *fault_cpu_list(char *buf, size_t len, const int *cpus, unsigned n);
void fault_print(FILE *f, const struct fault_cfg *c, const struct fault_result *r);

/* COPY from each resolver's hot, stamped pages (the default), not a range-shaped source. */
static inline bool fault_hot_source(const struct fault_cfg *c)
{
	return ioctls[c->op]->src == SRC_BATCH && !c->range_src;
}

#endif
