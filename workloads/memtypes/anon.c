// SPDX-License-Identifier: MIT
/* Private anonymous memory: the series leaves its path alone, a control. */
#include "memtypes/memtype.h"

#include <errno.h>
#include <sys/mman.h>

static int anon_setup(struct region *r, size_t len)
{
	r->len = len;
	r->fd = -1;
	r->alias = NULL;
	r->area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->area == MAP_FAILED) {
		r->area = NULL;
		return -errno;
	}
	madvise(r->area, len, MADV_NOHUGEPAGE);
	return 0;
}

const struct memtype_ops memtype_anon = {
	.name = "anon",
	.desc = "MAP_PRIVATE|MAP_ANONYMOUS; path unchanged by the series (control)",
	.backing = "anon",
	.shared = false,
	.setup = anon_setup,
	.reset = mt_zap,
	.punch = mt_punch_zap,
	.teardown = mt_unmap,
};
