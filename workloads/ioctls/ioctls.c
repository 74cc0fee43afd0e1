// SPDX-License-Identifier: MIT
/* The table of ioctls: the only place that lists them. */
#include "ioctls/ioctl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const struct ioctl_ops ioctl_copy, ioctl_zeropage, ioctl_continue, ioctl_move,
	ioctl_poison, ioctl_writeprotect, ioctl_unprotect;

const struct ioctl_ops *const ioctls[UOP_NR] = {
	[UOP_COPY] = &ioctl_copy,
	[UOP_ZEROPAGE] = &ioctl_zeropage,
	[UOP_CONTINUE] = &ioctl_continue,
	[UOP_MOVE] = &ioctl_move,
	[UOP_POISON] = &ioctl_poison,
	[UOP_WRITEPROTECT] = &ioctl_writeprotect,
	[UOP_UNPROTECT] = &ioctl_unprotect,
};

const char *uop_name(enum uffd_op op) { return ioctls[op]->name; }
const char *uop_ioctl_name(enum uffd_op op) { return ioctls[op]->ioctl_name; }
enum reg_mode uop_mode(enum uffd_op op) { return ioctls[op]->mode; }
uint64_t uop_ioctl_bit(enum uffd_op op) { return 1ull << ioctls[op]->bit; }

/* By name first: two entries may share one ioctl (WRITEPROTECT set / clear). */
int uop_parse(const char *name)
{
	for (int i = 0; i < UOP_NR; i++)
		if (!strcasecmp(name, ioctls[i]->name))
			return i;
	for (int i = 0; i < UOP_NR; i++)
		if (!strcasecmp(name, ioctls[i]->ioctl_name))
			return i;
	return -1;
}

const char *uop_list(unsigned mask)
{
	static __thread char buf[160];
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < UOP_NR && n < sizeof(buf); i++)
		if (mask & (1u << i))
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ", " : "", ioctls[i]->name);
	return buf;
}

unsigned uop_fault_ops(void)
{
	unsigned ops = 0;

	for (int i = 0; i < UOP_NR; i++)
		if (ioctls[i]->resolves_faults)
			ops |= 1u << i;
	return ops;
}
