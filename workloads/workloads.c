// SPDX-License-Identifier: MIT
/* The table of workloads: one line each, for `uffdbench list`. */
#include "workload.h"

const struct workload_info workloads[] = {
	{ "ioctl", "run", "each ioctl of the table (list: ioctls) in a tight loop over a range, resets untimed" },
	{ "fault", "fault", "threads touch registered memory; handler threads poll, read and resolve the faults" },
	{ "stress", "stress", "racing ioctls, zaps, punches and faults over every memory type; every page checked" },
};
const unsigned nr_workloads = sizeof(workloads) / sizeof(workloads[0]);
