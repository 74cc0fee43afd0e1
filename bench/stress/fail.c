// SPDX-License-Identifier: MIT
/*
 * Failures: recorded as numbers in shared memory (a fork child records its
 * own without stdio), printed at once by the parent, and the run stopped:
 * the first wrong page is the one worth reading about.
 */
#include "stress/stress.h"
#include "core/common.h"

#include <stdio.h>
#include <string.h>

uint64_t stress_fail_record(struct stress_shared *sh, const struct stress_failure *f)
{
	uint64_t n = __atomic_fetch_add(&sh->nr_failures, 1, __ATOMIC_SEQ_CST);

	if (n < STRESS_MAX_FAILURES)
		sh->fail[n] = *f;
	return n;
}

void stress_fail(struct stress_ctx *c, const struct stress_failure *f)
{
	char buf[768];

	if (stress_suspect(c, f))
		return;
	__atomic_store_n(&c->stop, 1, __ATOMIC_SEQ_CST);
	if (stress_fail_record(c->sh, f) >= STRESS_MAX_FAILURES)
		return;
	stress_format_failure(c, f, buf, sizeof(buf));
	fprintf(stderr, "uffdbench: FAILURE: %s\n", buf);
}

void stress_fail_ioctl(struct stress_thread *t, struct srange *rg, enum stress_kind k, int err,
		       uint64_t page, int64_t done, uint64_t want, const char *why)
{
	struct stress_failure f = {
		.what = SF_IOCTL, .type = memtype_index(rg->st->mt), .range = rg->kind, .op = k,
		.err = err, .page = page, .done = done, .want = want,
	};

	snprintf(f.what_text, sizeof(f.what_text), "%s (%s thread)", why,
		 stress_role_name(t->role));
	stress_fail(t->c, &f);
}

void stress_fail_op(struct stress_thread *t, struct srange *rg, enum stress_kind k, int err,
		    uint64_t page, const char *what)
{
	struct stress_failure f = {
		.what = SF_OP, .type = rg ? memtype_index(rg->st->mt) : -1,
		.range = rg ? (int)rg->kind : -1, .op = k, .err = err, .page = page,
	};

	snprintf(f.what_text, sizeof(f.what_text), "%s", what);
	stress_fail(t->c, &f);
}
