// SPDX-License-Identifier: MIT
/*
 * The ioctl table: every entry complete, names unique, controls from the
 * tables; and each ioctl added through it (MOVE, POISON, WRITEPROTECT set
 * and clear) measured through the real harness, verified, and caught by
 * verification when it did not do what it claims.  Kernels without one skip
 * it with the reason caps gives, never fail.  hugetlb parts need root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compare/compare.h"
#include "core/sigbus.h"
#include "ioctls/ioctl.h"
#include "machine/caps.h"
#include "machine/hugepages.h"
#include "run/harness.h"
#include "workload.h"
#include "uffd_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void test_table_complete(void **state)
{
	(void)state;
	for (int op = 0; op < UOP_NR; op++) {
		const struct ioctl_ops *io = ioctls[op];

		assert_non_null(io);
		assert_non_null(io->name);
		assert_non_null(io->desc);
		assert_true(io->ioctl_name && !strncmp(io->ioctl_name, "UFFDIO_", 7));
		assert_true(io->nr != 0 && (io->nr & 0xff) == io->bit && io->bit < 64);
		assert_true(io->mode < REG_NR);
		assert_non_null(io->reset);
		assert_non_null(io->prepare);
		assert_non_null(io->issue);
		assert_non_null(io->pass);
		/* targets and controls are memory type classes; it targets some */
		assert_int_equal(io->targets & ~MEM_ALL, 0);
		assert_int_equal(io->controls & ~MEM_ALL, 0);
		assert_true(io->targets != 0);
		assert_int_equal(io->reg_also & ~((1u << REG_NR) - 1), 0);
		/* verification must expect something of every page */
		assert_true(io->expect.pagemap_set || io->expect.pagemap_clear);
		assert_int_equal(uop_parse(io->name), op);
		for (int other = 0; other < op; other++)
			assert_string_not_equal(ioctls[other]->name, io->name);
		/* a source only where the pass reads one; markers only with SIGBUS */
		assert_true(io->src != SRC_NONE || io->expect.content != CONTENT_SOURCE);
		assert_true(!io->expect.reset_clears || io->expect.content == CONTENT_SIGBUS);
	}
	assert_int_equal(uop_parse("UFFDIO_WRITEPROTECT"), UOP_WRITEPROTECT);
	assert_int_equal(uop_parse("nosuch"), -1);
	assert_int_equal(uop_fault_ops(), 1u << UOP_COPY | 1u << UOP_ZEROPAGE | 1u << UOP_CONTINUE);
	assert_non_null(strstr(uop_list(UOP_ALL), "unprotect"));
}

/*
 * fault and stress choose ops by what the entries say they do: each property
 * picks exactly the op it picked by name before (copy-wp, which copies too,
 * does not resolve faults and is left out).
 */
static void test_properties_choose(void **state)
{
	(void)state;
	assert_int_equal(uop_mask_where(ioctl_fills_from_source), 1u << uop_parse("copy"));
	assert_int_equal(uop_mask_where(ioctl_fills_zeros), 1u << uop_parse("zeropage"));
	assert_int_equal(uop_mask_where(ioctl_maps_from_cache), 1u << uop_parse("continue"));
	assert_int_equal(uop_first(ioctl_fills_from_source), uop_parse("copy"));
	assert_int_equal(uop_fault_ops(), uop_mask_where(ioctl_fills_from_source) |
			 uop_mask_where(ioctl_fills_zeros) | uop_mask_where(ioctl_maps_from_cache));
	assert_false(ioctl_fills_from_source(ioctls[uop_parse("copy-wp")]));
}

static void test_memtype_fields(void **state)
{
	(void)state;
	for (unsigned m = 0; m < nr_memtypes; m++) {
		unsigned cls = memtype_class(memtypes[m]);

		assert_non_null(memtypes[m]->punch);
		/* exactly one class */
		assert_true(cls && !(cls & (cls - 1)) && !(cls & ~MEM_ALL));
	}
	/* what compare calls a control comes from the ioctl's entry */
	assert_true(cmp_is_control("anon", "copy"));
	assert_true(cmp_is_control("anon", "move"));
	assert_false(cmp_is_control("anon", "poison"));
	assert_true(cmp_is_control("shmem-private", "zeropage"));
	assert_false(cmp_is_control("shmem-private", "continue"));
	assert_false(cmp_is_control("shmem-memfd", "copy"));
	assert_false(cmp_is_control("shmem-memfd", "poison"));
	assert_true(cmp_is_control("shmem-memfd", "writeprotect"));
	assert_true(cmp_is_control("hugetlb", "unprotect"));
	assert_false(cmp_is_control("nosuch", "copy"));
	assert_false(cmp_is_control("anon", "nosuch"));
}

/* Punching part of a range leaves the rest: the memory type's own way. */
static void test_punch(void **state)
{
	const char *names[] = { "anon", "shmem-memfd", "shmem-anon", "shmem-private" };
	int pagemap = open("/proc/self/pagemap", O_RDONLY);

	(void)state;
	for (unsigned k = 0; k < 4; k++) {
		struct region r = { .mt = memtype_find(names[k]), .fd = -1, .page_size = 4096 };
		uint64_t e;

		assert_int_equal(r.mt->setup(&r, 4 * 4096), 0);
		memset(r.area, 1, 4 * 4096);
		assert_int_equal(r.mt->punch(&r, 1, 2), 0);
		pread(pagemap, &e, 8, (uintptr_t)(r.area + 4096) / 4096 * 8);
		assert_false(e & PM_PRESENT);
		assert_int_equal(r.area[4096], 0);	/* gone from the file too */
		assert_int_equal(r.area[0], 1);
		assert_int_equal(r.area[3 * 4096], 1);
		r.mt->teardown(&r);
	}
	close(pagemap);
}

/* Runs (mt, op) at batches 1 and 2 on threads threads, every page verified; false if skipped. */
static bool run_threaded(const char *memtype, enum uffd_op op, unsigned threads)
{
	const struct memtype_ops *mt = memtype_find(memtype);
	struct harness_opts o = opts(2);
	size_t pages = mt->huge_size ? 4 : 64;
	char why[256];

	if (why_not(mt, op, pages, why, sizeof(why))) {
		print_message("%s %s skipped: %s\n", memtype, uop_name(op), why);
		return false;
	}
	for (unsigned batch = 1; batch <= 2; batch++) {
		struct cell c = { .mt = mt, .op = op, .batch = batch, .threads = threads,
				  .size = pages * memtype_page_size(mt) };
		struct cell_result r;

		harness_run_cell(&c, &o, &r);
		if (r.status != CELL_OK)
			fail_msg("%s %s batch %u: %s", memtype, uop_name(op), batch, r.reason);
		assert_int_equal(r.rounds, 2);
		assert_int_equal(r.verify.mismatches, 0);
		assert_int_equal(r.verify.pages_checked, 3 * pages * threads);
		assert_int_equal(r.outcomes.ok, 3 * pages / batch * threads);
		assert_true(r.tr[0].t_end > r.tr[0].t_start);
		cell_result_free(&r);
	}
	return true;
}

static bool run_cells(const char *memtype, enum uffd_op op)
{
	return run_threaded(memtype, op, 1);
}

/* Two threads, each its own range and uffd: markers and SIGBUS probes per thread. */
static void test_threads(void **state)
{
	(void)state;
	run_threaded("anon", UOP_MOVE, 2);
	run_threaded("anon", UOP_POISON, 2);
	run_threaded("shmem-memfd", UOP_POISON, 2);
	run_threaded("shmem-memfd", UOP_WRITEPROTECT, 2);
	run_threaded("anon", UOP_UNPROTECT, 2);
}

static void test_move(void **state)
{
	struct fixture f;
	struct verify_result v;
	char why[256];

	(void)state;
	if (!run_cells("anon", UOP_MOVE))
		skip();
	/* a pass that did not happen: the pages are missing */
	fixture_setup(&f, "anon", UOP_MOVE, ioctls[UOP_MOVE], 8);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 8 + 8);	/* missing here, and still in the source */
	assert_non_null(strstr(v.first_error, "not present"));
	/* a move that left the source full (as a copy would) */
	fixture_pass(&f);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 0);
	assert_int_equal(v.pages_checked, 8);
	iop_fill_src(&f.t, 5);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 8);
	assert_non_null(strstr(v.first_error, "still in the source"));
	fixture_teardown(&f);
	/* shared memory is refused by the kernel: a skip with its reason */
	assert_non_null(caps_skip_reason(&caps, memtype_find("shmem-memfd"), UOP_MOVE, why,
					 sizeof(why)));
	assert_non_null(strstr(why, "UFFDIO_MOVE on shmem-memfd: EINVAL"));
}

static void test_poison(void **state)
{
	struct ioctl_ops punch_only = *ioctls[UOP_POISON];
	struct fixture f;
	struct verify_result v;

	(void)state;
	if (!run_cells("anon", UOP_POISON))
		skip();
	run_cells("shmem-memfd", UOP_POISON);
	run_cells("shmem-private", UOP_POISON);
	run_cells("hugetlb", UOP_POISON);
	/* a poisoned page raises SIGBUS; an ordinary one does not */
	fixture_setup(&f, "anon", UOP_POISON, ioctls[UOP_POISON], 4);
	fixture_pass(&f);
	assert_int_equal(uffd_unregister(f.t.uffd, f.r.area, f.r.len), 0);
	assert_int_equal(sigbus_probe(f.r.area), 1);
	assert_int_equal(ioctls[UOP_POISON]->reset(&f.t), 0);
	assert_int_equal(sigbus_probe(f.r.area), 0);
	fixture_teardown(&f);
	/* no markers at all: the touches map pages instead of raising SIGBUS */
	fixture_setup(&f, "shmem-memfd", UOP_POISON, ioctls[UOP_POISON], 4);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 4);
	assert_non_null(strstr(v.first_error, "without SIGBUS"));
	fixture_teardown(&f);
	/* a reset that only punches the file leaves shmem's markers: caught */
	punch_only.reset = iop_reset_type;
	fixture_setup(&f, "shmem-memfd", UOP_POISON, &punch_only, 4);
	fixture_pass(&f);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 4);
	assert_non_null(strstr(v.first_error, "the reset left it mapped or marked"));
	iop_reset_zap(&f.t);
	fixture_teardown(&f);
}

static void test_writeprotect(void **state)
{
	static const char *const types[] = { "anon", "shmem-memfd", "shmem-private", "hugetlb" };
	struct fixture f;
	struct verify_result v;

	(void)state;
	if (!run_cells("anon", UOP_WRITEPROTECT))
		skip();
	for (unsigned k = 0; k < 4; k++) {
		run_cells(types[k], UOP_WRITEPROTECT);
		run_cells(types[k], UOP_UNPROTECT);
	}
	/* prepared but not protected: pagemap's uffd-wp bit is clear */
	fixture_setup(&f, "shmem-memfd", UOP_WRITEPROTECT, ioctls[UOP_WRITEPROTECT], 4);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 4);
	assert_non_null(strstr(v.first_error, "not write-protected"));
	fixture_pass(&f);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 0);
	fixture_teardown(&f);
	/* protected by prepare, never cleared: still write-protected */
	fixture_setup(&f, "anon", UOP_UNPROTECT, ioctls[UOP_UNPROTECT], 4);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 4);
	assert_non_null(strstr(v.first_error, "still write-protected"));
	fixture_pass(&f);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 0);
	fixture_teardown(&f);
}

/* A kernel without an ioctl: caps' reason names the missing feature; run skips. */
static void test_missing_feature_skips(void **state)
{
	struct caps old = caps;
	const struct memtype_ops *anon = memtype_find("anon");
	struct caps_entry *e = &old.mt[memtype_index(anon)].e[REG_MISSING][UOP_POISON];
	char why[256];

	(void)state;
	old.features &= ~(uint64_t)ioctls[UOP_POISON]->feature;
	e->result = -EINVAL;
	assert_non_null(caps_skip_reason(&old, anon, UOP_POISON, why, sizeof(why)));
	assert_non_null(strstr(why, "UFFDIO_POISON on anon: EINVAL (no UFFD_FEATURE_POISON)"));
	e->result = 0;
	e->reg = -EINVAL;
	assert_non_null(caps_skip_reason(&old, anon, UOP_POISON, why, sizeof(why)));
	assert_non_null(strstr(why, "register(missing)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_properties_choose),
		cmocka_unit_test(test_memtype_fields),
		cmocka_unit_test(test_punch),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_poison),
		cmocka_unit_test(test_writeprotect),
		cmocka_unit_test(test_missing_feature_skips),
		cmocka_unit_test(test_threads),
	};
	int ret;

	if (caps_probe(&caps, uffd_probe_mask(false))) {
		print_message("no userfaultfd here: skipping\n");
		return 0;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	hugepages_restore();
	return ret;
}
