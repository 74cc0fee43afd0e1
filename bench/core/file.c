// SPDX-License-Identifier: MIT
#include "core/file.h"
#include "core/common.h"
#include "core/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *file_kind_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	default: return "not a file";
	}
}

/* fd is a regular file of at most max bytes, and blocking again: 0 or -1 with err. */
static int check_regular(int fd, const char *path, size_t max, char *err, size_t errlen)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st))
		return seterr(err, errlen, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return seterr(err, errlen, "%s: %s, not a regular file", path,
			      file_kind_name(st.st_mode));
	if ((unsigned long long)st.st_size > max)
		return seterr(err, errlen, "%s: %lld bytes, more than the %zu a reader takes", path,
			      (long long)st.st_size, max);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK))
		return seterr(err, errlen, "%s: %s", path, strerror(errno));
	return 0;
}

FILE *fopen_regular(const char *path, size_t max, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	FILE *f;

	if (fd < 0) {
		int e = errno;

		seterr(err, errlen, "%s: %s", path, strerror(e));
		errno = e;	/* the caller may tell ENOENT apart */
		return NULL;
	}
	if (check_regular(fd, path, max, err, errlen)) {
		errno = EINVAL;
		goto fail;
	}
	f = fdopen(fd, "r");
	if (f)
		return f;
	seterr(err, errlen, "%s: %s", path, strerror(errno));
fail:
	close(fd);
	return NULL;
}

int mkdir_made(const char *path, struct made_dirs *m)
{
	if (mkdir(path, 0755))
		return -errno;
	if (m->n < MADE_DIRS_MAX)
		m->dir[m->n++] = xstrdup(path);
	return 0;
}

int mkdir_p_made(const char *path, struct made_dirs *m)
{
	char buf[PATH_MAX];
	int ret = 0;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p && !ret; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		ret = mkdir_made(buf, m);
		if (ret == -EEXIST)
			ret = 0;
		*p = '/';
	}
	if (!ret)
		ret = mkdir_made(buf, m);
	if (ret == -EEXIST)
		ret = 0;
	if (ret)
		made_dirs_undo(m);
	return ret;
}

void made_dirs_undo(struct made_dirs *m)
{
	while (m->n) {
		m->n--;
		if (m->dir[m->n])
			rmdir(m->dir[m->n]);
		free(m->dir[m->n]);
	}
}

void made_dirs_keep(struct made_dirs *m)
{
	while (m->n)
		free(m->dir[--m->n]);
}
