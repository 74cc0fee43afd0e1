// SPDX-License-Identifier: MIT
/*
 * Attribution (bench/attr): a synthetic plugin output charged to synthetic
 * symbols exactly (instructions, indirect calls through thunks and native,
 * thunk entries, the vDSO and user space); only the passes with the fewest
 * interrupts charged; the check of every pass's count against its clock; cells that do not match refused; two kernels compared
 * with new/gone functions and the answer line from the batch fit; and the
 * markers' instruction in the binary, as the plugin looks for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "attr/attr.h"
#include "core/attr_mark.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char syms_text[] =
	"ffffffff81000000 T userfaultfd_ioctl\n"
	"ffffffff81000100 t shmem_get_folio\n"
	"ffffffff81000200 T __x86_indirect_thunk_rax\n"
	"ffffffff81000220 T __x86_return_thunk\n"
	"ffffffff81000300 T old_fn\n"
	"ffffffff81000400 T new_fn\n"
	"ffffffff81000500 D some_data\n";

static void load_syms(struct attr_syms *t)
{
	char path[] = "/tmp/test_attr_syms.XXXXXX", err[256];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, syms_text, strlen(syms_text)), (ssize_t)strlen(syms_text));
	close(fd);
	assert_int_equal(attr_syms_load(t, path, err, sizeof(err)), 0);
	unlink(path);
}

/* A results line: one thread, rounds of wall_ns with pages and ioctls each, irqs (NULL: none). */
static void results_irqs(char *buf, size_t len, unsigned batch, const uint64_t *wall, unsigned n,
			 unsigned pages, const int *irqs)
{
	size_t at = snprintf(buf, len, "{\"memtype\":\"shmem-memfd\",\"ioctl\":\"continue\",\"batch\":%u,"
			     "\"threads\":1,\"status\":\"ok\",\"rounds\":[", batch);

	for (unsigned i = 0; i < n; i++) {
		at += snprintf(buf + at, len - at, "%s{\"wall_ns\":%llu,\"threads\":[{\"pages\":%u,\"ioctls\":%u}]",
			       i ? "," : "", (unsigned long long)wall[i], pages, pages / batch);
		if (irqs)
			at += snprintf(buf + at, len - at, ",\"irqs\":%d", irqs[i]);
		at += snprintf(buf + at, len - at, "}");
	}
	snprintf(buf + at, len - at, "]}\n");
}

static void results_line(char *buf, size_t len, unsigned batch, const uint64_t *wall, unsigned n,
			 unsigned pages)
{
	results_irqs(buf, len, batch, wall, n, pages, NULL);
}

static int load(struct attr_set *set, const char *plugin, const char *results, char *err,
		size_t errlen)
{
	struct attr_syms t = { 0 };
	FILE *p = fmemopen((void *)plugin, strlen(plugin), "r");
	FILE *r = fmemopen((void *)results, strlen(results), "r");
	int ret;

	load_syms(&t);
	ret = attr_load_streams(set, p, &t, r, NULL, err, errlen);
	fclose(p);
	fclose(r);
	attr_syms_free(&t);
	return ret;
}

static const struct attr_fn *fn(const struct attr_cell *c, const char *name)
{
	for (size_t i = 0; i < c->nfn; i++)
		if (!strcmp(c->fn[i].name, name))
			return &c->fn[i];
	return NULL;
}

static const char plugin_one[] =
	"uffdattr 2 mode=insn\n"
	"endcell 0 passes 0 insns 0\n"	/* a cell with no counted pass: no line */
	"pass 0 500\n"
	"i ffffffff81000000 300\n"
	"i ffffffff81000100 100\n"
	"i ffffffff81000105 50 c\n"			/* a native indirect call */
	"i 7ffff7ffd000 40\n"
	"i 401000 10\n"
	"endpass 0\n"
	"pass 1 700\n"
	"i ffffffff81000000 300\n"
	"i ffffffff81000010 100 C ffffffff81000200\n"	/* a call through the thunk */
	"i ffffffff81000100 100\n"
	"i ffffffff81000200 100\n"			/* the thunk's entry */
	"i ffffffff81000205 100 j\n"			/* its own jump: not counted again */
	"endpass 1\n"
	"endcell 1 passes 2 insns 1200\n"
	"exit cells 2 counters 9 insns 9\n";

static void test_attr_charges(void **state)
{
	uint64_t wall[] = { 500, 700 };
	struct attr_set set = { 0 };
	const struct attr_cell *c;
	char res[1024], err[256];

	(void)state;
	results_line(res, sizeof(res), 1, wall, 2, 10);
	assert_int_equal(load(&set, plugin_one, res, err, sizeof(err)), 0);
	assert_int_equal(set.n, 1);
	c = &set.c[0];
	assert_int_equal(c->passes, 2);
	assert_int_equal(c->pages, 20);
	assert_int_equal(c->kept, 2);
	assert_int_equal(c->kept_insns, 1200);
	assert_int_equal(c->insns, 1200);
	assert_int_equal(c->clock, 1200);
	assert_int_equal(c->bad_passes, 0);
	assert_true(fn(c, "userfaultfd_ioctl")->insns == 700);
	assert_true(fn(c, "userfaultfd_ioctl")->ind == 100);
	assert_true(fn(c, "shmem_get_folio")->insns == 250);
	assert_true(fn(c, "shmem_get_folio")->ind == 50);
	assert_true(fn(c, "__x86_indirect_thunk_rax")->insns == 200);
	assert_true(fn(c, "__x86_indirect_thunk_rax")->entries == 100);
	assert_true(fn(c, "__x86_indirect_thunk_rax")->ind == 0);
	assert_true(fn(c, "[vdso]")->insns == 40);
	assert_true(fn(c, "[user]")->insns == 10);
	assert_true(attr_cell_ind(c) == 150);
	attr_set_free(&set);
}

/* Only the passes with the fewest interrupts are charged; every pass is checked. */
static void test_attr_fewest_irqs(void **state)
{
	uint64_t wall[] = { 500, 700 };
	int irqs[] = { 1, 0 };
	struct attr_set set = { 0 };
	const struct attr_cell *c;
	char res[1024], err[256];

	(void)state;
	results_irqs(res, sizeof(res), 1, wall, 2, 10, irqs);
	assert_int_equal(load(&set, plugin_one, res, err, sizeof(err)), 0);
	c = &set.c[0];
	assert_int_equal(c->passes, 2);
	assert_int_equal(c->kept, 1);
	assert_int_equal(c->kept_insns, 700);
	assert_int_equal(c->pages, 10);
	assert_int_equal(c->insns, 1200);
	assert_int_equal(c->clock, 1200);
	assert_true(fn(c, "userfaultfd_ioctl")->insns == 400);
	assert_true(fn(c, "shmem_get_folio")->insns == 100);
	assert_null(fn(c, "[vdso]"));
	attr_set_free(&set);
}

/* A pass whose count is not its clock is kept, counted and reported. */
static void test_attr_clock_mismatch(void **state)
{
	uint64_t wall[] = { 500, 699 };
	struct attr_set set = { 0 };
	char res[1024], err[256];

	(void)state;
	results_line(res, sizeof(res), 1, wall, 2, 10);
	assert_int_equal(load(&set, plugin_one, res, err, sizeof(err)), 0);
	assert_int_equal(set.c[0].bad_passes, 1);
	assert_int_equal(set.c[0].insns - set.c[0].clock, 1);
	attr_set_free(&set);
}

/* Passes against rounds that do not match, or lines that do not add up: refused. */
static void test_attr_refuses(void **state)
{
	uint64_t wall[] = { 500, 700, 800 };
	struct attr_set set = { 0 };
	char res[1024], err[256], bad[2048];

	(void)state;
	results_line(res, sizeof(res), 1, wall, 3, 10);
	assert_int_equal(load(&set, plugin_one, res, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "do not match"));
	attr_set_free(&set);
	results_line(res, sizeof(res), 1, wall, 2, 10);
	snprintf(bad, sizeof(bad), "%s", plugin_one);
	memcpy(strstr(bad, "i 401000 10"), "i 401000 11", 11);
	assert_int_equal(load(&set, bad, res, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "do not add up"));
	attr_set_free(&set);
}

/* One kernel's cell: per page, userfaultfd_ioctl 8 + 2/batch, shmem_get_folio s, fnx 1. */
static void synth(struct attr_set *set, unsigned batch, unsigned shmem, const char *fnx)
{
	unsigned pages = 64, ioctls = pages / batch;
	unsigned long long u = 8ULL * pages + 2ULL * ioctls, s = (unsigned long long)shmem * pages;
	unsigned long long x = pages, total = u + s + x;
	char plugin[1024], res[1024], err[256];
	uint64_t wall[] = { total };

	snprintf(plugin, sizeof(plugin),
		 "uffdattr 2 mode=insn\npass 0 %llu\ni ffffffff81000000 %llu\n"
		 "i ffffffff81000100 %llu\ni %s %llu\nendpass 0\nendcell 0 passes 1 insns %llu\n",
		 total, u, s, !strcmp(fnx, "old_fn") ? "ffffffff81000300" : "ffffffff81000400", x, total);
	results_line(res, sizeof(res), batch, wall, 1, pages);
	assert_int_equal(load(set, plugin, res, err, sizeof(err)), 0);
}

static void test_attr_compare(void **state)
{
	struct attr_set a = { 0 }, b = { 0 };
	struct attr_fit f;
	char line[1024];

	(void)state;
	synth(&a, 1, 10, "old_fn");
	synth(&a, 64, 10, "old_fn");
	synth(&b, 1, 13, "new_fn");
	synth(&b, 64, 13, "new_fn");
	assert_int_equal(attr_fit_fn(&a, "shmem-memfd", "continue", "userfaultfd_ioctl", &f), 0);
	assert_true(fabs(f.insn_page - 8) < 1e-9 && fabs(f.insn_ioctl - 2) < 1e-9);
	assert_int_equal(attr_fit_total(&b, "shmem-memfd", "continue", &f), 0);
	assert_true(fabs(f.insn_page - 22) < 1e-9 && fabs(f.insn_ioctl - 2) < 1e-9);
	attr_answer(line, sizeof(line), &a, &b, "shmem-memfd", "continue", 6);
	assert_string_equal(line, "shmem-memfd continue: +3.0 instructions/page, +0.00 indirect calls/page, "
			    "+0.0 instructions/ioctl, +0.00 indirect/ioctl "
			    "(shmem_get_folio +3.0, new_fn new +1.0, old_fn gone -1.0)");
	attr_set_free(&a);
	attr_set_free(&b);
}

/* The guest's TSC rate from dmesg, and a pass's count against its clock through it. */
static void test_attr_tsc(void **state)
{
	static const char refined[] = "[0.0] tsc: Detected 1000.012 MHz processor\n"
				      "[0.0] tsc: Detected 1000.012 MHz TSC\n"
				      "[1.3] tsc: Refined TSC clocksource calibration: 999.999 MHz\n";
	static const char early[] = "[0.0] tsc: Detected 1000.000 MHz TSC\n";
	/* 6.12 tinyconfig: the processor's rate only, which is the TSC's */
	static const char processor[] = "[0.0] tsc: Fast TSC calibration using PIT\n"
					"[0.0] tsc: Detected 999.993 MHz processor\n";
	FILE *f;

	(void)state;
	f = fmemopen((void *)refined, strlen(refined), "r");
	assert_int_equal(attr_tsc_khz(f), 999999);
	fclose(f);
	f = fmemopen((void *)early, strlen(early), "r");
	assert_int_equal(attr_tsc_khz(f), 1000000);
	fclose(f);
	f = fmemopen((void *)processor, strlen(processor), "r");
	assert_int_equal(attr_tsc_khz(f), 999993);
	fclose(f);
	/* a 12,285,801-instruction pass at 999.993 MHz reads 12,285,887 ns */
	assert_int_equal(attr_pass_check(12285801, 12285887, 1000000.0 / 999993), 1);
	/* a long pass: within 0.1 ppm of the rate (9.6 ns here), not 1.5 ns */
	assert_int_equal(attr_pass_check(96227063, 96227740, 1.000006969), 1);
	assert_int_equal(attr_pass_check(96227063, 96227760, 1.000006969), 0);
	assert_int_equal(attr_pass_check(3998223, 3998223, 1), 2);
	assert_int_equal(attr_pass_check(3998223, 3998227, 1), 0);
	assert_int_equal(attr_pass_check(3998223, 3998227, 1 + 1e-6), 1);	/* 3998227.0 */
	assert_int_equal(attr_pass_check(3998223, 3998229, 1 + 1e-6), 0);
}

/* The markers hold the instruction the plugin recognises (48 b8 imm64). */
static void test_attr_markers(void **state)
{
	void (*const f[])(void) = { attr_mark_begin, attr_mark_end, attr_mark_cell };

	(void)state;
#if defined(__x86_64__)
	for (unsigned k = 0; k < 3; k++) {
		const unsigned char *p = (const unsigned char *)f[k];
		unsigned long long imm = 0;
		unsigned i;

		for (i = 0; i < 16 && !(p[i] == 0x48 && p[i + 1] == 0xb8); i++)
			;
		assert_true(i < 16);
		memcpy(&imm, p + i + 2, sizeof(imm));
		assert_true(imm == (ATTR_MAGIC | (k + 1)));
		f[k]();	/* and cost nothing but the call */
	}
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attr_charges),
		cmocka_unit_test(test_attr_fewest_irqs),
		cmocka_unit_test(test_attr_clock_mismatch),
		cmocka_unit_test(test_attr_refuses),
		cmocka_unit_test(test_attr_compare),
		cmocka_unit_test(test_attr_tsc),
		cmocka_unit_test(test_attr_markers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
