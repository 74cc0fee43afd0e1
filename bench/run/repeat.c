// SPDX-License-Identifier: MIT
/*
 * run --repeat N: rounds inside one process share its page tables, caches
 * and allocator state, so they are not independent samples of a kernel.
 * N fresh processes, each running the whole matrix in its own shuffled
 * order, are; compare uses the per-repeat medians when it has them.
 */
#include "results/sidecar.h"
#include "machine/caps.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "results/results.h"
#include "run/run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t parent_stop;

static void on_parent_signal(int sig)
{
	parent_stop = sig;	/* the child got it too: let it stop cleanly */
}

static char **child_argv(int argc, char **argv, const char *dir, char *index)
{
	char **v = calloc(argc + 8, sizeof(*v));
	int n = 0;

	if (!v)
		abort();
	v[n++] = "uffdbench";
	for (int i = 0; i < argc; i++)
		v[n++] = argv[i];
	v[n++] = "--repeat-index";
	v[n++] = index;
	v[n++] = "--out";		/* the last --out wins */
	v[n++] = (char *)dir;
	return v;
}

static int run_child(int argc, char **argv, const char *dir, unsigned k)
{
	char index[16], **v;
	int status;
	pid_t pid;

	snprintf(index, sizeof(index), "%u", k);
	v = child_argv(argc, argv, dir, index);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", v);
		_exit(127);
	}
	free(v);
	if (pid < 0)
		return EXIT_USAGE;
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The parent owns the directory and writes env.json and caps.json once. */
static void prepare_dir(struct run_args *a, int argc, char **argv, char *dir, size_t len)
{
	struct results res;
	struct caps caps;
	char err[256];
	int ret;

	if (results_create(&res, a->out, a->label, false, err, sizeof(err)))
		die_usage("%s", err);
	results_close(&res);
	snprintf(dir, len, "%s", res.dir);
	if (caps_probe(&caps, CAPS_ALL))
		die_usage("no userfaultfd here");
	hugepages_restore();
	ret = results_write_env_caps(dir, &caps, argc, argv);
	if (ret)
		die_usage("cannot write env.json/caps.json in %s: %s", dir, strerror(-ret));
}

int run_repeats(struct run_args *a, int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_parent_signal };
	char dir[PATH_MAX];
	int worst = EXIT_OK;

	run_place_check(a);
	prepare_dir(a, argc, argv, dir, sizeof(dir));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (unsigned k = 0; k < a->repeat && !parent_stop; k++) {
		int ret;

		printf("== repeat %u of %u (fresh process, shuffled cell order) ==\n", k + 1, a->repeat);
		ret = run_child(argc, argv, dir, k);
		if (ret > EXIT_USAGE) {
			errmsg("repeat %u ended with status %d; stopping (finished cells are in %s)",
			       k + 1, ret, dir);
			return ret;
		}
		if (ret > worst)
			worst = ret;
	}
	printf("\n%u repeats in %s/\n", a->repeat, dir);
	return parent_stop ? 128 + parent_stop : worst;
}
