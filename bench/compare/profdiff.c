// SPDX-License-Identifier: MIT
/*
 * profdiff: kernel symbols' shares of two sides' samples.  The input is
 * perf report's text: "  12.34%  1234  [k] symbol" (perf report -n), or
 * "1234 [k] symbol" (scripts/profile's kept path.txt); any other line (the
 * header, "#" comments, blank lines) is passed over, a sample line that is
 * cut short or absurd is refused.
 */
#include "compare/profdiff.h"
#include "core/alloc.h"
#include "core/common.h"
#include "core/file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The largest profile read (64 MiB) and symbol name kept (longer: refused). */
#define PD_MAX_FILE (64 << 20)
#define PD_SYM_MAX 256

struct pd_sym {
	char *name;
	unsigned long long n[2];	/* samples on the base and new side */
};

struct pd_side {
	struct pd_sym *syms;
	size_t nr, cap;
	unsigned long long total[2];
};

static int sym_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pd_sym *)a)->name, ((const struct pd_sym *)b)->name);
}

static void add(struct pd_side *s, const char *name, int side, unsigned long long n)
{
	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->syms = xrealloc(s->syms, s->cap, sizeof(*s->syms));
	}
	s->syms[s->nr] = (struct pd_sym){ .name = xstrdup(name) };
	s->syms[s->nr++].n[side] = n;
	s->total[side] += n;
}

/* A count: digits only, at most 10^15. */
static bool count_of(const char *w, unsigned long long *n)
{
	char *end;

	if (!isdigit((unsigned char)*w) || strlen(w) > 15)
		return false;
	errno = 0;
	*n = strtoull(w, &end, 10);
	return !*end && !errno;
}

/* One line's words (at most 4, in place); their number. */
static int words(char *line, char **w)
{
	int n = 0;

	for (char *tok = strtok(line, " \t\r\n"); tok && n < 4; tok = strtok(NULL, " \t\r\n"))
		w[n++] = tok;
	return n;
}

/* The [k] samples of one file into s for side; 0, or -1 with err. */
static int read_file(const char *path, struct pd_side *s, int side, char *err, size_t errlen)
{
	unsigned long long before = s->total[side], n;
	size_t cap = 0;
	char *line = NULL, *w[4];
	unsigned lineno = 0;
	int ret = 0, nw;
	FILE *f;

	f = fopen_regular(path, PD_MAX_FILE, err, errlen);
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		int k;

		lineno++;
		nw = words(line, w);
		if (nw < 3 || w[0][0] == '#')
			continue;
		/* "12.34% 1234 [k] sym" or "1234 [k] sym" */
		k = w[0][strlen(w[0]) - 1] == '%' ? 1 : 0;
		if (nw < k + 3 || !count_of(w[k], &n) || strcmp(w[k + 1], "[k]"))
			continue;
		if (strlen(w[k + 2]) > PD_SYM_MAX) {
			ret = seterr(err, errlen, "%s:%u: a symbol longer than %d characters",
				     path, lineno, PD_SYM_MAX);
			break;
		}
		if (s->total[side] + n < s->total[side] || s->total[side] + n > 1ull << 50) {
			ret = seterr(err, errlen, "%s:%u: more samples than can be", path, lineno);
			break;
		}
		add(s, w[k + 2], side, n);
	}
	if (!ret && ferror(f))
		ret = seterr(err, errlen, "%s: cannot read it", path);
	if (!ret && s->total[side] == before)
		ret = seterr(err, errlen, "%s: no kernel samples (\"N [k] symbol\" lines of perf "
			     "report -n --sort sym)", path);
	free(line);
	fclose(f);
	return ret;
}

/* Same symbols summed into one entry each (sorted by name). */
static void merge_syms(struct pd_side *s)
{
	size_t w = 0;

	if (!s->nr)
		return;
	qsort(s->syms, s->nr, sizeof(*s->syms), sym_cmp);
	for (size_t r = 1; r < s->nr; r++) {
		if (!strcmp(s->syms[w].name, s->syms[r].name)) {
			s->syms[w].n[0] += s->syms[r].n[0];
			s->syms[w].n[1] += s->syms[r].n[1];
			free(s->syms[r].name);
		} else {
			s->syms[++w] = s->syms[r];
		}
	}
	s->nr = w + 1;
}

struct pd_row {
	const struct pd_sym *sym;
	double pa, pb, d, noise;
};

/* Largest move first; then the larger share; then by name. */
static int row_cmp(const void *a, const void *b)
{
	const struct pd_row *x = a, *y = b;
	double ax = fabs(x->d), ay = fabs(y->d);
	double bx = fmax(x->pa, x->pb), by = fmax(y->pa, y->pb);

	if (ax != ay)
		return ax < ay ? 1 : -1;
	if (bx != by)
		return bx < by ? 1 : -1;
	return strcmp(x->sym->name, y->sym->name);
}

int pd_run(FILE *f, char *const *base, int nbase, char *const *news, int nnew,
	   const struct pd_opts *o, char *err, size_t errlen)
{
	struct pd_side s = { 0 };
	struct pd_row *rows;
	int ret = -1;

	for (int i = 0; i < nbase; i++)
		if (read_file(base[i], &s, 0, err, errlen))
			goto out;
	for (int i = 0; i < nnew; i++)
		if (read_file(news[i], &s, 1, err, errlen))
			goto out;
	merge_syms(&s);
	rows = xcalloc(s.nr, sizeof(*rows));
	for (size_t i = 0; i < s.nr; i++) {
		double ka = s.total[0], kb = s.total[1];
		double pa = 100.0 * s.syms[i].n[0] / ka, pb = 100.0 * s.syms[i].n[1] / kb;

		/*
		 * The binomial sampling noise of the difference, in pp; 3.5 sigma
		 * is p 0.05 over ~100 symbols (Bonferroni): A/A pairs move a few
		 * of 30 symbols by 2-2.7 sigma.
		 */
		rows[i] = (struct pd_row){ .sym = &s.syms[i], .pa = pa, .pb = pb, .d = pb - pa,
			.noise = 3.5 * 100 * sqrt(pa / 100 * (1 - pa / 100) / ka +
						  pb / 100 * (1 - pb / 100) / kb) };
	}
	qsort(rows, s.nr, sizeof(*rows), row_cmp);
	fprintf(f, "kernel samples: %s %llu (%d file%s), %s %llu (%d file%s)\n", o->base_name,
		s.total[0], nbase, nbase == 1 ? "" : "s", o->new_name, s.total[1], nnew,
		nnew == 1 ? "" : "s");
	fprintf(f, "%-40s %8s %8s %9s %7s %7s %7s\n", "share of kernel samples", o->base_name,
		o->new_name, "diff (pp)", "noise", "n base", "n new");
	for (size_t i = 0; i < s.nr && i < o->top; i++) {
		const struct pd_row *r = &rows[i];

		fprintf(f, "%-40s %7.2f%% %7.2f%% %+9.2f %7.2f %7llu %7llu%s\n", r->sym->name,
			r->pa, r->pb, r->d, r->noise, r->sym->n[0], r->sym->n[1],
			fabs(r->d) > r->noise ? "  *" : "");
	}
	fprintf(f, "(pp: percentage points of each side's kernel samples; the %u largest moves;\n"
		" noise: 3.5 sigma of the binomial sampling noise of the difference, * beyond\n"
		" it: p < 0.05 over ~100 symbols)\n", o->top);
	free(rows);
	ret = 0;
out:
	for (size_t i = 0; i < s.nr; i++)
		free(s.syms[i].name);
	free(s.syms);
	return ret;
}
