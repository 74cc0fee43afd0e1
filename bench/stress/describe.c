// SPDX-License-Identifier: MIT
/*
 * Failures in words: the names of kinds, outcomes, roles and ranges, and the
 * one-line description of a recorded failure.  Pure functions of their
 * arguments, shared by the failure path (stress/fail.c) and the pool watch
 * (stress/pool.c), which therefore need not know each other.
 */
#include "stress/stress.h"
#include "core/common.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[SK_NR] = {
	"copy", "zeropage", "continue", "populate", "zap", "punch", "fault", "touch",
	"check", "fork",
};
static const char *const outcome_names[SO_NR] = {
	"ok", "eexist", "eagain", "short", "hole", "enomem", "error",
};
static const char *const role_names[ROLE_NR] = {
	"worker", "zapper", "populater", "toucher", "checker", "handler", "forker", "injector",
	"scenario",
};

const char *stress_kind_name(enum stress_kind k) { return kind_names[k]; }
const char *stress_outcome_name(enum stress_outcome o) { return outcome_names[o]; }
const char *stress_role_name(enum stress_role r) { return role_names[r]; }

const char *stress_range_name(enum range_kind k)
{
	return k == RANGE_MINOR ? "minor" : "missing";
}

static unsigned byte_of(uint64_t word, uint64_t byte)
{
	return (word >> (8 * (byte % 8))) & 0xff;
}

static int where(const struct stress_failure *f, char *buf, size_t len)
{
	size_t ps;

	if (f->type < 0)
		return snprintf(buf, len, "%s: ", kind_names[f->op]);
	ps = memtype_page_size(memtypes[f->type]);
	return snprintf(buf, len, "%s, %s range, page %lu (offset %#lx)%s: ",
			memtypes[f->type]->name, f->range >= 0 ? stress_range_name(f->range) : "-",
			(unsigned long)f->page, (unsigned long)(f->page * ps + f->byte),
			f->child ? ", seen by a fork child" : "");
}

static void what(const struct stress_failure *f, char *buf, size_t len)
{
	const char *op = f->op < SK_NR ? kind_names[f->op] : "?";

	switch (f->what) {
	case SF_WRONG_WORD:
	case SF_FOREIGN:
		snprintf(buf, len, "%s at byte %lu of the page: expected 0x%02x, found 0x%02x "
			 "(word: expected 0x%016lx, found 0x%016lx, page generation %lu, valid [%lu, %lu])",
			 f->what == SF_FOREIGN ? "the page of another offset or range" : "wrong byte",
			 (unsigned long)f->byte, byte_of(f->expected, f->byte), byte_of(f->actual, f->byte),
			 (unsigned long)f->expected, (unsigned long)f->actual, (unsigned long)f->gen,
			 (unsigned long)f->lo, (unsigned long)f->hi);
		break;
	case SF_STALE:
		snprintf(buf, len, "stale content: generation %lu, but only [%lu, %lu] may be there",
			 (unsigned long)f->gen, (unsigned long)f->lo, (unsigned long)f->hi);
		break;
	case SF_FUTURE:
		snprintf(buf, len, "generation %lu was never issued for this page (newest %lu)",
			 (unsigned long)f->gen, (unsigned long)f->hi);
		break;
	case SF_ZERO:
		snprintf(buf, len, "zeros where no zero page may be (newest zero generation %lu, floor %lu)",
			 (unsigned long)f->zero_gen, (unsigned long)f->lo);
		break;
	case SF_TORN:
		snprintf(buf, len, "two contents in one page, no removal overlapping the read: byte %lu "
			 "found 0x%016lx (generation %lu), expected 0x%016lx",
			 (unsigned long)f->byte, (unsigned long)f->actual, (unsigned long)f->gen,
			 (unsigned long)f->expected);
		break;
	case SF_IOCTL:
		snprintf(buf, len, "%s of %lu bytes: %s with count %ld: %s", op,
			 (unsigned long)f->want, errno_name(f->err), (long)f->done, f->what_text);
		return;
	case SF_OP:
		snprintf(buf, len, "%s failed: %s", f->what_text, errno_name(f->err));
		return;
	case SF_STUCK:
	case SF_CHILD:
		snprintf(buf, len, "%s", f->what_text);
		return;
	}
	if (f->what_text[0] && strlen(buf) + strlen(f->what_text) + 3 < len)
		strcat(strcat(buf, "; "), f->what_text);
}

void stress_format_failure(const struct stress_ctx *c, const struct stress_failure *f,
			   char *buf, size_t len)
{
	int n = where(f, buf, len);
	char tail[96];

	if (n < 0 || (size_t)n >= len)
		return;
	what(f, buf + n, len - n);
	snprintf(tail, sizeof(tail), "; reproduce with --seed %lu", (unsigned long)c->o.seed);
	if (strlen(buf) + strlen(tail) < len)
		strcat(buf, tail);
}
