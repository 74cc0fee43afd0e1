/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_UFFD_H
#define UFFDBENCH_UFFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register modes; the ioctls themselves are a table (workloads/ioctls/). */
enum reg_mode { REG_MISSING, REG_MINOR, REG_WP, REG_NR };

const char *reg_mode_name(enum reg_mode mode);	/* "missing" */

/*
 * How the userfaultfd was obtained, for env.json: /dev/userfaultfd, or the
 * syscall (possibly UFFD_USER_MODE_ONLY when not privileged).
 */
struct uffd_source {
	char how[48];
	bool user_mode_only;
};

/* A new non-blocking userfaultfd, API handshake done; fd or -errno. */
int uffd_new(uint64_t features, struct uffd_source *src);
/* The features and ioctls UFFDIO_API offers; 0 or -errno. */
int uffd_probe_api(uint64_t *features, uint64_t *ioctls, struct uffd_source *src);
/* Register [addr, addr+len) in mode; the allowed ioctls mask in *ioctls; 0/-errno. */
int uffd_register(int uffd, void *addr, size_t len, enum reg_mode mode, uint64_t *ioctls);
/* The same in several modes at once (modes: 1 << REG_*), e.g. MISSING and WP. */
int uffd_register_modes(int uffd, void *addr, size_t len, unsigned modes, uint64_t *ioctls);
int uffd_unregister(int uffd, void *addr, size_t len);
/* Names of the UFFD_FEATURE_* bits set in features, space-separated. */
void uffd_feature_names(uint64_t features, char *buf, size_t len);

#endif
