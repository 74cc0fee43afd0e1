// SPDX-License-Identifier: MIT
/* The table of memory types: the only place that lists them. */
#include "memtypes/memtype.h"

#include <string.h>
#include <unistd.h>

extern const struct memtype_ops memtype_anon, memtype_shmem_memfd, memtype_shmem_anon,
	memtype_shmem_file, memtype_shmem_private, memtype_hugetlb,
	memtype_hugetlb_private, memtype_hugetlb_1g;

const struct memtype_ops *const memtypes[] = {
	&memtype_anon,
	&memtype_shmem_memfd,
	&memtype_shmem_anon,
	&memtype_shmem_file,
	&memtype_shmem_private,
	&memtype_hugetlb,
	&memtype_hugetlb_private,
	&memtype_hugetlb_1g,
};
const unsigned nr_memtypes = sizeof(memtypes) / sizeof(memtypes[0]);

const struct memtype_ops *memtype_find(const char *name)
{
	for (unsigned i = 0; i < nr_memtypes; i++)
		if (!strcmp(memtypes[i]->name, name))
			return memtypes[i];
	return NULL;
}

int memtype_index(const struct memtype_ops *mt)
{
	for (unsigned i = 0; i < nr_memtypes; i++)
		if (memtypes[i] == mt)
			return i;
	return -1;
}

unsigned memtype_class(const struct memtype_ops *mt)
{
	if (!strcmp(mt->backing, "hugetlb"))
		return mt->shared ? MEM_HUGETLB : MEM_HUGETLB_PRIVATE;
	if (!strcmp(mt->backing, "shmem"))
		return mt->shared ? MEM_SHMEM : MEM_SHMEM_PRIVATE;
	/* anonymous memory is private: MAP_SHARED|MAP_ANONYMOUS is shmem */
	return MEM_ANON;
}

size_t memtype_page_size(const struct memtype_ops *mt)
{
	return mt->huge_size ? mt->huge_size : (size_t)sysconf(_SC_PAGESIZE);
}

unsigned long memtype_huge_pages_needed(const struct memtype_ops *mt, unsigned long pages)
{
	return mt->shared ? pages : 2 * pages;
}
