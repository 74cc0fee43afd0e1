// SPDX-License-Identifier: MIT
/* The table of ioctls (from uop_table.h) and what is asked of it. */
#include "ioctls/ioctl.h"
#include "memtypes/memtype.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define UOP_EXTERN(e, name) extern const struct ioctl_ops ioctl_##name;
#define UOP_ENTRY(e, name) [UOP_##e] = &ioctl_##name,

UOP_TABLE(UOP_EXTERN)

/* The table of ioctls, expanded from the one list in uop_table.h. */
const struct ioctl_ops *const ioctls[UOP_NR] = { UOP_TABLE(UOP_ENTRY) };

const char *uop_name(enum uffd_op op) { return ioctls[op]->name; }
const char *uop_ioctl_name(enum uffd_op op) { return ioctls[op]->ioctl_name; }
enum reg_mode uop_mode(enum uffd_op op) { return ioctls[op]->mode; }
uint64_t uop_ioctl_bit(enum uffd_op op) { return 1ull << ioctls[op]->bit; }

bool uop_targets(enum uffd_op op, const struct memtype_ops *mt)
{
	return ioctls[op]->targets & memtype_class(mt);
}

bool uop_is_control(enum uffd_op op, const struct memtype_ops *mt)
{
	return ioctls[op]->controls & memtype_class(mt);
}

int uop_register(int uffd, enum uffd_op op, void *addr, size_t len, uint64_t *allowed)
{
	unsigned modes = 1u << ioctls[op]->mode | ioctls[op]->reg_also;

	return uffd_register_modes(uffd, addr, len, modes, allowed);
}

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

unsigned uop_mask_where(bool (*pred)(const struct ioctl_ops *io))
{
	unsigned ops = 0;

	for (int i = 0; i < UOP_NR; i++)
		if (pred(ioctls[i]))
			ops |= 1u << i;
	return ops;
}

int uop_first(bool (*pred)(const struct ioctl_ops *io))
{
	return ffs(uop_mask_where(pred)) - 1;
}

bool ioctl_fills_from_source(const struct ioctl_ops *io)
{
	return io->resolves_faults && io->mode == REG_MISSING && io->src == SRC_BATCH &&
	       io->expect.content == CONTENT_SOURCE;
}

bool ioctl_fills_zeros(const struct ioctl_ops *io)
{
	return io->resolves_faults && io->mode == REG_MISSING && io->src == SRC_NONE &&
	       io->expect.content == CONTENT_ZERO;
}

bool ioctl_maps_from_cache(const struct ioctl_ops *io)
{
	return io->resolves_faults && io->mode == REG_MINOR && io->from_page_cache &&
	       io->expect.content == CONTENT_PAGE;
}
