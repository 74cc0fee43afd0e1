// SPDX-License-Identifier: MIT
/*
 * merge and split: results directories rewritten line by line.  Every source
 * goes through rr_load() first, so a corrupt line stops the rewrite before
 * anything is written, with the reader's "FILE:LINE: why".
 */
#include "results/rewrite.h"
#include "results/read.h"
#include "core/alloc.h"
#include "core/common.h"
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The written lines: as the run wrote them (results/results.c). */
#define RW_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* Lines in memory, grown through xrealloc (which aborts out of memory). */
struct buf {
	char *p;
	size_t len, cap;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 4096;
		b->p = xrealloc(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Write len bytes to a new file path (never over one); 0 or -errno. */
static int write_new(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int ret = 0;

	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -ENOSPC;
			break;
		}
		buf += n;
		len -= n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		unlink(path);
	return ret;
}

/* dst/name from src/name when src has one; 0, or -1 with err. */
static int copy_side(const char *src, const char *dst, const char *name, char *err,
		     size_t errlen)
{
	char from[PATH_MAX + 32], to[PATH_MAX + 32], chunk[65536];
	struct buf b = { 0 };
	size_t n;
	FILE *f;
	int ret;

	snprintf(from, sizeof(from), "%s/%s", src, name);
	snprintf(to, sizeof(to), "%s/%s", dst, name);
	if (access(from, F_OK) && errno == ENOENT)
		return 0;
	f = fopen_regular(from, RR_MAX_SIDE_FILE, err, errlen);
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)))
		buf_put(&b, chunk, n);
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!ret)
		ret = write_new(to, b.p ? b.p : "", b.len);
	free(b.p);
	if (ret)
		return seterr(err, errlen, "cannot write %s: %s", to, strerror(-ret));
	return 0;
}

/* One line, renumbered or changed by the caller, at the end of b. */
static int put_line(struct buf *b, json_t *o, char *err, size_t errlen)
{
	char *line = json_dumps(o, RW_DUMP_FLAGS);

	if (!line)
		return seterr(err, errlen, "out of memory");
	buf_put(b, line, strlen(line));
	buf_put(b, "\n", 1);
	free(line);
	return 0;
}

/* Take back the files write_dir() wrote into dir. */
static void remove_written(const char *dir)
{
	static const char *const names[] = { "results.jsonl", "env.json", "caps.json" };
	char path[PATH_MAX + 32];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

/* Every line of d, cells then lines of other kinds, for fn to rewrite. */
#define for_each_line(d, i, o)							\
	for (size_t i = 0; i < (d)->nr_cells + (d)->nr_other; i++)		\
		if (((o) = i < (d)->nr_cells ? (d)->cells[i].obj :		\
			   json_array_get((d)->others, i - (d)->nr_cells)))

/* "repeat" of a line: an integer >= 0; absent (a fault line) is 0. */
static json_int_t line_repeat(json_t *o)
{
	json_int_t r = json_integer_value(json_object_get(o, "repeat"));

	return r > 0 ? r : 0;
}

/* A new directory for results: made (remembered in m) or empty of results. */
static int new_results_dir(const char *dir, struct made_dirs *m, char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	int ret = mkdir_p_made(dir, m);

	if (ret)
		return seterr(err, errlen, "cannot create %s: %s", dir, strerror(-ret));
	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	if (!access(path, F_OK))
		return seterr(err, errlen, "%s already holds results (choose another)", dir);
	return 0;
}

/* dir/results.jsonl, env.json and caps.json of side; 0, or -1 with err. */
static int write_dir(const char *dir, const char *buf, size_t len, const char *side,
		     char *err, size_t errlen)
{
	char path[PATH_MAX + 32];
	int ret;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	ret = write_new(path, buf, len);
	if (ret)
		return seterr(err, errlen, "cannot write %s: %s", path, strerror(-ret));
	if (side && (copy_side(side, dir, "env.json", err, errlen) ||
		     copy_side(side, dir, "caps.json", err, errlen))) {
		remove_written(dir);
		return -1;
	}
	return 0;
}

int rw_merge(const char *dst, char *const *srcs, const unsigned *index, int n,
	     char *err, size_t errlen)
{
	struct rr_dir *d = xcalloc(n, sizeof(*d));
	struct made_dirs made = { 0 };
	json_int_t reps = 1;
	const char *side = NULL;
	struct buf b = { 0 };
	int loaded = 0, ret = -1;
	json_t *o;

	for (; loaded < n; loaded++) {
		if (rr_load(srcs[loaded], &d[loaded], err, errlen))
			goto out;
		for_each_line(&d[loaded], i, o)
			if (line_repeat(o) + 1 > reps)
				reps = line_repeat(o) + 1;
		if (!side && d[loaded].env)
			side = srcs[loaded];
	}
	for (int k = 0; k < n; k++) {
		json_int_t base = (json_int_t)(index ? index[k] : (unsigned)k) * reps;

		for_each_line(&d[k], i, o) {
			/* what the reader takes back: a repeat up to UINT_MAX */
			if (base + line_repeat(o) > UINT_MAX) {
				seterr(err, errlen, "%s: repeat %lld of index %u is beyond %u",
				       srcs[k], (long long)(base + line_repeat(o)),
				       index ? index[k] : (unsigned)k, UINT_MAX);
				goto out;
			}
			json_object_set_new(o, "repeat", json_integer(base + line_repeat(o)));
			if (put_line(&b, o, err, errlen))
				goto out;
		}
	}
	if (new_results_dir(dst, &made, err, errlen) ||
	    write_dir(dst, b.p ? b.p : "", b.len, side, err, errlen)) {
		made_dirs_undo(&made);
		goto out;
	}
	made_dirs_keep(&made);
	ret = 0;
out:
	for (int k = 0; k < loaded; k++)
		rr_free(&d[k]);
	free(d);
	free(b.p);
	return ret;
}

struct part {
	char name[32];
	struct buf b;
};

/* The part of line o, with o changed as the split says. */
static void split_line(json_t *o, enum rw_split_by by, char *name, size_t len)
{
	json_int_t r = line_repeat(o);

	if (by == RW_BY_PARITY) {
		/* processes 2j and 2j+1 ran one after the other: pair them as j */
		snprintf(name, len, "%s", r % 2 ? "odd" : "even");
		json_object_set_new(o, "repeat", json_integer(r / 2));
		return;
	}
	/* the delay is part of the cell's key: cleared, the parts match */
	snprintf(name, len, "%g", json_number_value(json_object_get(o, "inject_ns")));
	json_object_set_new(o, "inject_ns", json_integer(0));
}

int rw_split(const char *src, const char *prefix, enum rw_split_by by, FILE *out,
	     char *err, size_t errlen)
{
	struct made_dirs made[16] = { 0 };
	struct part parts[16];
	char dir[PATH_MAX];
	size_t np = 0;
	struct rr_dir d;
	int ret = -1;
	json_t *o;

	if (rr_load(src, &d, err, errlen))
		return -1;
	for_each_line(&d, i, o) {
		char name[32];
		size_t p;

		split_line(o, by, name, sizeof(name));
		for (p = 0; p < np && strcmp(parts[p].name, name); p++)
			;
		if (p == np) {
			if (np == ARRAY_SIZE(parts)) {
				seterr(err, errlen, "%s: more than %zu parts", src, ARRAY_SIZE(parts));
				goto out;
			}
			snprintf(parts[p].name, sizeof(parts[p].name), "%s", name);
			parts[p].b = (struct buf){ 0 };
			np++;
		}
		if (put_line(&parts[p].b, o, err, errlen))
			goto out;
	}
	for (size_t p = 0; p < np; p++) {
		snprintf(dir, sizeof(dir), "%s%s", prefix, parts[p].name);
		if (new_results_dir(dir, &made[p], err, errlen))
			goto undo;
	}
	for (size_t p = 0; p < np; p++) {
		snprintf(dir, sizeof(dir), "%s%s", prefix, parts[p].name);
		if (write_dir(dir, parts[p].b.p, parts[p].b.len, src, err, errlen)) {
			while (p--) {
				snprintf(dir, sizeof(dir), "%s%s", prefix, parts[p].name);
				remove_written(dir);
			}
			goto undo;
		}
	}
	for (size_t p = 0; p < np; p++) {
		made_dirs_keep(&made[p]);
		fprintf(out, "%s%s\n", prefix, parts[p].name);
	}
	ret = 0;
	goto out;
undo:
	for (size_t p = np; p--;)
		made_dirs_undo(&made[p]);
out:
	for (size_t p = 0; p < np; p++)
		free(parts[p].b.p);
	rr_free(&d);
	return ret;
}
