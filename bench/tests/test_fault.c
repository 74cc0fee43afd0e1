// SPDX-License-Identifier: MIT
/*
 * The fault-driven mode in process: the touch orders, a short verified run
 * of every memory type x ioctl this kernel supports, the options that change
 * how faults meet handlers, open loop, and a handler that never answers (the
 * watchdog ends the run) or dies.  The CLI: test_fault_cli.c; the latency
 * histogram: test_histogram.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "machine/caps.h"
#include "core/common.h"
#include "fault/fault.h"
#include "machine/hugepages.h"

#include <dirent.h>
#include <linux/userfaultfd.h>
#include <stdlib.h>
#include <string.h>

static struct caps caps;
static int no_signal;

/*
 * Under ASan and TSan, filling and checking a 1 GiB page takes most of a
 * minute: those builds leave 1 GiB pages to the plain one.
 */
static bool sanitized(void)
{
	const char *v = getenv("UFFDBENCH_VARIANT");

	return v && strcmp(v, "plain");
}

static uint64_t memtypes_to_probe(void)
{
	uint64_t mask = 0;

	for (unsigned i = 0; i < nr_memtypes; i++)
		if (!sanitized() || memtypes[i]->huge_size < (1ul << 30))
			mask |= 1ull << i;
	return mask;
}

/* Every pattern visits every page of its slice exactly once. */
static void test_orders(void **state)
{
	uint32_t order[1000];
	char seen[1100];

	(void)state;
	for (int pat = 0; pat < PAT_NR; pat++) {
		for (size_t n = 1; n <= 1000; n += 333) {
			memset(seen, 0, sizeof(seen));
			fault_build_order(order, n, 100, n / 3, pat, 7, 5);
			for (size_t i = 0; i < n; i++) {
				assert_true(order[i] >= 100 && order[i] < 100 + n);
				assert_false(seen[order[i]]++);
			}
		}
	}
	fault_build_order(order, 10, 0, 0, PAT_STRIDE, 4, 0);
	assert_int_equal(order[1], 4);
	assert_int_equal(order[3], 1);
}


static struct fault_env env(struct topo *t)
{
	return (struct fault_env){ .features = caps_wanted_features(&caps) | UFFD_FEATURE_THREAD_ID,
				   .topo = t, .oversubscribe = true, .signal = &no_signal };
}

static struct fault_cfg base(const char *mt, enum uffd_op op)
{
	return (struct fault_cfg){ .mt = memtype_find(mt), .op = op, .faulters = 1, .handlers = 1,
				   .window = 1, .write = true, .stride = 4, .size = 64 << 12,
				   .duration = 0.1, .watchdog = 10, .verify = VERIFY_FULL, .seed = 1 };
}

static uint64_t events(const struct fault_result *r)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < r->resolvers; i++)
		n += r->h[i].events;
	return n;
}

/* Run c; it must pass, with every touched page verified. */
static void run_ok(struct fault_cfg *c, struct topo *t, struct fault_result *r)
{
	struct fault_env e = env(t);
	char err[256], key[256];

	if (fault_check(c, err, sizeof(err)))
		fail_msg("%s", err);
	fault_key(c, key, sizeof(key));
	fault_run(c, &e, r);
	if (r->status != FAULT_OK)
		fail_msg("%s: %s", key, r->reason);
	assert_true(r->touch->faults > 0);
	assert_int_equal(r->touch->lat.count, r->touch->faults);
	assert_int_equal(r->touch->touches, r->touch->faults + r->touch->hits);
	assert_true(r->verify.pages_checked > 0);
	assert_int_equal(r->verify.mismatches, 0);
	assert_int_equal(r->touch->touch_errors, 0);
	assert_true(r->rounds_verified > 0 && r->timed_ns > 0);
	if (!c->share)	/* shared pages may meet one fault twice */
		assert_int_equal(events(r), r->touch->faults);
}

static bool runnable(const struct memtype_ops *mt, enum uffd_op op, unsigned long pages)
{
	char why[256];

	if (caps_skip_reason(&caps, mt, op, why, sizeof(why)))
		return false;
	return !mt->huge_size ||
	       !hugepages_ensure(mt->huge_size, memtype_huge_pages_needed(mt, pages), why, sizeof(why));
}

/* Every supported (memory type, ioctl): 2 faulting threads, 2 handlers, verified. */
static void test_every_memtype(void **state)
{
	unsigned ran = 0;

	(void)state;
	for (unsigned m = 0; m < nr_memtypes; m++) {
		const struct memtype_ops *mt = memtypes[m];
		size_t psz = memtype_page_size(mt);
		unsigned pages = mt->huge_size >= (1ul << 30) ? 1 : mt->huge_size ? 4 : 64;

		for (int op = 0; op < UOP_NR; op++) {
			struct fault_cfg c = base(mt->name, op);
			struct fault_result r;

			/* one 1 GiB page: COPY shows it works; refilling it for CONTINUE is slow */
			if (!(uop_fault_ops() & (1u << op)) || !runnable(mt, op, pages) ||
			    (pages == 1 && op != UOP_COPY))
				continue;
			c.size = pages * psz;
			c.faulters = c.handlers = pages > 1 ? 2 : 1;
			c.window = pages >= 4 ? 2 : 1;
			c.pattern = PAT_RANDOM;
			c.write = op != UOP_CONTINUE;
			c.duration = pages > 1 ? 0.05 : 0.001;
			c.verify = pages > 1 ? VERIFY_FULL : VERIFY_SAMPLE;
			run_ok(&c, NULL, &r);
			fault_result_free(&r);
			ran++;
		}
	}
	/* anon copy/zeropage and shmem's three ioctls run on any kernel with userfaultfd */
	assert_true(ran >= 5);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

/* The ways faults meet handlers: per-handler uffds, shared pages, windows, placement. */
static void test_options(void **state)
{
	int fds = open_fds();
	struct fault_cfg c;
	struct fault_result r;
	struct topo *t;
	char err[256];

	(void)state;
	c = base("anon", UOP_COPY);
	c.handlers = 2;
	c.window = 4;
	c.layout = UFFD_PER_HANDLER;
	run_ok(&c, NULL, &r);
	assert_true(r.h[0].events > 0 && r.h[1].events > 0);	/* each its own part */
	fault_result_free(&r);

	c = base("anon", UOP_COPY);
	c.faulters = c.handlers = 2;
	c.share = true;
	c.window = 4;
	c.pattern = PAT_RANDOM;
	run_ok(&c, NULL, &r);
	fault_result_free(&r);

	c = base("anon", UOP_COPY);
	c.window = 64;		/* the whole range in one ioctl: one fault a round */
	c.pattern = PAT_STRIDE;
	c.write = false;
	run_ok(&c, NULL, &r);
	assert_int_equal(r.touch->faults, r.rounds);
	assert_int_equal(r.touch->hits, r.touch->touches - r.rounds);
	fault_result_free(&r);

	t = topo_open(NULL, err, sizeof(err));
	assert_non_null(t);
	c = base("shmem-memfd", UOP_ZEROPAGE);
	c.window = 8;
	c.hcpus = HCPU_SAME;
	run_ok(&c, t, &r);
	assert_int_equal(r.handler_cpus[0], r.faulter_cpus[0]);
	assert_true(r.h[0].pages >= 8 * r.h[0].ioctls - 8 * r.h[0].partial);
	fault_result_free(&r);
	topo_close(t);
	assert_int_equal(open_fds(), fds);	/* every uffd, memfd and eventfd closed */
}

static uint64_t sum_h(const struct fault_result *r, size_t off)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < r->resolvers; i++)
		n += *(const uint64_t *)((const char *)&r->h[i] + off);
	return n;
}

#define SUM_H(r, f) sum_h(r, offsetof(struct handler_result, f))

/* Every wait style and events per read resolves every fault, pages verified. */
static void test_wait_styles(void **state)
{
	static const unsigned events[] = { 1, 4 };

	(void)state;
	for (int w = WAIT_READ; w <= WAIT_EPOLL; w++)
		for (unsigned e = 0; e < ARRAY_SIZE(events); e++)
			for (int layout = UFFD_SHARED; layout <= UFFD_PER_HANDLER; layout++) {
				struct fault_cfg c = base(layout ? "shmem-memfd" : "anon",
							  layout ? UOP_CONTINUE : UOP_COPY);
				struct fault_result r;

				c.wait = w;
				c.events = events[e];
				c.layout = layout;
				c.faulters = 3;
				c.handlers = 2;
				c.window = 2;
				c.pattern = PAT_RANDOM;
				c.write = !layout;
				run_ok(&c, NULL, &r);
				assert_int_equal(SUM_H(&r, events), r.touch->faults);
				/* every event came from a read(), at most N each */
				assert_true(SUM_H(&r, reads) > 0);
				assert_true(SUM_H(&r, reads) * events[e] >= SUM_H(&r, events));
				if (w == WAIT_READ)
					assert_int_equal(SUM_H(&r, waits), 0);
				else
					assert_true(SUM_H(&r, waits) >= SUM_H(&r, reads));
				fault_result_free(&r);
			}
}

/* The default: a blocking read; one event a read with handlers sharing a uffd. */
static void test_wait_default(void **state)
{
	struct fault_cfg c = base("anon", UOP_COPY);
	char err[256];

	(void)state;
	c.wait_auto = true;
	c.faulters = 4;
	assert_int_equal(fault_check(&c, err, sizeof(err)), 0);
	assert_int_equal(c.wait, WAIT_READ);
	assert_int_equal(c.events, 4);
	c = base("anon", UOP_COPY);
	c.handlers = 2;
	assert_int_equal(fault_check(&c, err, sizeof(err)), 0);
	assert_int_equal(c.events, 1);
	c = base("anon", UOP_COPY);
	c.wait = WAIT_SIGBUS;
	assert_int_not_equal(fault_check(&c, err, sizeof(err)), 0);	/* has a handler */
	assert_non_null(strstr(err, "no handler threads"));
}

/* SIGBUS mode: each faulting thread resolves its own faults, verified as any other. */
static void test_sigbus(void **state)
{
	struct topo *t;
	char err[256];

	(void)state;
	if (!(caps.features & UFFD_FEATURE_SIGBUS))
		skip();
	t = topo_open(NULL, err, sizeof(err));
	assert_non_null(t);
	for (int op = 0; op < UOP_NR; op++) {
		if (!(uop_fault_ops() & (1u << op)))
			continue;	/* the ioctls that resolve faults */
		for (int share = 0; share < 2; share++) {
			const char *mt = op == UOP_CONTINUE ? "shmem-memfd" : "anon";
			struct fault_cfg c = base(mt, op);
			struct fault_result r;

			c.wait = WAIT_SIGBUS;
			c.handlers = 0;
			c.faulters = 2;
			c.window = share ? 4 : 1;
			c.share = share;
			c.pattern = PAT_RANDOM;
			c.write = op != UOP_CONTINUE;
			run_ok(&c, share ? NULL : t, &r);
			assert_int_equal(r.resolvers, 2);
			assert_int_equal(r.handlers, 0);
			if (!share) {
				/* each its own: events of thread i resolved on its CPU */
				assert_int_equal(r.h[0].events + r.h[1].events, r.touch->faults);
				assert_int_equal(r.h[0].cpu, r.faulter_cpus[0]);
				assert_int_equal(SUM_H(&r, reads), 0);
			}
			fault_result_free(&r);
		}
	}
	topo_close(t);
}

/* Open loop: the schedule sets the rate; latency counts from the intended start. */
static void test_open_loop(void **state)
{
	struct fault_cfg c = base("anon", UOP_COPY);
	struct fault_result r;

	(void)state;
	c.faulters = 2;
	c.rate = 2000;
	c.duration = 0.3;
	c.size = 1024 << 12;
	run_ok(&c, NULL, &r);
	if (r.touch->touches < 400 || r.touch->touches > 700)
		fail_msg("2000 touches/s for 0.3 s: %lu touches", (unsigned long)r.touch->touches);
	assert_int_equal(r.touch->svc.count, r.touch->faults);
	assert_true(hist_quantile(&r.touch->lat, 0.5) >= hist_quantile(&r.touch->svc, 0.5));
	fault_result_free(&r);
}

/* A handler that reads faults and never answers: the watchdog ends the run. */
static void test_watchdog(void **state)
{
	struct fault_cfg c = base("anon", UOP_COPY);
	struct fault_env e = env(NULL);
	struct fault_result r;

	(void)state;
	c.inject = INJ_STALL;
	c.watchdog = 1;
	c.duration = 10;
	c.handlers = 2;
	fault_run(&c, &e, &r);
	assert_int_equal(r.status, FAULT_FAILED);
	assert_non_null(strstr(r.reason, "watchdog"));
	assert_false(r.abandoned);
	assert_true(r.elapsed_ms < 5000);
	fault_result_free(&r);
}

/* A handler that dies on its first fault: the run ends with its error. */
static void test_handler_dies(void **state)
{
	struct fault_cfg c = base("shmem-memfd", UOP_CONTINUE);
	struct fault_env e = env(NULL);
	struct fault_result r;

	(void)state;
	c.inject = INJ_DIE;
	c.duration = 10;
	fault_run(&c, &e, &r);
	assert_int_equal(r.status, FAULT_FAILED);
	assert_non_null(strstr(r.reason, "handler 0: exited"));
	assert_true(r.elapsed_ms < 5000);
	fault_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_every_memtype),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_wait_styles),
		cmocka_unit_test(test_wait_default),
		cmocka_unit_test(test_sigbus),
		cmocka_unit_test(test_open_loop),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_handler_dies),
	};
	int ret;

	if (caps_probe(&caps, memtypes_to_probe())) {
		print_message("no userfaultfd here: skipping\n");
		return 0;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	hugepages_restore();
	return ret;
}
