// SPDX-License-Identifier: MIT
/*
 * uffdattr: a qemu TCG plugin that counts, exactly, the guest instructions
 * executed inside uffdbench's timed passes, per instruction address, so that
 * `uffdbench attribute` can charge them to kernel functions.
 *
 *   qemu-system-x86_64 ... -icount shift=0,sleep=off \
 *       -plugin build/plain/attr/uffdattr.so,out=FILE[,mode=insn|tb]
 *
 * Counting.  Inline ops only (no callback per block): one counter per
 * translated instruction, bumped by one before it runs (mode=insn, the
 * default), or one per translated block, bumped once per execution of the
 * block (mode=tb: cheaper, but a block left half-way counts whole; on the
 * Debian 6.1 kernel that is one instruction per page of a CONTINUE in
 * mcopy_continue(), so its totals miss the clock).  The counters run all the
 * time; a pass's count is the difference of two snapshots of all of them.
 *
 * The window.  uffdbench calls three empty noinline marker functions, outside
 * its clock: each holds one `movabs $MAGIC|kind, %rax` the plugin recognises
 * when it translates it (kind 1: a timed pass begins, 2: it ended, 3: the
 * cell ended).  A pass's clock is two reads of the TSC in the vDSO (user
 * space above 0x7f0000000000; under icount the TSC is the instruction
 * count).  After a begin marker, the first such rdtsc/rdtscp takes the start
 * snapshot, every later one the end snapshot: the pass's count is the
 * instructions after the first read up to and including the last, exactly
 * what the difference of the two clock values counts.
 *
 * Output (a line format `uffdbench attribute` parses), per pass as it ends,
 * then per cell, in order:
 *   uffdattr 2 mode=insn
 *   pass K INSNS [noclock]                   K: from 0 in each cell
 *   i VADDR COUNT [c|j|C TARGET|J TARGET]    c/j: indirect call/jmp; C/J: direct
 *   endpass K
 *   endcell SEQ passes N insns TOTAL
 * Addresses are hex; counts decimal.  The guest runs on one vCPU (icount is
 * single-threaded TCG), so callbacks never race.
 */
#include <qemu-plugin.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define ATTR_MAGIC	0x7566666461747400ULL	/* "uffdatt\0" | kind */
#define MARK_BEGIN	1
#define MARK_END	2
#define MARK_CELL	3
#define VDSO_LOW	0x7f0000000000ULL
#define USER_TOP	0x800000000000ULL
#define CHUNK		(1u << 16)
#define MAX_CHUNKS	(1u << 14)	/* 2^30 counters */

enum kind { K_PLAIN, K_ICALL, K_IJMP, K_CALL, K_JMP };

struct slot {			/* one counter: a block (tb) or an instruction (insn) */
	uint64_t count;		/* bumped by the inline op */
	uint64_t base;		/* at the pass's first clock read */
	uint64_t end;		/* at its last */
	uint32_t first, n;	/* its instructions: ins[first, first + n) */
};

struct insn_info {
	uint64_t vaddr, target;
	uint8_t kind;
};

enum state { IDLE, ARMED, RUNNING };

static struct {
	FILE *out;
	bool per_insn;
	struct slot *chunk[MAX_CHUNKS];
	uint32_t nslots;
	struct insn_info *ins;
	uint32_t nins, cap_ins;
	enum state state;
	uint64_t cell_insns;
	unsigned passes;
	unsigned cell;
	bool failed;
} g;

static struct slot *slot_at(uint32_t i)
{
	return &g.chunk[i / CHUNK][i % CHUNK];
}

static struct slot *slot_new(void)
{
	uint32_t c = g.nslots / CHUNK;

	if (c >= MAX_CHUNKS)
		return NULL;
	if (!g.chunk[c]) {
		g.chunk[c] = calloc(CHUNK, sizeof(struct slot));
		if (!g.chunk[c])
			return NULL;
	}
	return slot_at(g.nslots++);
}

static int insn_add(uint64_t vaddr, const uint8_t *p, size_t len);

/* Skip legacy and REX prefixes: the opcode's offset, or len if none. */
static size_t opcode_at(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == 0x66 || p[i] == 0x67 || p[i] == 0xf2 || p[i] == 0xf3 ||
			   p[i] == 0x2e || p[i] == 0x3e || p[i] == 0x26 || p[i] == 0x36 ||
			   p[i] == 0x64 || p[i] == 0x65 || (p[i] & 0xf0) == 0x40))
		i++;
	return i;
}

static enum kind branch_kind(uint64_t vaddr, const uint8_t *p, size_t len, uint64_t *target)
{
	size_t i = opcode_at(p, len);
	int32_t rel;

	if (i + 1 < len && p[i] == 0xff) {
		unsigned reg = (p[i + 1] >> 3) & 7;

		if (reg == 2 || reg == 3)
			return K_ICALL;
		if (reg == 4 || reg == 5)
			return K_IJMP;
	}
	if (i + 5 == len && (p[i] == 0xe8 || p[i] == 0xe9)) {
		memcpy(&rel, p + i + 1, sizeof(rel));
		*target = vaddr + len + (int64_t)rel;
		return p[i] == 0xe8 ? K_CALL : K_JMP;
	}
	return K_PLAIN;
}

static int insn_add(uint64_t vaddr, const uint8_t *p, size_t len)
{
	struct insn_info *in;

	if (g.nins == g.cap_ins) {
		uint32_t cap = g.cap_ins ? g.cap_ins * 2 : 1u << 16;
		struct insn_info *n = realloc(g.ins, (size_t)cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		g.ins = n;
		g.cap_ins = cap;
	}
	in = &g.ins[g.nins++];
	in->vaddr = vaddr;
	in->target = 0;
	in->kind = branch_kind(vaddr, p, len, &in->target);
	return 0;
}

/* A marker's kind (1..3), or 0. */
static int marker_kind(const uint8_t *p, size_t len)
{
	uint64_t imm;

	if (len != 10 || p[0] != 0x48 || p[1] != 0xb8)
		return 0;
	memcpy(&imm, p + 2, sizeof(imm));
	if ((imm & ~0xffULL) != ATTR_MAGIC || (imm & 0xff) < MARK_BEGIN || (imm & 0xff) > MARK_CELL)
		return 0;
	return imm & 0xff;
}

static bool is_user_clock(uint64_t vaddr, const uint8_t *p, size_t len)
{
	size_t i = opcode_at(p, len);

	if (vaddr < VDSO_LOW || vaddr >= USER_TOP || i + 1 >= len || p[i] != 0x0f)
		return false;
	return p[i + 1] == 0x31 || (i + 2 < len && p[i + 1] == 0x01 && p[i + 2] == 0xf9);
}

static void snapshot(bool start)
{
	for (uint32_t i = 0; i < g.nslots; i++) {
		struct slot *s = slot_at(i);

		s->end = s->count;
		if (start)
			s->base = s->count;
	}
}

/* Sum a pass's counts per instruction address: a small open-addressing table. */
struct agg {
	uint64_t *key, *val;
	uint32_t *ins;		/* an insn_info of that address: its kind and target */
	uint32_t mask, used;
};

static int agg_grow(struct agg *a);

static int agg_add(struct agg *a, uint32_t ii, uint64_t count)
{
	uint64_t v = g.ins[ii].vaddr;
	uint32_t h;

	if (a->used * 2 >= a->mask && agg_grow(a))
		return -ENOMEM;
	for (h = (uint32_t)((v * 0x9e3779b97f4a7c15ULL) >> 32) & a->mask; a->val[h]; h = (h + 1) & a->mask) {
		if (a->key[h] == v) {
			a->val[h] += count;
			return 0;
		}
	}
	a->key[h] = v;
	a->val[h] = count;
	a->ins[h] = ii;
	a->used++;
	return 0;
}

static int agg_grow(struct agg *a)
{
	struct agg n = { .mask = a->mask ? a->mask * 2 + 1 : 4095 };
	int ret = 0;

	n.key = calloc(n.mask + 1, sizeof(*n.key));
	n.val = calloc(n.mask + 1, sizeof(*n.val));
	n.ins = calloc(n.mask + 1, sizeof(*n.ins));
	if (!n.key || !n.val || !n.ins) {
		ret = -ENOMEM;
		goto out;
	}
	for (uint32_t h = 0; a->mask && h <= a->mask; h++)
		if (a->val[h])
			agg_add(&n, a->ins[h], a->val[h]);
	free(a->key);
	free(a->val);
	free(a->ins);
	*a = n;
	return 0;
out:
	free(n.key);
	free(n.val);
	free(n.ins);
	return ret;
}

static void agg_free(struct agg *a)
{
	free(a->key);
	free(a->val);
	free(a->ins);
}

/* The pass's count per slot, summed per address into a; its total. */
static int pass_collect(struct agg *a, uint64_t *total)
{
	*total = 0;
	for (uint32_t i = 0; i < g.nslots; i++) {
		struct slot *s = slot_at(i);
		uint64_t d = s->end - s->base;

		if (!d)
			continue;
		*total += d * s->n;
		for (uint32_t k = 0; k < s->n; k++)
			if (agg_add(a, s->first + k, d))
				return -ENOMEM;
	}
	return 0;
}

static void write_insns(const struct agg *a)
{
	static const char kc[] = { 0, 'c', 'j', 'C', 'J' };

	for (uint32_t h = 0; a->mask && h <= a->mask; h++) {
		const struct insn_info *in;

		if (!a->val[h])
			continue;
		in = &g.ins[a->ins[h]];
		fprintf(g.out, "i %" PRIx64 " %" PRIu64, a->key[h], a->val[h]);
		if (in->kind == K_ICALL || in->kind == K_IJMP)
			fprintf(g.out, " %c", kc[in->kind]);
		else if (in->kind)
			fprintf(g.out, " %c %" PRIx64, kc[in->kind], in->target);
		fputc('\n', g.out);
	}
}

/* A pass ended: its count, and its count per address. */
static void pass_end(void)
{
	struct agg a = { 0 };
	uint64_t total = 0;
	int ret = 0;

	if (g.state == RUNNING)
		ret = pass_collect(&a, &total);
	fprintf(g.out, "pass %u %" PRIu64 "%s\n", g.passes, total, g.state == RUNNING ? "" : " noclock");
	if (ret) {
		fprintf(g.out, "error out of memory\n");
		g.failed = true;
	} else {
		write_insns(&a);
	}
	fprintf(g.out, "endpass %u\n", g.passes);
	agg_free(&a);
	g.cell_insns += total;
	g.passes++;
	g.state = IDLE;
}

static void cell_end(void)
{
	fprintf(g.out, "endcell %u passes %u insns %" PRIu64 "\n", g.cell, g.passes, g.cell_insns);
	fflush(g.out);
	g.cell++;
	g.passes = 0;
	g.cell_insns = 0;
	g.state = IDLE;
}

static void on_marker(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	switch ((uintptr_t)udata) {
	case MARK_BEGIN:
		g.state = ARMED;
		break;
	case MARK_END:
		if (g.state != IDLE)
			pass_end();
		break;
	case MARK_CELL:
		cell_end();
		break;
	}
}

static void on_clock(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (g.state == ARMED) {
		snapshot(true);
		g.state = RUNNING;
	} else if (g.state == RUNNING) {
		snapshot(false);
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint32_t first = g.nins;
	struct slot *s = NULL;

	(void)id;
	if (g.failed)
		return;
	for (size_t k = 0; k < n; k++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, k);
		const uint8_t *p = qemu_plugin_insn_data(insn);
		size_t len = qemu_plugin_insn_size(insn);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		int mk = marker_kind(p, len);

		if (insn_add(va, p, len))
			goto fail;
		if (mk)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)mk);
		else if (is_user_clock(va, p, len))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_clock, QEMU_PLUGIN_CB_NO_REGS, NULL);
		if (!g.per_insn)
			continue;
		s = slot_new();
		if (!s)
			goto fail;
		s->first = g.nins - 1;
		s->n = 1;
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &s->count, 1);
	}
	if (g.per_insn || !n)
		return;
	s = slot_new();
	if (!s)
		goto fail;
	s->first = first;
	s->n = n;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &s->count, 1);
	return;
fail:
	g.failed = true;
	fprintf(g.out, "error out of memory after %u counters\n", g.nslots);
	fflush(g.out);
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (g.passes)	/* a cell that never ended: the guest stopped inside it */
		fprintf(g.out, "partial %u passes %u\n", g.cell, g.passes);
	fprintf(g.out, "exit cells %u counters %u insns %u%s\n", g.cell, g.nslots, g.nins,
		g.failed ? " failed" : "");
	fclose(g.out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *out = NULL;

	(void)info;
	g.per_insn = true;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			out = argv[i] + 4;
		} else if (!strcmp(argv[i], "mode=tb")) {
			g.per_insn = false;
		} else if (strcmp(argv[i], "mode=insn")) {
			fprintf(stderr, "uffdattr: unknown argument %s (out=FILE, mode=insn|tb)\n", argv[i]);
			return -1;
		}
	}
	if (!out) {
		fprintf(stderr, "uffdattr: needs out=FILE\n");
		return -1;
	}
	g.out = fopen(out, "w");
	if (!g.out) {
		fprintf(stderr, "uffdattr: %s: %s\n", out, strerror(errno));
		return -1;
	}
	fprintf(g.out, "uffdattr 2 mode=%s\n", g.per_insn ? "insn" : "tb");
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
