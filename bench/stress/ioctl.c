// SPDX-License-Identifier: MIT
/*
 * The ioctl contract the stress run holds the kernel to.  An mfill ioctl
 * returns 0 with the whole length done, or -1 with errno and a count that is
 * either the bytes done (a short count, errno EAGAIN) or -errno.  Allowed
 * failures: EEXIST (a racing fill got there first), EAGAIN (the mm was
 * changing, e.g. a fork with UFFD_FEATURE_EVENT_FORK), and for CONTINUE a
 * hole (EFAULT, or ENOENT on other kernels) where a punch may have made one.
 * Anything else is a failure.
 */
#include "stress/stress.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

/* One ioctl; 0 or errno, the count in *done. */
int stress_mfill(int uffd, enum uffd_op op, char *dst, const char *src, size_t len,
		 int64_t *done)
{
	return -ioctls[op]->issue(uffd, dst, src, len, done);
}

static enum stress_outcome short_count(int err, int64_t done, size_t want, size_t ps,
				       const char **why)
{
	if ((uint64_t)done > want)
		*why = "a count larger than the length asked";
	else if (done % ps)
		*why = "a count that is not a whole number of pages";
	else if ((uint64_t)done == want)
		*why = "an error with the whole length done";
	else if (err != EAGAIN)
		*why = "a short count with an errno other than EAGAIN";
	else
		return SO_SHORT;
	return SO_ERROR;
}

enum stress_outcome stress_classify(enum uffd_op op, int err, int64_t done, size_t want,
				    size_t ps, bool huge, const char **why)
{
	*why = NULL;
	if (!err) {
		if ((uint64_t)done == want)
			return SO_OK;
		*why = "success with a count other than the length asked";
		return SO_ERROR;
	}
	if (done > 0)
		return short_count(err, done, want, ps, why);
	switch (err) {
	case EEXIST:
		return SO_EEXIST;
	case EAGAIN:
		return SO_EAGAIN;
	case EFAULT:
	case ENOENT:
		if (ioctls[op]->from_page_cache)
			return SO_HOLE;	/* the caller checks a hole was possible */
		break;
	case ENOMEM:
		if (huge)
			return SO_ENOMEM;
		break;
	}
	*why = "an errno outside the contract";
	return SO_ERROR;
}

/*
 * CONTINUE found no page in the page cache at page j: allowed unless the
 * page cache was known to hold it before the ioctl (present at that seq)
 * and no punch began until after it.
 */
bool stress_hole_allowed(struct srange *rg, size_t j, uint64_t seq_before,
			 uint64_t present_before)
{
	uint64_t now = __atomic_load_n(&rg->ps[j].seq, __ATOMIC_SEQ_CST);

	return (seq_before & 1) || present_before != seq_before + 1 || now != seq_before;
}

void stress_count(struct stress_thread *t, struct srange *rg, enum stress_kind k,
		  enum stress_outcome o, uint64_t pages)
{
	if (o == SO_ENOMEM && rg)
		stress_pool_starved(t->c, rg->st);
	stat_add(&t->st.k[k].ops, 1);
	stat_add(&t->st.k[k].out[o], 1);
	stat_add(&t->st.k[k].pages, pages);
}
