// SPDX-License-Identifier: MIT
/*
 * What this kernel allows: for every memory type, register mode and ioctl,
 * does registration work, which ioctls does the kernel say it allows, and
 * what does one real one-page attempt return.  Two kernels that differ here
 * differ in behaviour, whatever their speed.
 */
#include "machine/caps.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "core/pattern.h"
#include "workload.h"
#include "ioctls/ioctl.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

uint64_t caps_wanted_features(const struct caps *c)
{
	return c->features & (UFFD_FEATURE_MISSING_SHMEM | UFFD_FEATURE_MISSING_HUGETLBFS |
			      UFFD_FEATURE_MINOR_SHMEM | UFFD_FEATURE_MINOR_HUGETLBFS);
}

/* One ioctl of one page, prepared as the harness would; 0 or -errno. */
static int attempt(struct region *r, int uffd, enum uffd_op op, char *src, int64_t *bytes)
{
	const struct ioctl_ops *io = ioctls[op];
	/* no patterns: only the result counts (and a 1 GiB page is slow to write) */
	struct ioctl_target t = { .r = r, .op = op, .io = io, .uffd = uffd, .batch = 1,
				  .src = io->src == SRC_NONE ? NULL : src, .src_len = r->page_size,
				  .no_pattern = true };
	struct pass p = { .uffd = uffd, .op = op, .area = r->area, .len = r->page_size,
			  .step = r->page_size, .src = t.src };
	struct pass_result res;
	int ret;

	ret = t.io->reset(&t);
	if (!ret)
		ret = t.io->prepare(&t, 1);
	if (ret)
		return ret;
	ioctl_pass(&p, &res);
	/* Leave nothing for the next attempt: a poison marker outlives a punch. */
	t.io->reset(&t);
	*bytes = res.ok ? (int64_t)r->page_size : 0;
	if (res.ok)
		return 0;
	if (res.eexist)
		return -EEXIST;
	if (res.eagain)
		return -EAGAIN;
	if (res.short_done)
		return -EIO;
	return -res.other_errno;
}

/*
 * An ioctl whose preparation writes the registered view is tried in its
 * own mode only: in MISSING mode that write would fault and wait forever;
 * so is one that needs further modes registered (its reset may need them).
 */
static bool tryable(enum uffd_op op, enum reg_mode mode)
{
	return uop_mode(op) == mode || (!ioctls[op]->writes_view && !ioctls[op]->reg_also);
}

/* attempt() with the range registered as op needs it, then as mode alone again. */
static int attempt_registered(struct region *r, int uffd, enum reg_mode mode, enum uffd_op op,
			      char *src, int64_t *bytes)
{
	int ret, back;

	if (!ioctls[op]->reg_also)
		return attempt(r, uffd, op, src, bytes);
	uffd_unregister(uffd, r->area, r->len);
	ret = uop_register(uffd, op, r->area, r->len, NULL);
	if (!ret)
		ret = attempt(r, uffd, op, src, bytes);
	uffd_unregister(uffd, r->area, r->len);
	back = uffd_register(uffd, r->area, r->len, mode, NULL);
	return ret ? ret : back;
}

static void probe_mode(struct caps *c, const struct memtype_ops *mt, enum reg_mode mode,
		       struct caps_entry *e, char *src)
{
	struct region r = { .mt = mt, .fd = -1, .page_size = memtype_page_size(mt) };
	int uffd, ret;

	ret = mt->setup(&r, r.page_size);
	if (ret) {
		for (int op = 0; op < UOP_NR; op++)
			e[op].reg = ret;
		return;
	}
	uffd = uffd_new(caps_wanted_features(c), NULL);
	ret = uffd < 0 ? uffd : uffd_register(uffd, r.area, r.len, mode, &e[0].reg_ioctls);
	for (int op = 0; op < UOP_NR; op++) {
		e[op].reg = ret;
		e[op].reg_ioctls = e[0].reg_ioctls;
		if (ret || !tryable(op, mode))
			continue;
		e[op].tried = true;
		e[op].result = attempt_registered(&r, uffd, mode, op, src, &e[op].bytes);
	}
	if (uffd >= 0)
		close(uffd);
	mt->teardown(&r);
}

static void probe_memtype(struct caps *c, unsigned i, char *src)
{
	const struct memtype_ops *mt = memtypes[i];
	struct caps_memtype *cm = &c->mt[i];
	const char *why = mt->unavailable ? mt->unavailable() : NULL;

	if (why) {
		snprintf(cm->unavailable, sizeof(cm->unavailable), "%s", why);
		return;
	}
	if (mt->huge_size &&
	    hugepages_ensure(mt->huge_size, memtype_huge_pages_needed(mt, 1), cm->unavailable,
			     sizeof(cm->unavailable)))
		return;
	pattern_fill(src, memtype_page_size(mt), pattern_tag(1, 0));
	for (int mode = 0; mode < REG_NR; mode++)
		probe_mode(c, mt, mode, cm->e[mode], src);
}

static size_t largest_page(void)
{
	size_t psz = 0;

	for (unsigned i = 0; i < nr_memtypes; i++)
		if (!memtypes[i]->unavailable || !memtypes[i]->unavailable())
			if (memtype_page_size(memtypes[i]) > psz)
				psz = memtype_page_size(memtypes[i]);
	return psz;
}

int caps_probe(struct caps *c, uint64_t mask)
{
	size_t src_len = largest_page();
	char *src;

	memset(c, 0, sizeof(*c));
	c->series = series_detect(c->series_evidence, sizeof(c->series_evidence));
	c->api = uffd_probe_api(&c->features, &c->api_ioctls, &c->src);
	if (c->api)
		return c->api;
	src = mmap(NULL, src_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return c->api = -errno;
	for (unsigned i = 0; i < nr_memtypes && i < CAPS_MAX_MEMTYPES; i++) {
		if (mask & (1ull << i))
			probe_memtype(c, i, src);
		else
			snprintf(c->mt[i].unavailable, sizeof(c->mt[i].unavailable), "not probed");
	}
	munmap(src, src_len);
	return 0;
}

static bool expected(const struct memtype_ops *mt, enum reg_mode mode, enum uffd_op op)
{
	return uop_mode(op) == mode && uop_targets(op, mt);
}

static const char *result_name(const struct caps_entry *e)
{
	if (!e->tried)
		return e->reg ? "not-registered" : "not-tried";
	return e->result ? errno_name(e->result) : "ok";
}

/* Why an ioctl may fail: the kernel does not announce its feature. */
static const char *lacks_feature(const struct caps *c, enum uffd_op op)
{
	static __thread char buf[96];
	char name[48];

	if (!ioctls[op]->feature || (c->features & ioctls[op]->feature))
		return "";
	uffd_feature_names(ioctls[op]->feature, name, sizeof(name));
	snprintf(buf, sizeof(buf), " (no UFFD_FEATURE_%s)", name);
	return buf;
}

const char *caps_skip_reason(const struct caps *c, const struct memtype_ops *mt,
			     enum uffd_op op, char *buf, size_t len)
{
	const struct caps_memtype *cm = &c->mt[memtype_index(mt)];
	const struct caps_entry *e = &cm->e[uop_mode(op)][op];

	if (cm->unavailable[0])
		snprintf(buf, len, "%s", cm->unavailable);
	else if (e->reg)
		snprintf(buf, len, "kernel: register(%s) on %s: %s", reg_mode_name(uop_mode(op)),
			 mt->name, errno_name(e->reg));
	else if (e->result)
		snprintf(buf, len, "kernel: %s on %s: %s%s", uop_ioctl_name(op), mt->name,
			 errno_name(e->result), lacks_feature(c, op));
	else
		return NULL;
	return buf;
}

static json_t *entry_json(const struct memtype_ops *mt, const struct caps_memtype *cm,
			  enum reg_mode mode, enum uffd_op op)
{
	const struct caps_entry *e = &cm->e[mode][op];
	char mask[24];
	json_t *o;

	snprintf(mask, sizeof(mask), "%#llx", (unsigned long long)e->reg_ioctls);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "memtype", mt->name,
		      "mapping", mt->shared ? "shared" : "private", "backing", mt->backing,
		      "mode", reg_mode_name(mode), "ioctl", uop_name(op),
		      "expected", expected(mt, mode, op));
	if (cm->unavailable[0]) {
		json_object_set_new(o, "unavailable", json_string(cm->unavailable));
		return o;
	}
	json_object_set_new(o, "register", json_string(e->reg ? errno_name(e->reg) : "ok"));
	json_object_set_new(o, "register_ioctls", e->reg ? json_null() : json_string(mask));
	json_object_set_new(o, "allowed", json_boolean(!e->reg && (e->reg_ioctls & uop_ioctl_bit(op))));
	json_object_set_new(o, "result", json_string(result_name(e)));
	json_object_set_new(o, "bytes", json_integer(e->bytes));
	return o;
}

json_t *caps_to_json(const struct caps *c)
{
	char names[512], hex[24];
	json_t *root, *entries = json_array();

	uffd_feature_names(c->features, names, sizeof(names));
	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)c->features);
	root = json_pack("{s:i, s:{s:s, s:b, s:s, s:s}, s:o}", "schema", 1,
			 "uffd", "source", c->src.how, "user_mode_only", c->src.user_mode_only,
			 "features_mask", hex, "features", names, "series", series_to_json());
	for (unsigned i = 0; i < nr_memtypes && i < CAPS_MAX_MEMTYPES; i++)
		for (int mode = 0; mode < REG_NR; mode++)
			for (int op = 0; op < UOP_NR; op++)
				json_array_append_new(entries, entry_json(memtypes[i], &c->mt[i], mode, op));
	json_object_set_new(root, "entries", entries);
	return root;
}

#define CELL_W 12	/* "unprotect" and "EOPNOTSUPP!" fit */

/* "ok", an errno, or "-": '!' marks a result that differs from the ioctl's entry. */
static void print_cell(FILE *f, const struct memtype_ops *mt, const struct caps_entry *e,
		       enum reg_mode mode, enum uffd_op op)
{
	char buf[24];
	bool ok = !e->reg && e->tried && !e->result;

	snprintf(buf, sizeof(buf), "%s%s", e->tried ? result_name(e) : "-",
		 uop_mode(op) == mode && ok != expected(mt, mode, op) ? "!" : "");
	fprintf(f, " %-*s", CELL_W, buf);
}

void caps_print(const struct caps *c, FILE *f)
{
	char names[512];

	uffd_feature_names(c->features, names, sizeof(names));
	fprintf(f, "userfaultfd: %s; features: %s\n", c->src.how, names);
	fprintf(f, "vm_uffd_ops series: %s (%s)\n\n",
		c->series == 1 ? "present" : c->series == 0 ? "absent" : "unknown",
		c->series_evidence);
	fprintf(f, "%-16s %-8s %-8s %-9s %-7s", "memtype", "mapping", "mode", "register", "ioctls");
	for (int op = 0; op < UOP_NR; op++)
		fprintf(f, " %-*s", CELL_W, uop_name(op));
	fputc('\n', f);
	for (unsigned i = 0; i < nr_memtypes && i < CAPS_MAX_MEMTYPES; i++) {
		const struct memtype_ops *mt = memtypes[i];
		const struct caps_memtype *cm = &c->mt[i];

		if (cm->unavailable[0]) {
			fprintf(f, "%-16s %-8s skipped: %s\n", mt->name,
				mt->shared ? "shared" : "private", cm->unavailable);
			continue;
		}
		for (int mode = 0; mode < REG_NR; mode++) {
			const struct caps_entry *e = cm->e[mode];
			char mask[16];

			snprintf(mask, sizeof(mask), "%#llx", (unsigned long long)e[0].reg_ioctls);
			fprintf(f, "%-16s %-8s %-8s %-9s %-7s", mt->name, mt->shared ? "shared" : "private",
				reg_mode_name(mode), e[0].reg ? errno_name(e[0].reg) : "ok",
				e[0].reg ? "-" : mask);
			for (int op = 0; op < UOP_NR; op++)
				print_cell(f, mt, &e[op], mode, op);
			fputc('\n', f);
		}
	}
	fprintf(f, "\n'!': differs from what the ioctl's table entry expects in its own mode.\n");
}
