// SPDX-License-Identifier: MIT
/* uffdbench caps: the capability and errno matrix of this kernel. */
#include "results/sidecar.h"
#include "machine/caps.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "core/file.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "run/spec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { OPT_JSON, OPT_MEMTYPE, OPT_OUT };

static const struct cli_opt caps_opts[] = {
	{ "json", NULL, OPT_JSON, "print the matrix as JSON instead of a table" },
	{ "memtype", "LIST", OPT_MEMTYPE, "probe only these memory types (the others: not "
	  "probed)", "all", "@list @memtypes all" },
	{ "out", "DIR", OPT_OUT, "also write DIR/caps.json (DIR is created; an existing "
	  "caps.json is never replaced)", .values = "@dir" },
	{ 0 }
};

const struct cli_help cmd_caps_help = {
	.head =
	"usage: uffdbench caps [--json] [--memtype LIST] [--out DIR]\n\n"
	"For every memory type x register mode (missing, minor, wp) x ioctl (the\n"
	"table `uffdbench list` shows): whether registration works, the ioctls mask\n"
	"the kernel returns, and the result of one real one-page ioctl (ok or the\n"
	"errno; - where it is not tried: WRITEPROTECT outside wp mode).\n"
	"Also whether the kernel carries the vm_uffd_ops series (from /proc/kallsyms).\n"
	"hugetlb types borrow one huge page each (vm.nr_hugepages is restored);\n"
	"without a hugetlb type in --memtype the pool is not touched.\n\n",
	.opts = caps_opts,
	.tail =
	"Examples:\n"
	"  uffdbench caps\n"
	"  uffdbench caps --json --memtype shmem-memfd,hugetlb > caps.json\n",
};

static uint64_t parse_memtypes(const char *list)
{
	struct run_spec sp;
	char err[256];

	spec_defaults(&sp);
	if (spec_set(&sp, "memtype", list, err, sizeof(err)))
		die_usage("caps: --memtype: %s", err);
	return sp.memtypes;
}

static bool dir_has(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* DIR/caps.json, new: a results directory's caps.json belongs to its run. */
static int save(const char *out, json_t *j)
{
	struct made_dirs made = { 0 };
	int ret = mkdir_p_made(out, &made);

	if (ret) {
		errmsg("cannot create %s: %s", out, strerror(-ret));
		return EXIT_USAGE;
	}
	ret = json_write_new(out, "caps.json", j);
	if (!ret) {
		made_dirs_keep(&made);
		return EXIT_OK;
	}
	made_dirs_undo(&made);	/* no empty directory left behind */
	if (ret == -EEXIST)
		errmsg("%s already holds caps.json (choose another --out)", out);
	else
		errmsg("cannot write %s/caps.json: %s", out, strerror(-ret));
	return EXIT_USAGE;
}

int cmd_caps(int argc, char **argv)
{
	uint64_t mask = CAPS_ALL;
	const char *out = NULL;
	bool as_json = false;
	struct cli_parser p;
	struct caps caps;
	json_t *j;
	int key, ret, status;

	cli_start(&p, &cmd_caps_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_JSON: as_json = true; break;
		case OPT_MEMTYPE: mask = parse_memtypes(p.arg); break;
		case OPT_OUT: out = p.arg; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	if (out && dir_has(out, "caps.json"))
		die_usage("%s already holds caps.json (choose another --out)", out);
	ret = caps_probe(&caps, mask);
	hugepages_restore();
	if (ret)
		die_usage("no userfaultfd here: %s (/dev/userfaultfd and the syscall both refused; "
			  "try as root or with vm.unprivileged_userfaultfd=1)", errno_name(ret));
	j = caps_to_json(&caps);
	if (out && save(out, j)) {
		json_decref(j);
		return EXIT_USAGE;
	}
	if (as_json)
		json_dumpf(j, stdout, JSON_INDENT(2)), putchar('\n');
	else
		caps_print(&caps, stdout);
	json_decref(j);
	return EXIT_OK;
}
