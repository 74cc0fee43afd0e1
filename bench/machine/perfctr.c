// SPDX-License-Identifier: MIT
/*
 * Per-thread perf counters around the timed pass (run --perf).  Members are
 * opened enabled and only the group leader is switched: the group counts
 * while its leader is on.  (Disabling with PERF_IOC_FLAG_GROUP leaves the
 * members of a software group off for good on 6.x kernels: page-faults
 * counted the first round only.)  Each group is read with PERF_FORMAT_GROUP
 * and its enabled/running times; the times are not reset by
 * PERF_EVENT_IOC_RESET, so a round's share is the difference since the last
 * read, and a multiplexed group is scaled by it.
 */
#include "machine/perfctr.h"
#include "core/common.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	uint32_t type;
	uint64_t config;
} counters[PC_NR] = {
	[PC_TASK_CLOCK] = { "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	[PC_CONTEXT_SWITCHES] = { "context-switches", PERF_TYPE_SOFTWARE,
				  PERF_COUNT_SW_CONTEXT_SWITCHES },
	[PC_CPU_MIGRATIONS] = { "cpu-migrations", PERF_TYPE_SOFTWARE,
				PERF_COUNT_SW_CPU_MIGRATIONS },
	[PC_PAGE_FAULTS] = { "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[PC_CYCLES] = { "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[PC_INSTRUCTIONS] = { "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	[PC_BRANCHES] = { "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	[PC_BRANCH_MISSES] = { "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	[PC_ITLB_MISSES] = { "iTLB-load-misses", PERF_TYPE_HW_CACHE,
			     PERF_COUNT_HW_CACHE_ITLB | PERF_COUNT_HW_CACHE_OP_READ << 8 |
			     PERF_COUNT_HW_CACHE_RESULT_MISS << 16 },
};

static bool fake_no_pmu;

void perfctr_fake_no_pmu(bool on)
{
	fake_no_pmu = on;
}

const char *perfctr_name(enum perfctr_id id)
{
	return counters[id].name;
}

static int group_of(int id)
{
	return id >= PC_NR_SW;
}

/* An fd, or -errno; PC_NO_PMU (as -ENOENT's meaning) is decided by the caller. */
static int open_counter(int id, int group_fd)
{
	struct perf_event_attr a = {
		.size = sizeof(a), .type = counters[id].type, .config = counters[id].config,
		.disabled = group_fd < 0, .exclude_hv = 1,
		.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
			       PERF_FORMAT_TOTAL_TIME_RUNNING,
	};
	long fd;

	if (fake_no_pmu && group_of(id))
		return -ENOENT;
	fd = syscall(SYS_perf_event_open, &a, 0, -1, group_fd, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

/* ENOENT, ENODEV, EOPNOTSUPP for a hardware event: no PMU handles it. */
static int open_error(int id, int err)
{
	if (group_of(id) && (err == ENOENT || err == ENODEV || err == EOPNOTSUPP))
		return PC_NO_PMU;
	return err;
}

void perfctr_open(struct perfctr *p)
{
	memset(p, 0, sizeof(*p));
	p->opened = true;
	p->sum.on = true;
	p->leader[0] = p->leader[1] = -1;
	for (int id = 0; id < PC_NR; id++) {
		int *leader = &p->leader[group_of(id)];
		int fd = open_counter(id, *leader);

		p->fd[id] = fd < 0 ? -1 : fd;
		p->sum.err[id] = fd < 0 ? open_error(id, -fd) : 0;
		if (fd >= 0 && *leader < 0)
			*leader = fd;
	}
}

void perfctr_start(const struct perfctr *p)
{
	if (!p->opened)
		return;
	for (int g = 0; g < 2; g++) {
		if (p->leader[g] < 0)
			continue;
		ioctl(p->leader[g], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
		ioctl(p->leader[g], PERF_EVENT_IOC_ENABLE, 0);
	}
}

void perfctr_stop(const struct perfctr *p)
{
	if (!p->opened)
		return;
	for (int g = 0; g < 2; g++)
		if (p->leader[g] >= 0)
			ioctl(p->leader[g], PERF_EVENT_IOC_DISABLE, 0);
}

/* One group: values in the order its members were opened, which is id order. */
static void add_group(struct perfctr *p, int g)
{
	uint64_t buf[3 + PC_NR], enabled, running;
	double scale = 1;
	ssize_t n = read(p->leader[g], buf, sizeof(buf));
	size_t k = 3;

	if (n < (ssize_t)(3 * sizeof(uint64_t)))
		return;
	enabled = buf[1] - p->enabled[g];
	running = buf[2] - p->running[g];
	p->enabled[g] = buf[1];
	p->running[g] = buf[2];
	if (running && running < enabled) {
		scale = (double)enabled / running;
		p->sum.scaled = true;
	}
	for (int id = 0; id < PC_NR && k < 3 + buf[0]; id++) {
		if (group_of(id) != g || p->fd[id] < 0)
			continue;
		if (!running && enabled)
			p->sum.err[id] = EBUSY;	/* never scheduled: counted nothing */
		p->sum.val[id] += buf[k++] * scale + 0.5;
	}
}

void perfctr_add(struct perfctr *p)
{
	if (!p->opened)	/* all-zero: fds of 0 are stdin, not counters */
		return;
	for (int g = 0; g < 2; g++)
		if (p->leader[g] >= 0)
			add_group(p, g);
}

void perfctr_close(struct perfctr *p)
{
	if (!p->opened)
		return;
	for (int id = PC_NR - 1; id >= 0; id--)
		if (p->fd[id] >= 0)
			close(p->fd[id]);
	for (int id = 0; id < PC_NR; id++)
		p->fd[id] = -1;
	p->leader[0] = p->leader[1] = -1;
	p->opened = false;
}

void perf_counts_merge(struct perf_counts *dst, const struct perf_counts *src)
{
	if (!src->on)
		return;
	dst->on = true;
	dst->scaled |= src->scaled;
	for (int id = 0; id < PC_NR; id++) {
		dst->val[id] += src->val[id];
		if (src->err[id] && !dst->err[id])
			dst->err[id] = src->err[id];
	}
}

static int read_paranoid(void)
{
	char buf[32];

	if (read_text_file("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)))
		return -99;
	return atoi(buf);
}

const char *perfctr_reason(enum perfctr_id id, int err, char *buf, size_t len)
{
	(void)id;
	if (err == PC_NO_PMU)
		snprintf(buf, len, "no hardware PMU");
	else if (err == EACCES || err == EPERM)
		snprintf(buf, len, "not permitted: kernel.perf_event_paranoid=%d (needs <= 1, "
			 "or root / CAP_PERFMON)", read_paranoid());
	else if (err == ENOSYS)
		snprintf(buf, len, "no perf_event_open in this kernel (CONFIG_PERF_EVENTS)");
	else if (err == EBUSY)
		snprintf(buf, len, "never scheduled: the hardware counters are busy");
	else
		snprintf(buf, len, "perf_event_open: %s", errno_name(err));
	return buf;
}

json_t *perf_counts_json(const struct perf_counts *c, uint64_t pages)
{
	json_t *counted = json_object(), *missing = json_array();
	char why[160];

	for (int id = 0; id < PC_NR; id++) {
		if (c->err[id]) {
			json_array_append_new(missing, json_pack("{s:s, s:s}", "name",
				counters[id].name, "reason",
				perfctr_reason(id, c->err[id], why, sizeof(why))));
			continue;
		}
		json_object_set_new(counted, counters[id].name,
				    json_real(pages ? (double)c->val[id] / pages : 0));
	}
	return json_pack("{s:o, s:o, s:b}", "counters", counted, "missing", missing,
			 "scaled", c->scaled);
}

void perfctr_describe(const struct perf_counts *c, char *buf, size_t len)
{
	size_t off = 0;
	char why[160];
	int missing = 0;

	appendf(buf, len, &off, "counting");
	for (int id = 0; id < PC_NR; id++)
		if (!c->err[id])
			appendf(buf, len, &off, " %s", counters[id].name);
	for (int id = 0; id < PC_NR; id++) {
		if (!c->err[id])
			continue;
		appendf(buf, len, &off, "%s%s (%s)", missing++ ? ", " : "; missing: ",
			counters[id].name, perfctr_reason(id, c->err[id], why, sizeof(why)));
	}
}
