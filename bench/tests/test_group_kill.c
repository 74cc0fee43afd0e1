// SPDX-License-Identifier: MIT
/*
 * A service manager stops a command by killing its whole process group
 * (systemd's default, `kill -9 -- -PGID`).  The guard that puts back what a
 * run changed on the machine (nr_hugepages, a --knob file) lives in a session
 * of its own, so it outlives such a kill and restores both: for run,
 * run --repeat, fault, stress and capacity.  A regular file stands in for the
 * knob; the hugetlb pool is the real one, as root (one user at a time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli_util.h"

#include <signal.h>
#include <string.h>

#define NR_HUGEPAGES "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"

static char knob[128], arg[192];

/* Wait (a deadline, not a timing check) until path reads other than was. */
static bool changes(const char *path, const char *was)
{
	for (int i = 0; i < 1200; i++) {
		if (strcmp(cli_read_line(path), was))
			return true;
		usleep(50000);
	}
	return false;
}

static bool returns_to(const char *path, const char *was)
{
	for (int i = 0; i < 250; i++) {
		if (!strcmp(cli_read_line(path), was))
			return true;
		usleep(20000);
	}
	return false;
}

/* Start args in a group of its own; once watch changed, SIGKILL the group. */
static void group_kill(const char *const *args, const char *watch, const char *was)
{
	pid_t pid = cli_spawn_pg(NULL, args, true);
	bool changed = changes(watch, was);

	kill(-pid, SIGKILL);
	assert_int_equal(cli_wait(pid), 128 + SIGKILL);
	assert_true(changed);
}

static int setup(void **state)
{
	(void)state;
	snprintf(knob, sizeof(knob), "%s/knob", tmp);
	cli_write_file(knob, "5\n");
	snprintf(arg, sizeof(arg), "%s=8", knob);
	return 0;
}

static void test_run_knob(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/run", tmp);
	group_kill((const char *const[]){ "run", "--memtype", "anon", "--ioctl", "zeropage",
		"--size", "1M", "--rounds", "1000000", "--knob", arg, "--out", dir, NULL },
		knob, "5");
	assert_true(returns_to(knob, "5"));
}

static void test_repeat_knob(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/repeat", tmp);
	group_kill((const char *const[]){ "run", "--memtype", "anon", "--ioctl", "zeropage",
		"--size", "1M", "--rounds", "1000000", "--repeat", "2", "--knob", arg,
		"--out", dir, NULL }, knob, "5");
	assert_true(returns_to(knob, "5"));
}

/* The hugetlb pool, raised by the command, and (run) a knob with it. */
static void huge(const char *const *args)
{
	char was[256];	/* as cli_read_line() returns */

	if (geteuid() != 0 || access(NR_HUGEPAGES, W_OK))
		skip();
	snprintf(was, sizeof(was), "%s", cli_read_line(NR_HUGEPAGES));
	if (strcmp(was, "0"))
		skip();		/* the pool must be raised for the test to mean anything */
	group_kill(args, NR_HUGEPAGES, was);
	assert_true(returns_to(NR_HUGEPAGES, was));
	assert_true(returns_to(knob, "5"));
}

static void test_run_hugetlb(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/run-huge", tmp);
	huge((const char *const[]){ "run", "--memtype", "hugetlb,anon", "--ioctl", "copy",
		"--rounds", "1000000", "--size", "4M", "--knob", arg, "--out", dir, NULL });
}

static void test_repeat_hugetlb(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/repeat-huge", tmp);
	huge((const char *const[]){ "run", "--memtype", "hugetlb", "--ioctl", "copy",
		"--rounds", "1000000", "--size", "4M", "--repeat", "2", "--out", dir, NULL });
}

static void test_fault_hugetlb(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fault", tmp);
	huge((const char *const[]){ "fault", "--memtype", "hugetlb", "--duration", "60",
		"--out", dir, NULL });
}

static void test_stress_hugetlb(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/stress", tmp);
	huge((const char *const[]){ "stress", "--memtype", "hugetlb", "--duration", "60s",
		"--threads", "1", "--out", dir, NULL });
}

static void test_capacity_hugetlb(void **state)
{
	char dir[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/capacity", tmp);
	huge((const char *const[]){ "capacity", "--memtype", "hugetlb", "--target-rate",
		"1000", "--handlers", "1", "--duration", "60", "--out", dir, NULL });
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_run_knob, setup),
		cmocka_unit_test_setup(test_repeat_knob, setup),
		cmocka_unit_test_setup(test_run_hugetlb, setup),
		cmocka_unit_test_setup(test_repeat_hugetlb, setup),
		cmocka_unit_test_setup(test_fault_hugetlb, setup),
		cmocka_unit_test_setup(test_stress_hugetlb, setup),
		cmocka_unit_test_setup(test_capacity_hugetlb, setup),
	};

	if (!tmp_make("group-kill"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, cli_cleanup);
}
