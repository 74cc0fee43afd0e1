// SPDX-License-Identifier: MIT
/*
 * The matrix from the tables: every memory type x every ioctl, with what
 * to expect taken from the ioctl's entry alone (its targets, its feature,
 * its expect), so a new ioctl or memory type is tested by this file as it
 * is.  A target the kernel refuses while announcing the ioctl's feature
 * fails; a non-target is skipped with caps' reason; every cell that runs
 * is verified on every page; verification catches a pass that did not
 * happen, and a lost write protection where the entry promises one.  And
 * every timed loop, disassembled, makes no indirect call.  hugetlb parts
 * need root (skipped with the reason otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "uffd_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum outcome { SKIPPED_TARGET, SKIPPED_OTHER, RAN };

/* Pages of a cell: few huge ones (each is cleared and filled every round). */
static size_t cell_pages(const struct memtype_ops *mt)
{
	return mt->huge_size >= (1ul << 30) ? 1 : mt->huge_size ? 4 : 32;
}

/* Does the kernel announce op and still refuse it on mt after registering? */
static bool refused_with_feature(const struct memtype_ops *mt, enum uffd_op op)
{
	const struct caps_memtype *cm = &caps.mt[memtype_index(mt)];
	const struct caps_entry *e = &cm->e[uop_mode(op)][op];
	uint64_t feature = ioctls[op]->feature;

	if (cm->unavailable[0] || e->reg || !e->tried || !e->result)
		return false;
	return !feature || (caps.features & feature);
}

/* Batches 1 and 2, every page verified, warm-up round included. */
static void run_cell(const struct memtype_ops *mt, enum uffd_op op, size_t pages)
{
	struct harness_opts o = opts(2);

	for (unsigned batch = 1; batch <= 2 && batch <= pages; batch++) {
		struct cell c = { .mt = mt, .op = op, .batch = batch, .threads = 1,
				  .size = pages * memtype_page_size(mt) };
		struct cell_result r;

		harness_run_cell(&c, &o, &r);
		if (r.status != CELL_OK)
			fail_msg("%s %s batch %u: %s", mt->name, uop_name(op), batch, r.reason);
		assert_int_equal(r.rounds, 2);
		assert_int_equal(r.verify.mismatches, 0);
		assert_int_equal(r.verify.pages_checked, 3 * pages);
		assert_int_equal(r.outcomes.ok, 3 * (pages / batch));
		assert_true(r.tr[0].t_end > r.tr[0].t_start);
		cell_result_free(&r);
	}
}

/* What verification expects of the entry is checked, not only passed. */
static void verify_catches(const struct memtype_ops *mt, enum uffd_op op)
{
	const struct ioctl_ops *io = ioctls[op];
	struct verify_result v;
	struct fixture f;

	/* prepared, never passed: every page is wrong in some way */
	fixture_setup(&f, mt->name, op, io, 4);
	v = fixture_verify(&f);
	if (v.mismatches < 4)
		fail_msg("%s %s: a pass that did not happen: %llu mismatches", mt->name,
			 io->name, (unsigned long long)v.mismatches);
	fixture_teardown(&f);
	if (!(io->expect.pagemap_set & PM_UFFD_WP))
		return;
	/* passed, then unprotected: the promised uffd-wp bit is missing */
	fixture_setup(&f, mt->name, op, io, 4);
	fixture_pass(&f);
	assert_int_equal(fixture_verify(&f).mismatches, 0);
	assert_int_equal(iop_protect(&f.t, false), 0);
	v = fixture_verify(&f);
	assert_int_equal(v.mismatches, 4);
	assert_non_null(strstr(v.first_error, "not write-protected"));
	fixture_teardown(&f);
}

static enum outcome one_pair(const struct memtype_ops *mt, enum uffd_op op)
{
	bool target = uop_targets(op, mt);
	size_t pages = cell_pages(mt);
	char why[256];

	if (target && refused_with_feature(mt, op))
		fail_msg("%s on %s: a target of its entry, refused: %s", uop_name(op), mt->name,
			 caps_skip_reason(&caps, mt, op, why, sizeof(why)));
	if (!target) {
		/* not a target: this kernel must refuse it too (else the entry is short) */
		if (!caps_skip_reason(&caps, mt, op, why, sizeof(why)))
			fail_msg("%s on %s: runs, but its entry does not target %s", uop_name(op),
				 mt->name, mt->name);
		print_message("%-16s %-12s not a target: %s\n", mt->name, uop_name(op), why);
		return SKIPPED_TARGET;
	}
	if (why_not(mt, op, pages, why, sizeof(why))) {
		print_message("%-16s %-12s skipped: %s\n", mt->name, uop_name(op), why);
		return SKIPPED_OTHER;
	}
	/* a 1 GiB page per round is slow: the ioctls that resolve faults are enough */
	if (pages == 1 && !(uop_fault_ops() & (1u << op)))
		return SKIPPED_OTHER;
	run_cell(mt, op, pages);
	if (pages >= 4)
		verify_catches(mt, op);
	return RAN;
}

static void test_matrix(void **state)
{
	unsigned ran = 0, not_target = 0;

	(void)state;
	for (unsigned m = 0; m < nr_memtypes; m++) {
		for (int op = 0; op < UOP_NR; op++) {
			enum outcome o = one_pair(memtypes[m], op);

			ran += o == RAN;
			not_target += o == SKIPPED_TARGET;
		}
	}
	print_message("matrix: %u ran, %u not targets\n", ran, not_target);
	/* anon copy/zeropage and shmem's three ioctls run on any kernel with userfaultfd */
	assert_true(ran >= 2 + 3);
}

/* Base name of a timed loop's symbol line "<timed_pass_NAME[.cold]>:", or NULL. */
static const char *loop_symbol(char *line, char *name, size_t len)
{
	char *s = strstr(line, "<timed_pass_"), *e;

	if (!s || !strstr(line, ">:"))
		return NULL;
	s += strlen("<timed_pass_");
	e = s + strcspn(s, ".>");
	snprintf(name, len, "%.*s", (int)(e - s), s);
	return name;
}

static bool indirect(const char *insn)
{
	const char *c = strstr(insn, "call");

	if (!c)
		c = strstr(insn, "jmp");
	return c && strchr(c, '*');
}

/* Every entry's timed loop exists in the binary and calls nothing indirectly. */
static void test_timed_loops_direct(void **state)
{
	char cmd[512], line[512], name[64] = "";
	bool seen[UOP_NR] = { false }, in_loop = false;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "objdump -d --no-show-raw-insn /proc/%d/exe 2>/dev/null",
		 (int)getpid());
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, ">:")) {
			in_loop = loop_symbol(line, name, sizeof(name)) != NULL;
			for (int op = 0; in_loop && op < UOP_NR; op++) {
				char want[64];

				snprintf(want, sizeof(want), "%s", uop_name(op));
				for (char *q = want; *q; q++)
					*q = *q == '-' ? '_' : *q;
				seen[op] |= !strcmp(want, name);
			}
			continue;
		}
		if (in_loop && indirect(line))
			fail_msg("timed_pass_%s: an indirect call or jump: %s", name, line);
	}
	if (pclose(p))
		skip();		/* no objdump here */
	for (int op = 0; op < UOP_NR; op++)
		if (!seen[op])
			fail_msg("no timed_pass_* for %s in the binary", uop_name(op));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timed_loops_direct),
		cmocka_unit_test(test_matrix),
	};
	int ret;

	if (caps_probe(&caps, uffd_probe_mask(true))) {
		print_message("no userfaultfd here: skipping\n");
		return 0;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	hugepages_restore();
	return ret;
}
