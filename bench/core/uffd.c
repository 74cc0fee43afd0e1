// SPDX-License-Identifier: MIT
/* The userfaultfd plumbing every subcommand shares: open, API, register. */
#include "core/uffd.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *reg_mode_name(enum reg_mode mode)
{
	static const char *const names[REG_NR] = {
		[REG_MISSING] = "missing", [REG_MINOR] = "minor", [REG_WP] = "wp",
	};

	return names[mode];
}

/*
 * /dev/userfaultfd first (no privilege check on the fd's faults once opened),
 * then the syscall, then the syscall restricted to user-mode faults, which an
 * unprivileged user may always have.  The ioctls measured here never take
 * kernel-mode faults on registered memory, so user-mode-only loses nothing.
 */
static int uffd_open(struct uffd_source *src)
{
	int flags = O_CLOEXEC | O_NONBLOCK;
	int dev, fd;

	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev >= 0) {
		fd = ioctl(dev, USERFAULTFD_IOC_NEW, flags);
		close(dev);
		if (fd >= 0) {
			snprintf(src->how, sizeof(src->how), "/dev/userfaultfd");
			src->user_mode_only = false;
			return fd;
		}
	}
	fd = syscall(SYS_userfaultfd, flags);
	if (fd >= 0) {
		snprintf(src->how, sizeof(src->how), "syscall");
		src->user_mode_only = false;
		return fd;
	}
	fd = syscall(SYS_userfaultfd, flags | UFFD_USER_MODE_ONLY);
	if (fd >= 0) {
		snprintf(src->how, sizeof(src->how), "syscall(UFFD_USER_MODE_ONLY)");
		src->user_mode_only = true;
		return fd;
	}
	return -errno;
}

static int uffd_handshake(int fd, uint64_t features, uint64_t *got, uint64_t *ioctls)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	if (ioctl(fd, UFFDIO_API, &api))
		return -errno;
	if (got)
		*got = api.features;
	if (ioctls)
		*ioctls = api.ioctls;
	return 0;
}

int uffd_new(uint64_t features, struct uffd_source *src)
{
	struct uffd_source dummy;
	int fd, ret;

	fd = uffd_open(src ? src : &dummy);
	if (fd < 0)
		return fd;
	ret = uffd_handshake(fd, features, NULL, NULL);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

int uffd_probe_api(uint64_t *features, uint64_t *ioctls, struct uffd_source *src)
{
	int fd, ret;

	fd = uffd_open(src);
	if (fd < 0)
		return fd;
	/* Asking for no feature returns every feature the kernel has. */
	ret = uffd_handshake(fd, 0, features, ioctls);
	close(fd);
	return ret;
}

int uffd_register_modes(int uffd, void *addr, size_t len, unsigned modes, uint64_t *ioctls)
{
	static const uint64_t uapi[REG_NR] = {
		[REG_MISSING] = UFFDIO_REGISTER_MODE_MISSING,
		[REG_MINOR] = UFFDIO_REGISTER_MODE_MINOR,
		[REG_WP] = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)addr, .len = len },
	};

	for (int m = 0; m < REG_NR; m++)
		if (modes & (1u << m))
			reg.mode |= uapi[m];
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	if (ioctls)
		*ioctls = reg.ioctls;
	return 0;
}

int uffd_register(int uffd, void *addr, size_t len, enum reg_mode mode, uint64_t *ioctls)
{
	return uffd_register_modes(uffd, addr, len, 1u << mode, ioctls);
}

int uffd_unregister(int uffd, void *addr, size_t len)
{
	struct uffdio_range range = { .start = (unsigned long)addr, .len = len };

	return ioctl(uffd, UFFDIO_UNREGISTER, &range) ? -errno : 0;
}

/* Bits newer than the build's uapi header are named here by their value. */
static const char *const feature_names[] = {
	"PAGEFAULT_FLAG_WP", "EVENT_FORK", "EVENT_REMAP", "EVENT_REMOVE",
	"MISSING_HUGETLBFS", "MISSING_SHMEM", "EVENT_UNMAP", "SIGBUS",
	"THREAD_ID", "MINOR_HUGETLBFS", "MINOR_SHMEM", "EXACT_ADDRESS",
	"WP_HUGETLBFS_SHMEM", "WP_UNPOPULATED", "POISON", "WP_ASYNC", "MOVE",
};

void uffd_feature_names(uint64_t features, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 64; i++) {
		if (!(features & (1ull << i)))
			continue;
		if (i < ARRAY_SIZE(feature_names))
			appendf(buf, len, &off, "%s%s", off ? " " : "", feature_names[i]);
		else
			appendf(buf, len, &off, "%sbit%u", off ? " " : "", i);
	}
}
