// SPDX-License-Identifier: MIT
/*
 * The ioctls stress issues, taken from the table by what their entries say
 * they do to a page, never by name.  Each is one of three kinds:
 *   SK_COPY      resolves a missing fault with a source batch's content
 *                (ioctl_fills_from_source: today copy)
 *   SK_ZEROPAGE  resolves a missing fault with zeros (ioctl_fills_zeros:
 *                zeropage)
 *   SK_CONTINUE  resolves a minor fault with what the page cache holds, a
 *                hole failing it (ioctl_maps_from_cache: continue)
 * and works on the range registered in its mode (stress_op_range()).
 * Entries registered in a further mode (reg_also) are left out: stress
 * registers each range in one mode (setup.c), and such an op leaves pages
 * the model does not know (copy-wp: write-protected, with the uffd-wp bit;
 * it does not resolve faults either).
 */
#include "stress/stress.h"

#include <strings.h>

static bool (*const kind_is[SK_CONTINUE + 1])(const struct ioctl_ops *io) = {
	[SK_COPY] = ioctl_fills_from_source,
	[SK_ZEROPAGE] = ioctl_fills_zeros,
	[SK_CONTINUE] = ioctl_maps_from_cache,
};

static bool one_mode(const struct ioctl_ops *io)
{
	return !io->reg_also;
}

enum stress_kind stress_op_kind(enum uffd_op op)
{
	if (!one_mode(ioctls[op]))
		return SK_NR;
	for (int k = SK_COPY; k <= SK_CONTINUE; k++)
		if (kind_is[k](ioctls[op]))
			return k;
	return SK_NR;
}

unsigned stress_ops_of(unsigned kinds)
{
	unsigned ops = 0;

	for (int k = SK_COPY; k <= SK_CONTINUE; k++)
		if (kinds & (1u << k))
			ops |= uop_mask_where(kind_is[k]);
	return ops & uop_mask_where(one_mode);
}

int stress_op(unsigned ops, enum stress_kind k)
{
	return ffs(ops & stress_ops_of(1u << k)) - 1;
}

enum range_kind stress_op_range(enum uffd_op op)
{
	return uop_mode(op) == REG_MINOR ? RANGE_MINOR : RANGE_MISSING;
}
