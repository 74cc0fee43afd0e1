// SPDX-License-Identifier: MIT
/*
 * uffdbench json: JSON for the scripts of scripts/ (kernel-ab's boot.json,
 * fleet.json, kernel-bisect's steps.jsonl, env.json's "host"), written and
 * read by jansson rather than printf and sed.
 */
#include "cli/commands.h"
#include "cli/opt.h"
#include "core/common.h"
#include "results/jsonfile.h"
#include "results/sidecar.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_GET, OPT_SET };

static const struct cli_opt json_opts[] = {
	{ "get", "KEYS", OPT_GET, "print the values of the comma-separated KEYS" },
	{ "set", NULL, OPT_SET, "set the KEY=... arguments in FILE" },
	{ 0 }
};

const struct cli_help cmd_json_help = {
	.head =
	"usage: uffdbench json [KEY=STRING | KEY:=JSON]...\n"
	"       uffdbench json --get KEY[,KEY...] FILE...\n"
	"       uffdbench json --set KEY=STRING|KEY:=JSON... FILE\n\n"
	"JSON for scripts, so that none writes it with printf or takes it apart\n"
	"with sed.  Without --get or --set: one object of the arguments on one line\n"
	"(KEY=STRING a string, any text; KEY:=JSON a number, true, false, null, an\n"
	"array or an object, checked).  --get: for each object of each FILE (one\n"
	"document, or one object a line as in results.jsonl) a line of the values\n"
	"of the KEYs (a dotted path reaches inside: kernel.release), separated by\n"
	"tabs: a string as is (tabs and newlines as spaces), a number exactly, an\n"
	"object or array as JSON, nothing when absent or null.  --set: the object\n"
	"of FILE with the KEYs set first, written back in its place (indented, as\n"
	"env.json).\n\n",
	.opts = json_opts,
	.tail =
	"Examples:\n"
	"  uffdbench json boot:=1 kernel=A seconds:=41.5 guest_rc:=null > boot.json\n"
	"  uffdbench json --get status,round,message ab/boot-*/boot.json\n"
	"  uffdbench json --set host=fleet-a results/DIR/env.json\n\n"
	"Exit status: 0 done; 2 bad input (an argument that is not KEY=... or not\n"
	"JSON, a FILE that is not JSON objects: FILE:LINE), nothing written.\n",
	.operands = "@file",
	.in_order = true,	/* "-b=2" after KEY=... is a value, not an option */
};

/* One line per object of every file; 0 or EXIT_USAGE. */
static int json_get(const char *keys, char **files, int n)
{
	char err[1024];

	for (int i = 0; i < n; i++) {
		json_t *all = jf_load(files[i], err, sizeof(err));
		size_t k;
		json_t *o;

		if (!all) {
			errmsg("json: %s", err);
			return EXIT_USAGE;
		}
		json_array_foreach(all, k, o) {
			const char *p = keys;

			for (;;) {
				size_t len = strcspn(p, ",");
				char key[256];

				snprintf(key, sizeof(key), "%.*s",
					 (int)(len < sizeof(key) ? len : sizeof(key) - 1), p);
				jf_print_value(stdout, o, key);
				if (!p[len])
					break;
				putchar('\t');
				p += len + 1;
			}
			putchar('\n');
		}
		json_decref(all);
	}
	return EXIT_OK;
}

/* The object of file with args set first, written back; 0 or EXIT_USAGE. */
static int json_set(char **args, int nargs, const char *file)
{
	char err[1024], dir[PATH_MAX];
	json_t *all, *old, *obj, *v;
	const char *slash = strrchr(file, '/');
	const char *key;
	int ret = EXIT_USAGE;

	all = jf_load(file, err, sizeof(err));
	if (!all) {
		errmsg("json: %s", err);
		return EXIT_USAGE;
	}
	old = json_array_get(all, 0);
	if (json_array_size(all) != 1) {
		errmsg("json: --set: %s holds %zu objects, not one", file, json_array_size(all));
		goto out;
	}
	obj = json_object();
	for (int i = 0; i < nargs; i++) {
		if (jf_set_arg(obj, args[i], err, sizeof(err))) {
			errmsg("json: %s", err);
			json_decref(obj);
			goto out;
		}
	}
	json_object_foreach(old, key, v)
		if (!json_object_get(obj, key))
			json_object_set(obj, key, v);
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
	if (json_write_atomic(slash == file ? "/" : dir, slash ? slash + 1 : file, obj))
		errmsg("json: cannot write %s", file);
	else
		ret = EXIT_OK;
	json_decref(obj);
out:
	json_decref(all);
	return ret;
}

int cmd_json(int argc, char **argv)
{
	const char *get = NULL;
	struct cli_parser p;
	bool set = false;
	char err[1024], *line;
	json_t *obj;
	int key, status;

	cli_start(&p, &cmd_json_help, argc, argv, false);
	while ((key = cli_next(&p)) >= 0) {
		switch (key) {
		case OPT_GET: get = p.arg; break;
		case OPT_SET: set = true; break;
		}
	}
	status = cli_finish(&p, key);
	if (status >= 0)
		return status;
	if (get && set) {
		errmsg("json: --get and --set exclude each other");
		return EXIT_USAGE;
	}
	if (get) {
		if (p.optind >= argc) {
			errmsg("json: --get wants at least one FILE (--help for more)");
			return EXIT_USAGE;
		}
		return json_get(get, argv + p.optind, argc - p.optind);
	}
	if (set) {
		if (argc - p.optind < 2) {
			errmsg("json: --set wants KEY=... arguments and a FILE (--help for more)");
			return EXIT_USAGE;
		}
		return json_set(argv + p.optind, argc - p.optind - 1, argv[argc - 1]);
	}
	obj = json_object();
	for (int i = p.optind; i < argc; i++) {
		if (jf_set_arg(obj, argv[i], err, sizeof(err))) {
			errmsg("json: %s", err);
			json_decref(obj);
			return EXIT_USAGE;
		}
	}
	line = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(obj);
	if (!line) {
		errmsg("json: out of memory");
		return EXIT_USAGE;
	}
	puts(line);
	free(line);
	return EXIT_OK;
}
