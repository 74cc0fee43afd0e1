// SPDX-License-Identifier: MIT
#include "machine/knob.h"
#include "machine/hugepages.h"
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * What a read shows for val: the value itself, or a choice list with val
 * selected ("always [madvise] never").
 */
static int shows(const char *got, const char *val)
{
	char sel[80];

	if (!strcmp(got, val))
		return 1;
	snprintf(sel, sizeof(sel), "[%s]", val);
	return strstr(got, sel) != NULL;
}

/* The file's value as it can be written back: a choice list's selection. */
static int read_orig(const char *path, char *orig, size_t len)
{
	char buf[256], *l, *r;
	int ret = read_text_file(path, buf, sizeof(buf));

	if (ret)
		return ret;
	l = strchr(buf, '[');
	r = l ? strchr(l, ']') : NULL;
	if (r) {
		*r = '\0';
		memmove(buf, l + 1, r - l);
	}
	if (strlen(buf) >= len || strchr(buf, '\n'))
		return -EINVAL;
	snprintf(orig, len, "%s", buf);
	return 0;
}

int knob_set(const char *path, const char *val, char *got, size_t gotlen,
	     char *err, size_t len)
{
	char orig[72];
	int ret;

	ret = read_orig(path, orig, sizeof(orig));
	if (ret)
		return seterr(err, len, "--knob %s: cannot read it: %s", path, strerror(-ret));
	if (guard_remember(path, orig))
		return seterr(err, len, "--knob %s: cannot arrange to restore it", path);
	ret = write_text_file_trunc(path, val);
	if (ret)
		return seterr(err, len, "--knob %s: the kernel refused '%s': %s", path, val,
			      strerror(-ret));
	ret = read_text_file(path, got, gotlen);
	if (ret)
		return seterr(err, len, "--knob %s: cannot read it back: %s", path,
			      strerror(-ret));
	if (!shows(got, val))
		return seterr(err, len, "--knob %s: wrote '%s', it reads '%s'", path, val, got);
	return 0;
}

int knob_check(const char *path, char vals[][64], unsigned nr, char *err, size_t len)
{
	char orig[72], got[256];
	struct stat st;
	int fd, ret = 0;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return seterr(err, len, "--knob %s: no such file", path);
	fd = open(path, O_WRONLY | O_CLOEXEC);	/* root passes access(W_OK) on 0444 */
	if (fd < 0)
		return seterr(err, len, "--knob %s: not writable: %s", path, strerror(errno));
	close(fd);
	if (read_orig(path, orig, sizeof(orig)))
		return seterr(err, len, "--knob %s: cannot read its value (one word of < 72 characters)",
			      path);
	for (unsigned i = 0; i < nr && !ret; i++)
		ret = knob_set(path, vals[i], got, sizeof(got), err, len);
	hugepages_restore();
	if (read_text_file(path, got, sizeof(got)) || !shows(got, orig))
		return seterr(err, len, "--knob %s: could not put '%s' back (it reads '%s')",
			      path, orig, got);
	return ret;
}
