// SPDX-License-Identifier: MIT
/*
 * run --repeat N: rounds inside one process share its page tables, caches
 * and allocator state, so they are not independent samples of a kernel.
 * N fresh processes, each running the whole matrix in its own shuffled
 * order, are; compare uses the per-repeat medians when it has them.
 *
 * The parent owns the directory and the children's lifetime: a SIGINT or
 * SIGTERM sent to it alone (kill PID, a service manager) is passed on to the
 * running child, and a child whose parent dies (SIGKILL included) is sent
 * SIGTERM by the kernel, so it never goes on writing into the directory.
 */
#include "results/sidecar.h"
#include "machine/caps.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"
#include "results/results.h"
#include "run/run.h"
#include "core/alloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t parent_stop;
static volatile pid_t running_child;

/*
 * A terminal's ^C (SI_KERNEL) reaches the whole foreground group, the child
 * included; a signal sent to the parent's pid alone does not: pass it on.
 * The child stops between rounds on the first one, so it must not get two.
 */
static void on_parent_signal(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;

	(void)uc;
	parent_stop = sig;
	if (running_child > 0 && si->si_code != SI_KERNEL)
		kill(running_child, sig);
	errno = saved_errno;
}

static char **child_argv(int argc, char **argv, const char *dir, char *index)
{
	char **v = xcalloc(argc + 8, sizeof(*v));
	int n = 0;

	v[n++] = "uffdbench";
	for (int i = 0; i < argc; i++)
		v[n++] = argv[i];
	v[n++] = "--repeat-index";
	v[n++] = index;
	v[n++] = "--out";		/* the last --out wins */
	v[n++] = (char *)dir;
	return v;
}

/* In the forked child, before exec: die with the parent, even if it died before we got here. */
static void follow_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(128 + SIGTERM);
}

static int run_child(int argc, char **argv, const char *dir, unsigned k)
{
	pid_t parent = getpid(), pid;
	char index[16], **v;
	sigset_t stop, old;
	int status;

	snprintf(index, sizeof(index), "%u", k);
	/*
	 * Until the child has exec'd, a signal to it would run our handler
	 * in it and be lost, and one to us would not be passed on: block
	 * both across fork.  The child keeps them blocked through exec until
	 * it has its own handler (stop_signals_install()); we let ours in
	 * once running_child says where to pass them.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	if (parent_stop) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 128 + parent_stop;
	}
	v = child_argv(argc, argv, dir, index);
	stdout_flush();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		follow_parent(parent);
		execv("/proc/self/exe", v);
		_exit(127);	/* the forked child, exec failed: the shell's 127 */
	}
	free(v);
	if (pid > 0)
		running_child = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return EXIT_USAGE;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	running_child = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The parent owns the directory and writes env.json and caps.json once: 0 or -1 with err. */
static int prepare_dir(struct run_args *a, int argc, char **argv, char *dir, size_t len,
		       char *err, size_t errlen)
{
	struct results res;
	struct caps caps;

	if (run_check_plan(a, &caps, err, errlen))
		return -1;
	if (results_create(&res, a->out, a->label, false, err, errlen))
		return -1;
	/* on failure it discards the directory */
	if (results_write_env_caps(&res, &caps, argc, argv, err, errlen))
		return -1;
	results_close(&res);
	snprintf(dir, len, "%s", res.dir);
	return 0;
}

static void install_parent_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_parent_signal, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int run_repeats(struct run_args *a, int argc, char **argv)
{
	char dir[PATH_MAX], err[PATH_MAX + 128];
	int worst = EXIT_OK, ret = EXIT_OK;
	unsigned done = 0;

	if (prepare_dir(a, argc, argv, dir, sizeof(dir), err, sizeof(err))) {
		errmsg("%s", err);
		return EXIT_USAGE;
	}
	install_parent_signals();
	for (unsigned k = 0; k < a->repeat && !parent_stop; k++) {
		printf("== repeat %u of %u (fresh process, shuffled cell order) ==\n", k + 1, a->repeat);
		ret = run_child(argc, argv, dir, k);
		if (ret > EXIT_USAGE)
			break;
		done++;
		if (ret > worst)
			worst = ret;
	}
	if (parent_stop || ret > EXIT_USAGE) {
		errmsg("%s after %u of %u repeats (the last ended with status %d); "
		       "the finished cells are in %s/results.jsonl",
		       parent_stop ? "interrupted by a signal" : "stopped", done, a->repeat, ret, dir);
		return parent_stop ? 128 + parent_stop : ret;
	}
	printf("\n%u repeats in %s/\n", done, dir);
	return worst;
}
