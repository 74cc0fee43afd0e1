// SPDX-License-Identifier: MIT
/* uffdbench caps: the capability and errno matrix of this kernel. */
#include "results/sidecar.h"
#include "machine/caps.h"
#include "cli/commands.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: uffdbench caps [--json] [--out DIR]\n\n"
	"For every memory type x register mode (missing, minor) x ioctl (copy,\n"
	"zeropage, continue): whether registration works, the ioctls mask the kernel\n"
	"returns, and the result of one real one-page ioctl (ok or the errno).\n"
	"Also whether the kernel carries the vm_uffd_ops series (from /proc/kallsyms).\n"
	"hugetlb types borrow one huge page each (vm.nr_hugepages is restored).\n\n"
	"  --json      print the matrix as JSON instead of a table\n"
	"  --out DIR   also write DIR/caps.json\n";

int cmd_caps(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *out = NULL;
	bool as_json = false;
	struct caps caps;
	json_t *j;
	int c, ret;

	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': as_json = true; break;
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die_usage("caps: unexpected argument '%s'", argv[optind]);
	ret = caps_probe(&caps, CAPS_ALL);
	hugepages_restore();
	if (ret)
		die_usage("no userfaultfd here: %s (/dev/userfaultfd and the syscall both refused; "
			  "try as root or with vm.unprivileged_userfaultfd=1)", errno_name(ret));
	j = caps_to_json(&caps);
	if (as_json)
		json_dumpf(j, stdout, JSON_INDENT(2)), putchar('\n');
	else
		caps_print(&caps, stdout);
	ret = out ? json_write_atomic(out, "caps.json", j) : 0;
	json_decref(j);
	if (ret)
		die_usage("cannot write %s/caps.json: %s", out, strerror(-ret));
	return EXIT_OK;
}
