// SPDX-License-Identifier: MIT
/*
 * The cost of a call on this CPU, in user space, through the same instruction
 * sequences the kernel's indirect-branch thunks use (arch/x86/lib/retpoline.S):
 * loops of CC_UNROLL calls per iteration, pinned, warmed up, every sequence
 * once per repetition in a rotating order, the empty loop of the same
 * repetition taken off; median and spread per sequence.
 */
#include "machine/callcost.h"
#include "core/alloc.h"
#include "core/common.h"

#include <errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const cc_seq_name[NR_CC_SEQ] = {
	[CC_DIRECT] = "direct",
	[CC_INDIRECT] = "indirect",
	[CC_RETPOLINE] = "retpoline",
	[CC_LFENCE] = "lfence",
	[CC_DIRECT_RT] = "direct+return-thunk",
	[CC_ITS] = "its",
};

const char *const cc_seq_what[NR_CC_SEQ] = {
	[CC_DIRECT] = "call rel32; ret",
	[CC_INDIRECT] = "call *%rax; ret (eIBRS or no mitigation)",
	[CC_RETPOLINE] = "call __x86_indirect_thunk_rax (call; pause; lfence; mov %rax,(%rsp); ret); ret",
	[CC_LFENCE] = "lfence; call *%rax; ret (retpoline,lfence)",
	[CC_DIRECT_RT] = "call rel32; jmp to a ret in a line's upper half (return thunk)",
	[CC_ITS] = "call its thunk (jmp *%rax in a line's upper half); return thunk",
};

/* ---- the host's mitigation --------------------------------------------- */

static bool has(const char *s, const char *what)
{
	return s && strstr(s, what);
}

static void copy_text(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
	dst[strcspn(dst, "\n")] = 0;
}

void cc_host_from_text(struct cc_host *h, const char *spectre_v2, const char *its,
		       const char *retbleed)
{
	memset(h, 0, sizeof(*h));
	copy_text(h->spectre_v2, sizeof(h->spectre_v2), spectre_v2);
	copy_text(h->its, sizeof(h->its), its);
	copy_text(h->retbleed, sizeof(h->retbleed), retbleed);
	h->direct = CC_DIRECT;
	/* returns through a thunk: retbleed's untrained return thunk, SRSO's, ITS's */
	if (has(h->retbleed, "return thunk") || has(h->its, "return thunk"))
		h->direct = CC_DIRECT_RT;
	if (has(h->spectre_v2, "LFENCE")) {
		h->indirect = CC_LFENCE;
		snprintf(h->why, sizeof(h->why), "spectre_v2 says LFENCE: lfence before each indirect call");
	} else if (has(h->spectre_v2, "Retpoline")) {
		h->indirect = CC_RETPOLINE;
		snprintf(h->why, sizeof(h->why), "spectre_v2 says Retpolines: __x86_indirect_thunk_*");
	} else if (has(h->its, "Aligned branch/return thunks") || has(h->its, "ITS thunk")) {
		h->indirect = CC_ITS;
		h->direct = CC_DIRECT_RT;
		snprintf(h->why, sizeof(h->why),
			 "indirect_target_selection says aligned branch/return thunks");
	} else if (has(h->spectre_v2, "IBRS")) {
		h->indirect = CC_INDIRECT;
		snprintf(h->why, sizeof(h->why), "spectre_v2 says IBRS (enhanced/automatic): plain indirect calls");
	} else {
		h->indirect = CC_INDIRECT;
		snprintf(h->why, sizeof(h->why), "spectre_v2 '%.100s': no thunk, plain indirect calls",
			 h->spectre_v2[0] ? h->spectre_v2 : "(missing)");
	}
	if (h->direct == CC_DIRECT_RT)
		snprintf(h->why + strlen(h->why), sizeof(h->why) - strlen(h->why),
			 "; returns through a return thunk");
}

static void read_vuln(const char *name, char *buf, size_t len)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", name);
	buf[0] = 0;
	f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
}

void cc_host_read(struct cc_host *h)
{
	char v2[200], its[120], rb[120];

	read_vuln("spectre_v2", v2, sizeof(v2));
	read_vuln("indirect_target_selection", its, sizeof(its));
	read_vuln("retbleed", rb, sizeof(rb));
	cc_host_from_text(h, v2, its, rb);
}

/* ---- the loops ---------------------------------------------------------- */

#if defined(__x86_64__)
#include <x86intrin.h>

/*
 * cc_loop_X(iters): iters times CC_UNROLL (8) of the sequence, %rax holding
 * the target of the indirect ones.  The targets return with a plain ret, or
 * (the _rt ones) through a return thunk whose ret sits in the upper half of
 * its own cache line, as the ITS return thunk does.
 */
__asm__(
	".pushsection .text\n"
	".macro CC_LOOP name, target, body:vararg\n"
	"	.p2align 6\n"
	"	.globl \\name\n"
	"	.hidden \\name\n"
	"	.type \\name, @function\n"
	"\\name:\n"
	"	lea \\target(%rip), %rax\n"
	"	mov %rdi, %rcx\n"
	"1:\n"
	"	.rept 8\n"
	"	\\body\n"
	"	.endr\n"
	"	dec %rcx\n"
	"	jnz 1b\n"
	"	ret\n"
	"	.size \\name, . - \\name\n"
	".endm\n"
	"	.p2align 6\n"
	"cc_target:\n"
	"	ret\n"
	"	.p2align 6\n"
	"	.skip 32, 0xcc\n"
	"cc_return_thunk:\n"
	"	ret\n"
	"	int3\n"
	"	.p2align 6\n"
	"cc_target_rt:\n"
	"	jmp cc_return_thunk\n"
	/* arch/x86/lib/retpoline.S: __x86_indirect_thunk_rax */
	"	.p2align 6\n"
	"cc_retpoline_rax:\n"
	"	call 2f\n"
	"3:	pause\n"
	"	lfence\n"
	"	jmp 3b\n"
	"	.p2align 4\n"
	"2:	mov %rax, (%rsp)\n"
	"	ret\n"
	"	int3\n"
	/* __x86_indirect_its_thunk_rax: the jmp in the upper half of a line */
	"	.p2align 6\n"
	"	.skip 32, 0xcc\n"
	"cc_its_rax:\n"
	"	jmp *%rax\n"
	"	int3\n"
	"CC_LOOP cc_loop_empty, cc_target\n"
	"CC_LOOP cc_loop_direct, cc_target, call cc_target\n"
	"CC_LOOP cc_loop_indirect, cc_target, call *%rax\n"
	"CC_LOOP cc_loop_retpoline, cc_target, call cc_retpoline_rax\n"
	"CC_LOOP cc_loop_lfence, cc_target, lfence; call *%rax\n"
	"CC_LOOP cc_loop_direct_rt, cc_target_rt, call cc_target_rt\n"
	"CC_LOOP cc_loop_its, cc_target_rt, call cc_its_rax\n"
	".purgem CC_LOOP\n"
	".popsection\n");

void cc_loop_empty(unsigned long iters);
void cc_loop_direct(unsigned long iters);
void cc_loop_indirect(unsigned long iters);
void cc_loop_retpoline(unsigned long iters);
void cc_loop_lfence(unsigned long iters);
void cc_loop_direct_rt(unsigned long iters);
void cc_loop_its(unsigned long iters);

static void (*const loops[NR_CC_SEQ])(unsigned long) = {
	[CC_DIRECT] = cc_loop_direct,
	[CC_INDIRECT] = cc_loop_indirect,
	[CC_RETPOLINE] = cc_loop_retpoline,
	[CC_LFENCE] = cc_loop_lfence,
	[CC_DIRECT_RT] = cc_loop_direct_rt,
	[CC_ITS] = cc_loop_its,
};

bool cc_supported(void)
{
	return true;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* ns of one run of loop; the TSC ticks it took added to *ticks. */
static double timed(void (*loop)(unsigned long), unsigned long iters, uint64_t *ticks,
		    uint64_t *ns)
{
	uint64_t t0, t1, c0, c1;

	_mm_lfence();
	t0 = raw_ns();
	c0 = __rdtsc();
	loop(iters);
	_mm_lfence();
	c1 = __rdtsc();
	t1 = raw_ns();
	*ticks += c1 - c0;
	*ns += t1 - t0;
	return (double)(t1 - t0);
}

static int pin(int cpu, int *pinned)
{
	cpu_set_t set;

	if (cpu < 0) {
		if (sched_getaffinity(0, sizeof(set), &set))
			return -errno;
		for (int c = CPU_SETSIZE - 1; c >= 0; c--)
			if (CPU_ISSET(c, &set)) {
				cpu = c;
				break;
			}
		if (cpu < 0)
			return -EINVAL;
	}
	if (cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return -errno;
	*pinned = cpu;
	return 0;
}
#else
bool cc_supported(void)
{
	return false;
}
#endif

static int dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/* Quantile q of n sorted values, linear between neighbours. */
static double quantile(const double *v, unsigned n, double q)
{
	double pos = q * (n - 1);
	unsigned i = (unsigned)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static void stat_of(double *v, unsigned n, struct cc_stat *s)
{
	qsort(v, n, sizeof(*v), dbl_cmp);
	s->n = n;
	s->median = quantile(v, n, 0.5);
	s->p10 = quantile(v, n, 0.1);
	s->p90 = quantile(v, n, 0.9);
	s->min = v[0];
	s->max = v[n - 1];
}

static void read_load(double load[3])
{
	FILE *f = fopen("/proc/loadavg", "re");

	load[0] = load[1] = load[2] = NAN;
	if (!f)
		return;
	if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
		load[0] = load[1] = load[2] = NAN;
	fclose(f);
}

int cc_measure(const struct cc_opts *o, struct cc_result *r)
{
#if defined(__x86_64__)
	double *v[NR_CC_SEQ] = { 0 }, *empty = NULL, calls = (double)o->iters * CC_UNROLL;
	uint64_t ticks = 0, ns = 0, t = 0, n = 0;
	struct cc_stat es;
	int ret;

	if (!o->reps || !o->iters)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	read_load(r->load);
	ret = pin(o->cpu, &r->cpu);
	if (ret)
		return ret;
	empty = xcalloc(o->reps, sizeof(*empty));
	for (int s = 0; s < NR_CC_SEQ; s++)
		v[s] = xcalloc(o->reps, sizeof(**v));
	for (unsigned rep = 0; rep < o->warmup + o->reps; rep++) {
		bool keep = rep >= o->warmup;
		unsigned k = keep ? rep - o->warmup : 0;
		double e = timed(cc_loop_empty, o->iters, &t, &n), d[NR_CC_SEQ];

		/* a rotating order: no sequence always first after the empty loop */
		for (int j = 0; j < NR_CC_SEQ; j++) {
			int s = (j + rep) % NR_CC_SEQ;

			d[s] = timed(loops[s], o->iters, keep ? &ticks : &t, keep ? &ns : &n);
		}
		if (!keep)
			continue;
		empty[k] = e / o->iters;
		for (int s = 0; s < NR_CC_SEQ; s++)
			v[s][k] = (d[s] - e) / calls;
	}
	r->tsc_ghz = ns ? (double)ticks / ns : 0;
	stat_of(empty, o->reps, &es);
	r->empty_ns = es.median;
	for (int s = 0; s < NR_CC_SEQ; s++)
		stat_of(v[s], o->reps, &r->seq[s]);
	for (int s = 0; s < NR_CC_SEQ; s++)
		free(v[s]);
	free(empty);
	return 0;
#else
	(void)o;
	(void)r;
	return -EOPNOTSUPP;
#endif
}

/* ---- ns per instruction from a native and an icount run ---------------- */

struct cell_val {
	char key[96];
	double v;
	unsigned n;
};

/*
 * Per single-thread ok cell of DIR/results.jsonl (no --inject-ns delay):
 * icount: the lowest round's ns/page; native: the median of its lines'
 * medians, as the lines come (their mean: close enough for a rate).
 */
static int read_cells(const char *dir, bool floor, struct cell_val **out, size_t *nout,
		      char *err, size_t errlen)
{
	char path[4096], *line = NULL;
	struct cell_val *c = NULL;
	size_t cap = 0, n = 0, ccap = 0;
	unsigned lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.jsonl", dir);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		json_t *j = json_loads(line, 0, NULL), *sum;
		const char *mt, *io, *st;
		double v, inject;
		char key[96];
		size_t k;

		lineno++;
		if (!j) {
			snprintf(err, errlen, "%s:%u: not JSON", path, lineno);
			goto fail;
		}
		mt = json_string_value(json_object_get(j, "memtype"));
		io = json_string_value(json_object_get(j, "ioctl"));
		st = json_string_value(json_object_get(j, "status"));
		sum = json_object_get(json_object_get(j, "summary"), "ns_per_page");
		v = json_number_value(json_object_get(sum, floor ? "min" : "median"));
		inject = json_number_value(json_object_get(j, "inject_ns"));
		if (!mt || !io || !st || strcmp(st, "ok") || inject > 0 || !(v > 0) ||
		    json_integer_value(json_object_get(j, "threads")) != 1) {
			json_decref(j);
			continue;
		}
		snprintf(key, sizeof(key), "%s/%s/b%lld", mt, io,
			 (long long)json_integer_value(json_object_get(j, "batch")));
		json_decref(j);
		for (k = 0; k < n && strcmp(c[k].key, key); k++)
			;
		if (k == n) {
			if (n == ccap) {
				ccap = ccap ? 2 * ccap : 32;
				c = xrealloc(c, ccap, sizeof(*c));
			}
			memset(&c[n], 0, sizeof(c[n]));
			snprintf(c[n].key, sizeof(c[n].key), "%s", key);
			c[n].v = floor ? INFINITY : 0;
			n++;
		}
		if (floor)
			c[k].v = fmin(c[k].v, v);
		else
			c[k].v += v;
		c[k].n++;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "error reading %s", path);
		goto fail;
	}
	for (size_t k = 0; !floor && k < n; k++)
		c[k].v /= c[k].n;
	free(line);
	fclose(f);
	*out = c;
	*nout = n;
	return 0;
fail:
	free(line);
	free(c);
	fclose(f);
	return -1;
}

int cc_cell_rates(const char *native_dir, const char *icount_dir, struct cc_cell_rate **cells,
		  size_t *n, char *err, size_t errlen)
{
	struct cell_val *nat = NULL, *ic = NULL;
	size_t nn = 0, ni = 0;
	int ret = -1;

	*cells = NULL;
	*n = 0;
	if (read_cells(native_dir, false, &nat, &nn, err, errlen) ||
	    read_cells(icount_dir, true, &ic, &ni, err, errlen))
		goto out;
	for (size_t i = 0; i < nn; i++)
		for (size_t k = 0; k < ni; k++) {
			struct cc_cell_rate *c;

			if (strcmp(nat[i].key, ic[k].key))
				continue;
			*cells = xrealloc(*cells, *n + 1, sizeof(**cells));
			c = &(*cells)[(*n)++];
			snprintf(c->key, sizeof(c->key), "%s", nat[i].key);
			c->native_ns = nat[i].v;
			c->icount_insn = ic[k].v;
			c->ns_per_insn = c->native_ns / c->icount_insn;
		}
	if (!*n) {
		snprintf(err, errlen, "no single-thread cell ok in both %s and %s", native_dir,
			 icount_dir);
		goto out;
	}
	ret = 0;
out:
	free(nat);
	free(ic);
	return ret;
}

double cc_rates_median(const struct cc_cell_rate *cells, size_t n)
{
	double *v, m;

	if (!n)
		return NAN;
	v = xrealloc(NULL, n, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = cells[i].ns_per_insn;
	qsort(v, n, sizeof(*v), dbl_cmp);
	m = quantile(v, n, 0.5);
	free(v);
	return m;
}

/* "memtype/ioctl/bN": does filter ("continue", "anon/copy", comma-separated; NULL: all) take it? */
static bool cell_chosen(const char *key, const char *filter)
{
	const char *io = strchr(key, '/'), *b = strrchr(key, '/');
	size_t lmi = b - key, lio = b - io - 1;

	if (!filter || !*filter || !strcmp(filter, "all"))
		return true;
	for (const char *f = filter; *f;) {
		size_t l = strcspn(f, ",");

		if ((l == lmi && !memcmp(f, key, l)) || (l == lio && !memcmp(f, io + 1, l)))
			return true;
		f += l + (f[l] == ',');
	}
	return false;
}

static double slope(const double *x, const double *y, unsigned n)
{
	double c0, c1, cov00, cov01, cov11, sumsq;

	if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq))
		return NAN;
	return isfinite(c1) ? c1 : NAN;
}

double cc_page_rate(const struct cc_cell_rate *cells, size_t n, const char *filter,
		    char *how, size_t howlen)
{
	double *r = xrealloc(NULL, n + 1, sizeof(*r)), m;
	size_t nr = 0, nchosen = 0, skipped = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l = strrchr(cells[i].key, '/') - cells[i].key;
		double x[64], yn[64], yi[64], sn, si;
		unsigned k = 0;
		bool first = true;

		if (!cell_chosen(cells[i].key, filter))
			continue;
		nchosen++;
		for (size_t j = 0; j < n && first; j++)
			first = !(j < i && !strncmp(cells[j].key, cells[i].key, l + 1));
		if (!first)
			continue;
		for (size_t j = i; j < n && k < 64; j++) {
			double b;

			if (strncmp(cells[j].key, cells[i].key, l + 1))
				continue;
			b = atof(cells[j].key + l + 2);
			x[k] = b;
			yn[k] = cells[j].native_ns * b;
			yi[k] = cells[j].icount_insn * b;
			k++;
		}
		sn = k > 1 ? slope(x, yn, k) : NAN;
		si = k > 1 ? slope(x, yi, k) : NAN;
		if (sn > 0 && si > 0)
			r[nr++] = sn / si;
		else if (k > 1)
			skipped++;
	}
	if (nr) {
		qsort(r, nr, sizeof(*r), dbl_cmp);
		m = quantile(r, nr, 0.5);
		snprintf(how, howlen, "median of %zu memtype/ioctl slopes (native ns/ioctl over "
			 "batch / icount instructions/ioctl over batch) of %s%s", nr,
			 filter && *filter ? filter : "all", skipped ? ", a negative slope left out" : "");
	} else {
		for (size_t i = 0; i < n; i++)
			if (cell_chosen(cells[i].key, filter))
				r[nr++] = cells[i].ns_per_insn;
		if (!nr)
			m = NAN;
		else {
			qsort(r, nr, sizeof(*r), dbl_cmp);
			m = quantile(r, nr, 0.5);
		}
		snprintf(how, howlen, "median of %zu cells' ns/page over instructions/page of %s "
			 "(no two batch sizes to fit)", nr, filter && *filter ? filter : "all");
	}
	(void)nchosen;
	free(r);
	return m;
}

double cc_dir_ns_page(const char *dir, const char *memtype, const char *ioctl, char *err,
		      size_t errlen)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, v = NAN;
	struct cell_val *c = NULL;
	size_t n = 0, k = 0;
	char head[96];

	if (read_cells(dir, false, &c, &n, err, errlen))
		return NAN;
	snprintf(head, sizeof(head), "%s/%s/b", memtype, ioctl);
	for (size_t i = 0; i < n; i++) {
		double b, y;

		if (strncmp(c[i].key, head, strlen(head)))
			continue;
		b = atof(c[i].key + strlen(head));
		y = c[i].v * b;		/* ns per ioctl */
		sx += b;
		sy += y;
		sxx += b * b;
		sxy += b * y;
		v = c[i].v;
		k++;
	}
	free(c);
	if (k > 1 && k * sxx - sx * sx > 0)
		return (k * sxy - sx * sy) / (k * sxx - sx * sx);
	if (!k)
		snprintf(err, errlen, "%s: no single-thread cell of %s %s", dir, memtype, ioctl);
	return v;
}

/* ---- the model ---------------------------------------------------------- */

void cc_model_line(const struct cc_model *m, char *buf, size_t len)
{
	snprintf(buf, len,
		 "Δns = Δinsn × %.3f ns/insn%s + Δindirect × (%s %.2f − %s %.2f ns = %.2f ns)",
		 m->ns_per_insn, m->insn_measured ? "" : " (assumed)", m->indirect, m->thunk_ns,
		 m->direct, m->direct_ns, m->thunk_ns - m->direct_ns);
}

static int num(const json_t *o, const char *key, double *v)
{
	const json_t *j = json_object_get(o, key);

	if (!json_is_number(j))
		return -1;
	*v = json_number_value(j);
	return isfinite(*v) ? 0 : -1;
}

int cc_model_from_json(const json_t *root, struct cc_model *m, char *err, size_t errlen)
{
	const json_t *o = json_object_get(root, "model");
	const char *ind, *dir, *src;

	memset(m, 0, sizeof(*m));
	ind = json_string_value(json_object_get(o, "indirect"));
	dir = json_string_value(json_object_get(o, "direct"));
	src = json_string_value(json_object_get(o, "ns_per_insn_source"));
	if (!json_is_object(o) || !ind || !dir || !src ||
	    num(o, "ns_per_insn", &m->ns_per_insn) || num(o, "thunk_ns", &m->thunk_ns) ||
	    num(o, "direct_ns", &m->direct_ns) ||
	    !json_is_boolean(json_object_get(o, "ns_per_insn_measured"))) {
		snprintf(err, errlen, "not a calibration: want a \"model\" object with indirect, "
			 "direct, thunk_ns, direct_ns, ns_per_insn, ns_per_insn_measured, "
			 "ns_per_insn_source (uffdbench calibrate --json)");
		return -1;
	}
	if (m->ns_per_insn <= 0 || m->thunk_ns < 0 || m->direct_ns < 0) {
		snprintf(err, errlen, "calibration: ns_per_insn must be above 0, thunk_ns and "
			 "direct_ns not negative");
		return -1;
	}
	snprintf(m->indirect, sizeof(m->indirect), "%s", ind);
	snprintf(m->direct, sizeof(m->direct), "%s", dir);
	snprintf(m->insn_source, sizeof(m->insn_source), "%s", src);
	m->insn_measured = json_is_true(json_object_get(o, "ns_per_insn_measured"));
	return 0;
}

int cc_model_load(const char *path, struct cc_model *m, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	int ret;

	if (!root) {
		snprintf(err, errlen, "%s: %s", path, je.text);
		return -1;
	}
	ret = cc_model_from_json(root, m, err, errlen);
	json_decref(root);
	return ret;
}
