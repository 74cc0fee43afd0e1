/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_IOCTL_H
#define UFFDBENCH_IOCTL_H

/*
 * An ioctl is one ops table, as a memory type is: what it is called, how to
 * register for it, what to prepare untimed, how to issue one range, which
 * timed loop runs it and what verification expects afterwards.  run, caps,
 * fault, stress and list ask the table and never name an ioctl.  Each names
 * the memory types it targets (MEM_* classes of uffd_types.h); a memory
 * type never names an ioctl.  Adding one is a file
 * (workloads/ioctls/NAME.c, with its timed loop from TIMED_PASS,
 * workload.h) and a line in uop_table.h.
 */
#include "core/uffd.h"
#include "uffd_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* /proc/self/pagemap bits verification reads. */
#define PM_PRESENT	(1ull << 63)
#define PM_SWAP		(1ull << 62)	/* also every pte marker (poison, uffd-wp) */
#define PM_UFFD_WP	(1ull << 57)

/* The source a pass reads. */
enum ioctl_src {
	SRC_NONE,
	SRC_BATCH,	/* one batch, refilled each round (COPY) */
	SRC_RANGE,	/* a private anonymous range as long as the registered one (MOVE) */
};

/* What a page holds after the pass. */
enum ioctl_content {
	CONTENT_SOURCE,	/* the source batch: pattern of page i % batch */
	CONTENT_ZERO,
	CONTENT_PAGE,	/* pattern of page i, as prepare left it (page cache, source, view) */
	CONTENT_SIGBUS,	/* reading it raises SIGBUS (a poison marker) */
};

struct ioctl_expect {
	enum ioctl_content content;
	uint64_t pagemap_set;	/* PM_* bits the registered view's entry must have */
	uint64_t pagemap_clear;	/* ... and must not have */
	bool source_empty;	/* the source range's page is gone (MOVE) */
	bool reset_clears;	/* after the reset the entry is empty: no marker left */
};

struct memtype_ops;	/* memtypes/memtype.h: only pointers here */
struct pass;
struct pass_result;

/* One registered range and what an ioctl needs around it. */
struct ioctl_target {
	struct region *r;
	enum uffd_op op;
	const struct ioctl_ops *io;	/* ioctls[op] */
	int uffd;
	unsigned batch;		/* pages per ioctl */
	char *src;		/* SRC_BATCH: one batch; SRC_RANGE: r->len bytes; else NULL */
	size_t src_len;
	bool no_pattern;	/* caps: the pages prepare makes, without writing patterns */
};

struct ioctl_ops {
	const char *name;	/* "copy": what --ioctl, results and caps say */
	const char *ioctl_name;	/* "UFFDIO_COPY" */
	unsigned long nr;	/* the ioctl request number */
	unsigned bit;		/* _UFFDIO_COPY: its bit in uffdio_register.ioctls */
	enum reg_mode mode;	/* register mode it needs: caps and results file it here */
	unsigned reg_also;	/* 1 << REG_*: further modes the range is registered in */
	uint64_t feature;	/* UFFD_FEATURE_* that announces it, 0: always there */
	const char *desc;	/* one line for `uffdbench list` */
	unsigned targets;	/* MEM_*: the memory types it is expected to work on */
	unsigned controls;	/* MEM_*: those where the series leaves its path alone */
	bool resolves_faults;	/* fills a missing/minor page: fault and stress use it */
	bool from_page_cache;	/* maps what the page cache holds: a hole fails it */
	bool writes_view;	/* prepare writes the registered view (only its own mode is safe) */
	enum ioctl_src src;
	struct ioctl_expect expect;

	/* Untimed: empty the range again (memory type's reset, and what the
	 * ioctl left behind); 0 or -errno. */
	int (*reset)(struct ioctl_target *t);
	/* Untimed, after reset: fill what the pass reads; 0 or -errno. */
	int (*prepare)(struct ioctl_target *t, uint64_t gen);
	/* Its timed loop, made by TIMED_PASS (workload.h): no indirect call inside. */
	void (*pass)(const struct pass *p, struct pass_result *res);
	/* One ioctl over [dst, dst + len), no clock: 0 or -errno; the
	 * kernel's count (bytes, or -errno) in *done. */
	int (*issue)(int uffd, char *dst, const char *src, size_t len, int64_t *done);
};

/* The table: workloads/ioctls/ioctls.c. */
extern const struct ioctl_ops *const ioctls[UOP_NR];
const char *uop_name(enum uffd_op op);		/* "copy" */
const char *uop_ioctl_name(enum uffd_op op);	/* "UFFDIO_COPY" */
int uop_parse(const char *name);		/* name or ioctl name; -1 if unknown */
enum reg_mode uop_mode(enum uffd_op op);
/* Bit in uffdio_register.ioctls that allows op. */
uint64_t uop_ioctl_bit(enum uffd_op op);
/* op's entry expects it to work on mt (its targets); the series leaves it alone there. */
bool uop_targets(enum uffd_op op, const struct memtype_ops *mt);
bool uop_is_control(enum uffd_op op, const struct memtype_ops *mt);
/* Register [addr, addr + len) as op needs (its mode and reg_also); 0 or -errno. */
int uop_register(int uffd, enum uffd_op op, void *addr, size_t len, uint64_t *ioctls);
/* "copy, zeropage, ...": the names of the ops in mask, for messages (static buffer). */
const char *uop_list(unsigned mask);
/* The ops that resolve faults (bits 1 << UOP_*), for fault and stress. */
unsigned uop_fault_ops(void);
/*
 * Choosing ops by what their entries do, never by name: the ops whose entry
 * has the property pred (bits 1 << UOP_*), and the first of them in table
 * order (-1 if none).  The properties fault and stress ask for, each a
 * fault-resolving entry's mode (which fault it resolves) and expect.content
 * (what the page holds after it):
 */
unsigned uop_mask_where(bool (*pred)(const struct ioctl_ops *io));
int uop_first(bool (*pred)(const struct ioctl_ops *io));
/* A missing page filled from a source batch: the source's pattern after (COPY). */
bool ioctl_fills_from_source(const struct ioctl_ops *io);
/* A missing page filled with zeros, no source (ZEROPAGE). */
bool ioctl_fills_zeros(const struct ioctl_ops *io);
/* A minor fault's page mapped from what the page cache holds (CONTINUE). */
bool ioctl_maps_from_cache(const struct ioctl_ops *io);

/* Map / unmap t->src as t->io->src asks; 0 or -errno. */
int ioctl_target_src(struct ioctl_target *t);
void ioctl_target_free_src(struct ioctl_target *t);

/* Pieces the entries are built from: workloads/ioctls/helpers.c. */
int iop_reset_type(struct ioctl_target *t);	/* the memory type's reset */
int iop_reset_zap(struct ioctl_target *t);	/* zap the view's ptes (markers), then reset */
int iop_reset_unprotect(struct ioctl_target *t);	/* clear write protection, then reset */
int iop_none(struct ioctl_target *t, uint64_t gen);
int iop_fill_src(struct ioctl_target *t, uint64_t gen);
int iop_populate_cache(struct ioctl_target *t, uint64_t gen);
int iop_populate_view(struct ioctl_target *t, uint64_t gen);
/* UFFDIO_WRITEPROTECT over the whole range, untimed; 0 or -errno. */
int iop_protect(struct ioctl_target *t, bool on);

#endif
