/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FUZZ_UTIL_H
#define UFFDBENCH_FUZZ_UTIL_H

/*
 * What the libFuzzer targets share: a private directory (under /dev/shm
 * when it can, removed at exit) to write each input where the reader
 * expects a file, and running a subcommand in-process on it.  The targets
 * are built with `make V=fuzz fuzzers` and run by scripts/fuzz, which
 * closes their stdout and stderr (-close_fd_mask=3): reports and error
 * messages of rejected inputs are not findings, crashes and sanitizer
 * reports are.
 */
#include "cli/commands.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fz_root[64];

static inline void fz_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fz_root);
	if (fz_root[0] && system(cmd))
		fz_root[0] = '\0';
}

/* root/name (static, one of four). */
static inline const char *fz_path(const char *name)
{
	static char paths[4][160];
	static int next;
	char *p = paths[next++ % 4];

	if (!fz_root[0]) {
		snprintf(fz_root, sizeof(fz_root), "%s/uffdbench-fuzz.XXXXXX",
			 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
		if (!mkdtemp(fz_root))
			abort();
		atexit(fz_cleanup);
	}
	snprintf(p, 160, "%s/%s", fz_root, name);
	return p;
}

/* Write size bytes of data to root/dir/name (dir created). */
static inline void fz_put(const char *dir, const char *name, const void *data, size_t size)
{
	char path[256];
	FILE *f;

	mkdir(fz_path(dir), 0755);
	snprintf(path, sizeof(path), "%s/%s", fz_path(dir), name);
	f = fopen(path, "w");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
}

static inline void fz_put_text(const char *dir, const char *name, const char *text)
{
	fz_put(dir, name, text, strlen(text));
}

/* cmd(argc, argv) with argv = name and the NULL-terminated strings after it. */
static inline int fz_cmd(int (*cmd)(int, char **), const char *name, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)name;
	va_start(ap, name);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return cmd(argc, argv);
}

/* Two ok cells (anon copy at batch 1 and 8), two repeats of three rounds. */
static const char fz_results[] __attribute__((unused)) =
#define FZ_CELL(b, r, a, c, d) \
	"{\"schema\":1,\"kind\":\"cell\",\"repeat\":" #r ",\"memtype\":\"anon\"," \
	"\"mapping\":\"private\",\"mode\":\"missing\",\"ioctl\":\"copy\",\"batch\":" #b "," \
	"\"threads\":1,\"placement\":\"none\",\"page_size\":4096,\"pages_per_thread\":256," \
	"\"status\":\"ok\",\"inject_ns\":0,\"rounds\":[{\"ns_per_page\":" #a ",\"ns_per_ioctl\":" \
	#a "},{\"ns_per_page\":" #c ",\"ns_per_ioctl\":" #c "},{\"ns_per_page\":" #d \
	",\"ns_per_ioctl\":" #d "}]}\n"
	FZ_CELL(1, 0, 600, 610, 605) FZ_CELL(8, 0, 180, 182, 181)
	FZ_CELL(1, 1, 602, 608, 611) FZ_CELL(8, 1, 179, 183, 180);
#undef FZ_CELL

static const char fz_env[] __attribute__((unused)) =
	"{\"schema\":1,\"kernel\":{\"release\":\"6.12.0\"},\"cpu\":{\"model\":\"Test CPU\","
	"\"flags\":[\"fpu\",\"sse2\"]},\"vulnerabilities\":{\"spectre_v2\":\"Mitigation: "
	"Retpolines\"},\"hostname\":\"fuzz\"}\n";

static const char fz_caps[] __attribute__((unused)) =
	"{\"schema\":1,\"entries\":[{\"memtype\":\"anon\",\"mode\":\"missing\",\"ioctl\":"
	"\"copy\",\"register\":\"ok\",\"result\":\"ok\"},{\"memtype\":\"anon\",\"mode\":"
	"\"minor\",\"ioctl\":\"continue\",\"register\":\"EINVAL\"}]}\n";

#endif
