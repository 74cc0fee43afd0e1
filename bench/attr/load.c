// SPDX-License-Identifier: MIT
/*
 * Reading a boot's attribution: the plugin's cells (attr.txt), each matched
 * in order to the single-thread results line whose rounds it counted, its
 * passes checked one by one against the rounds' clock, and the instruction
 * addresses of its passes with the fewest interrupts (the rounds' "irqs")
 * charged to functions: a timer tick that lands in one pass of A and in no
 * pass of B is not the kernels' difference.
 */
#include "attr/attr.h"
#include "core/alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define USER_HIGH	0x7f0000000000ULL	/* the vDSO and the stack live above */
#define USER_TOP	0x800000000000ULL
#define RL_MAX		4096	/* rounds of a cell */

enum { B_VDSO, B_USER, B_UNKNOWN, NR_BUCKETS };
static const char *const bucket_names[NR_BUCKETS] = { "[vdso]", "[user]", "[kernel]" };

/* One results line that a plugin cell can match: single thread, with rounds. */
struct rline {
	char memtype[48], ioctl[32];
	unsigned batch, nr;
	uint64_t *wall, *pages, *ioctls;	/* per round */
	long long *irqs, min_irqs;		/* per round, -1 unknown; the fewest */
	unsigned lineno;
};

/* A plugin cell being read, charged per symbol (index into syms, then buckets). */
struct pcell {
	unsigned passes;
	uint64_t pass[RL_MAX];		/* each pass's count */
	bool kept[RL_MAX];		/* charged: one of the passes with the fewest interrupts */
	uint64_t lines;			/* the current pass's instruction lines, summed */
	double *insns, *ind, *entries;	/* per symbol and bucket */
	size_t *touched, ntouched, nslots;
	char *hit;
};

static int rline_next(FILE *f, unsigned *lineno, struct rline *r, char *err, size_t errlen);

static int rline_parse(json_t *o, struct rline *r)
{
	json_t *rounds = json_object_get(o, "rounds"), *x;
	size_t i;

	if (json_integer_value(json_object_get(o, "threads")) != 1 || !json_is_array(rounds) ||
	    !json_array_size(rounds))
		return 0;
	snprintf(r->memtype, sizeof(r->memtype), "%s",
		 json_string_value(json_object_get(o, "memtype")) ?: "?");
	snprintf(r->ioctl, sizeof(r->ioctl), "%s", json_string_value(json_object_get(o, "ioctl")) ?: "?");
	r->batch = json_integer_value(json_object_get(o, "batch"));
	r->nr = json_array_size(rounds);
	if (r->nr > RL_MAX)
		r->nr = RL_MAX;		/* then the passes will not match: refused */
	r->wall = xcalloc(r->nr, sizeof(*r->wall));
	r->pages = xcalloc(r->nr, sizeof(*r->pages));
	r->ioctls = xcalloc(r->nr, sizeof(*r->ioctls));
	r->irqs = xcalloc(r->nr, sizeof(*r->irqs));
	r->min_irqs = -1;
	json_array_foreach(rounds, i, x) {
		json_t *t = json_array_get(json_object_get(x, "threads"), 0);
		json_t *irqs = json_object_get(x, "irqs");

		if (i >= r->nr)
			break;
		r->wall[i] = json_integer_value(json_object_get(x, "wall_ns"));
		r->pages[i] = json_integer_value(json_object_get(t, "pages"));
		r->ioctls[i] = json_integer_value(json_object_get(t, "ioctls"));
		r->irqs[i] = json_is_integer(irqs) ? json_integer_value(irqs) : -1;
		if (r->irqs[i] >= 0 && (r->min_irqs < 0 || r->irqs[i] < r->min_irqs))
			r->min_irqs = r->irqs[i];
	}
	return 1;
}

static void rline_free(struct rline *r)
{
	free(r->wall);
	free(r->pages);
	free(r->ioctls);
	free(r->irqs);
	r->wall = r->pages = r->ioctls = NULL;
	r->irqs = NULL;
}

/* The next single-thread line with rounds: 1, 0 at the end, -1 on a bad line. */
static int rline_next(FILE *f, unsigned *lineno, struct rline *r, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (!ret && getline(&line, &cap, f) > 0) {
		json_error_t jerr;
		json_t *o;

		(*lineno)++;
		o = json_loads(line, 0, &jerr);
		if (!o) {
			snprintf(err, errlen, "results.jsonl:%u: %s", *lineno, jerr.text);
			ret = -1;
			break;
		}
		ret = rline_parse(o, r);
		r->lineno = *lineno;
		json_decref(o);
	}
	free(line);
	return ret;
}

static void pcell_init(struct pcell *p, size_t nsyms)
{
	memset(p, 0, sizeof(*p));
	p->nslots = nsyms + NR_BUCKETS;
	p->insns = xcalloc(p->nslots, sizeof(double));
	p->ind = xcalloc(p->nslots, sizeof(double));
	p->entries = xcalloc(p->nslots, sizeof(double));
	p->touched = xcalloc(p->nslots, sizeof(size_t));
	p->hit = xcalloc(p->nslots, 1);
}

static void pcell_reset(struct pcell *p)
{
	for (size_t i = 0; i < p->ntouched; i++) {
		size_t k = p->touched[i];

		p->insns[k] = p->ind[k] = p->entries[k] = 0;
		p->hit[k] = 0;
	}
	p->ntouched = 0;
	p->passes = 0;
	p->lines = 0;
}

static void pcell_free(struct pcell *p)
{
	free(p->insns);
	free(p->ind);
	free(p->entries);
	free(p->touched);
	free(p->hit);
}

static size_t slot_of(const struct attr_syms *t, uint64_t va, const struct attr_sym **sym)
{
	*sym = NULL;
	if (va >= USER_HIGH && va < USER_TOP)
		return t->n + B_VDSO;
	*sym = attr_syms_find(t, va);
	if (*sym && (va < USER_TOP || (*sym)->addr >= USER_TOP))
		return *sym - t->s;
	*sym = NULL;	/* below every symbol, or the kernel's with user symbols only */
	return t->n + (va < USER_TOP ? B_USER : B_UNKNOWN);
}

static void charge(struct pcell *p, size_t k, double insns, double ind, double entries)
{
	if (!p->hit[k]) {
		p->hit[k] = 1;
		p->touched[p->ntouched++] = k;
	}
	p->insns[k] += insns;
	p->ind[k] += ind;
	p->entries[k] += entries;
}

/* "i VADDR COUNT [c|j|C TARGET|J TARGET]" */
static int insn_line(struct pcell *p, const struct attr_syms *t, const char *line)
{
	unsigned long long va, n, target = 0;
	const struct attr_sym *s, *ts;
	char kind = 0;
	bool ind;
	size_t k;

	if (sscanf(line, "i %llx %llu %c %llx", &va, &n, &kind, &target) < 2)
		return -1;
	k = slot_of(t, va, &s);
	ind = kind == 'c' || kind == 'j';
	if ((kind == 'C' || kind == 'J') && (ts = attr_syms_find(t, target)) && ts->addr == target)
		ind = ts->thunk;
	if (s && s->thunk)
		ind = false;	/* the thunk's own jump: counted at its caller */
	charge(p, k, n, ind ? n : 0, s && (s->thunk || s->ret_thunk) && s->addr == va ? n : 0);
	return 0;
}

static struct attr_cell *set_cell(struct attr_set *set, const struct rline *r)
{
	struct attr_cell *c;

	for (size_t i = 0; i < set->n; i++) {
		c = &set->c[i];
		if (!strcmp(c->memtype, r->memtype) && !strcmp(c->ioctl, r->ioctl) && c->batch == r->batch)
			return c;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->c = xrealloc(set->c, set->cap, sizeof(*set->c));
	}
	c = &set->c[set->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->memtype, sizeof(c->memtype), "%s", r->memtype);
	snprintf(c->ioctl, sizeof(c->ioctl), "%s", r->ioctl);
	c->batch = r->batch;
	return c;
}

/* The cell's function called name, inserted in name order if new. */
bool attr_fn_search(const struct attr_cell *c, const char *name, size_t *pos)
{
	size_t lo = 0, hi = c->nfn;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->fn[mid].name, name);

		if (!d) {
			*pos = mid;
			return true;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return false;
}

/* The cell's entry for function name, made (in order) if it has none. */
static struct attr_fn *cell_fn(struct attr_cell *c, const char *name)
{
	size_t lo;
	struct attr_fn *f;

	if (attr_fn_search(c, name, &lo))
		return &c->fn[lo];
	if (c->nfn == c->capfn) {
		c->capfn = c->capfn ? c->capfn * 2 : 256;
		c->fn = xrealloc(c->fn, c->capfn, sizeof(*c->fn));
	}
	f = &c->fn[lo];
	memmove(f + 1, f, (c->nfn - lo) * sizeof(*f));
	c->nfn++;
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	return f;
}

static void pool(struct attr_cell *c, const struct pcell *p, const struct attr_syms *t)
{
	for (size_t i = 0; i < p->ntouched; i++) {
		size_t k = p->touched[i];
		const char *name = k < t->n ? t->s[k].name : bucket_names[k - t->n];
		struct attr_fn *f = cell_fn(c, name);

		f->insns += p->insns[k];
		f->ind += p->ind[k];
		f->entries += p->entries[k];
		f->thunk = k < t->n && (t->s[k].thunk || t->s[k].ret_thunk);
	}
}

/* A pass's count and clock, judged once the boot is read (the TSC rate is the boot's). */
struct pcheck {
	size_t cell;
	uint64_t insns, clock;
	unsigned lineno, round;
};

struct pchecks {
	struct pcheck *v;
	size_t n, cap;
};

static void pcheck_add(struct pchecks *pc, size_t cell, uint64_t insns, uint64_t clock,
		       unsigned lineno, unsigned round)
{
	if (pc->n == pc->cap) {
		pc->cap = pc->cap ? pc->cap * 2 : 64;
		pc->v = xrealloc(pc->v, pc->cap, sizeof(*pc->v));
	}
	pc->v[pc->n++] = (struct pcheck){ cell, insns, clock, lineno, round };
}

/* Check the plugin's passes against the line's rounds; pool the kept ones into the set. */
static int cell_done(struct attr_set *set, struct pcell *p, const struct attr_syms *t,
		     const struct rline *r, unsigned seq, struct pchecks *pc, char *err, size_t errlen)
{
	struct attr_cell *c;

	if (p->passes != r->nr) {
		snprintf(err, errlen, "plugin cell %u has %u passes, results.jsonl:%u (%s %s batch %u) %u rounds: "
			 "the plugin's cells and the results lines do not match", seq, p->passes,
			 r->lineno, r->memtype, r->ioctl, r->batch, r->nr);
		return -1;
	}
	c = set_cell(set, r);
	for (unsigned k = 0; k < p->passes; k++) {
		c->insns += p->pass[k];
		c->clock += r->wall[k];
		pcheck_add(pc, c - set->c, p->pass[k], r->wall[k], r->lineno, k);
		if (!p->kept[k])
			continue;
		c->kept++;
		c->kept_insns += p->pass[k];
		c->pages += r->pages[k];
		c->ioctls += r->ioctls[k];
	}
	c->passes += p->passes;
	c->boots++;
	pool(c, p, t);
	return 0;
}

struct reader;
static void judge(struct reader *rd);

struct reader {
	struct attr_set *set;
	const struct attr_syms *t;
	FILE *results, *log;
	unsigned tsc_khz;
	struct pchecks pc;
	struct pcell p;
	struct rline r;
	unsigned lineno, cells;
	bool in_cell, in_pass;
};

/* The first pass of a cell: the next single-thread results line is its. */
static int cell_start(struct reader *rd, char *err, size_t errlen)
{
	int ret;

	pcell_reset(&rd->p);
	rline_free(&rd->r);
	ret = rline_next(rd->results, &rd->lineno, &rd->r, err, errlen);
	if (ret < 0)
		return -1;
	if (!ret) {
		snprintf(err, errlen, "plugin cell %u has passes but no single-thread results line is left",
			 rd->cells);
		return -1;
	}
	rd->in_cell = true;
	return 0;
}

/* "pass K INSNS [noclock]" */
static int on_pass(struct reader *rd, unsigned k, uint64_t v, bool noclock, char *err, size_t errlen)
{
	struct pcell *p = &rd->p;

	if (!rd->in_cell && cell_start(rd, err, errlen))
		return -1;
	if (k != p->passes || k >= RL_MAX) {
		snprintf(err, errlen, "plugin cell %u: pass %u out of order", rd->cells, k);
		return -1;
	}
	if (noclock && rd->log)
		fprintf(rd->log, "attribute: plugin cell %u pass %u: no clock read seen in the vDSO "
			"(is the guest's clocksource tsc?): counted 0\n", rd->cells, k);
	p->pass[k] = v;
	/* no interrupt count (older results): every pass */
	p->kept[k] = k >= rd->r.nr || rd->r.irqs[k] < 0 || rd->r.irqs[k] == rd->r.min_irqs;
	p->lines = 0;
	rd->in_pass = true;
	return 0;
}

/* "endpass K": the pass's lines must add up to its count (the plugin's own arithmetic). */
static int on_endpass(struct reader *rd, char *err, size_t errlen)
{
	struct pcell *p = &rd->p;

	if (p->lines != p->pass[p->passes]) {
		snprintf(err, errlen, "plugin cell %u pass %u: its instruction lines do not add up to its count",
			 rd->cells, p->passes);
		return -1;
	}
	p->passes++;
	rd->in_pass = false;
	return 0;
}

static int on_endcell(struct reader *rd, char *err, size_t errlen)
{
	int ret = 0;

	if (rd->in_cell)	/* a cell that ran no counted pass has no rounds either */
		ret = cell_done(rd->set, &rd->p, rd->t, &rd->r, rd->cells, &rd->pc, err, errlen);
	rd->in_cell = false;
	rd->cells++;
	return ret;
}

static int on_insn(struct reader *rd, const char *line, char *err, size_t errlen)
{
	unsigned long long va, n;

	if (!rd->in_pass || sscanf(line, "i %llx %llu", &va, &n) != 2) {
		snprintf(err, errlen, "plugin cell %u: a bad or stray instruction line: %.60s", rd->cells, line);
		return -1;
	}
	rd->p.lines += n;
	if (rd->p.kept[rd->p.passes])
		insn_line(&rd->p, rd->t, line);
	return 0;
}

static int on_line(struct reader *rd, const char *line, unsigned n, char *err, size_t errlen)
{
	unsigned k;
	unsigned long long v;

	if (line[0] == 'i' && line[1] == ' ')
		return on_insn(rd, line, err, errlen);
	if (sscanf(line, "pass %u %llu", &k, &v) == 2)
		return on_pass(rd, k, v, strstr(line, "noclock"), err, errlen);
	if (!strncmp(line, "endpass ", 8) && rd->in_pass)
		return on_endpass(rd, err, errlen);
	if (!strncmp(line, "endcell ", 8) && !rd->in_pass)
		return on_endcell(rd, err, errlen);
	if (!strncmp(line, "error", 5)) {
		snprintf(err, errlen, "attr.txt:%u: the plugin failed: %s", n, line);
		return -1;
	}
	if (!strncmp(line, "uffdattr ", 9) && strncmp(line, "uffdattr 2 ", 11)) {
		snprintf(err, errlen, "attr.txt:%u: another plugin format (%.30s): this reads uffdattr 2", n, line);
		return -1;
	}
	if (!strncmp(line, "uffdattr ", 9) || !strncmp(line, "exit ", 5) ||
	    !strncmp(line, "partial ", 8) || line[0] == '\n')
		return 0;
	snprintf(err, errlen, "attr.txt:%u: unexpected line: %.60s", n, line);
	return -1;
}

/*
 * Every pass's count against its clock.  Equal: exact.  Else, on a boot whose
 * TSC is not 1000.000 MHz, the clock runs at one rate against the count
 * (ns = ticks * mult >> shift, mult from tsc_khz): the rate that fits the
 * boot's passes, if it is the TSC's within 0.2 ppm, must explain each pass
 * within 1.5 ns (the two reads' rounding).
 */
static void judge(struct reader *rd)
{
	double si = 0, sc = 0, rate = 1;
	bool all_equal = true;

	for (size_t i = 0; i < rd->pc.n; i++) {
		si += rd->pc.v[i].insns;
		sc += rd->pc.v[i].clock;
		all_equal &= rd->pc.v[i].insns == rd->pc.v[i].clock;
	}
	if (!all_equal && rd->tsc_khz != 1000000 && si > 0 &&
	    fabs(sc / si * rd->tsc_khz / 1e6 - 1) < 2e-7)
		rate = sc / si;
	for (size_t i = 0; i < rd->pc.n; i++) {
		const struct pcheck *k = &rd->pc.v[i];
		struct attr_cell *c = &rd->set->c[k->cell];
		int ok = attr_pass_check(k->insns, k->clock, rate);

		if (rate != 1) {
			c->tsc_khz = rd->tsc_khz;
			c->rate_ppm = (rate - 1) * 1e6;
		}
		c->scaled_passes += ok == 1;
		if (ok)
			continue;
		c->bad_passes++;
		if (rd->log)
			fprintf(rd->log, "attribute: %s %s batch %u (results.jsonl:%u) round %u: plugin %" PRIu64
				" instructions, clock %" PRIu64 " ns (%+" PRId64 ")\n", c->memtype, c->ioctl,
				c->batch, k->lineno, k->round, k->insns, k->clock,
				(int64_t)(k->insns - k->clock));
	}
}

int attr_load_streams(struct attr_set *set, FILE *plugin, const struct attr_syms *syms,
		      FILE *results, FILE *log, char *err, size_t errlen)
{
	struct reader rd = { .set = set, .t = syms, .results = results, .log = log,
			     .tsc_khz = set->tsc_khz ? set->tsc_khz : 1000000 };
	char *line = NULL;
	size_t cap = 0;
	unsigned n = 0;
	int ret = 0;

	pcell_init(&rd.p, syms->n);
	while (!ret && getline(&line, &cap, plugin) > 0)
		ret = on_line(&rd, line, ++n, err, errlen);
	if (!ret && n == 0) {
		snprintf(err, errlen, "attr.txt is empty (did qemu load the plugin?)");
		ret = -1;
	}
	if (!ret) {
		set->boots++;
		judge(&rd);
	}
	free(rd.pc.v);
	free(line);
	rline_free(&rd.r);
	pcell_free(&rd.p);
	return ret;
}

static FILE *open_in(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

int attr_load_boot(struct attr_set *set, const char *dir, char *const *syms, size_t nsyms,
		   FILE *log, char *err, size_t errlen)
{
	struct attr_syms t = { 0 };
	FILE *plugin = NULL, *results = NULL, *tsc = NULL;
	char path[4096];
	int ret = -1;

	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	if (attr_syms_load(&t, path, err, errlen))
		goto out;
	for (size_t i = 0; i < nsyms; i++)
		if (attr_syms_load(&t, syms[i], err, errlen))
			goto out;
	plugin = open_in(dir, "attr.txt", err, errlen);
	if (!plugin)
		goto out;
	results = open_in(dir, "results.jsonl", err, errlen);
	if (!results)
		goto out;
	tsc = open_in(dir, "tsc.txt", err, errlen);	/* optional */
	set->tsc_khz = tsc ? attr_tsc_khz(tsc) : 1000000;
	ret = attr_load_streams(set, plugin, &t, results, log, err, errlen);
	set->tsc_khz = 0;
out:
	if (tsc)
		fclose(tsc);
	if (results)
		fclose(results);
	if (plugin)
		fclose(plugin);
	attr_syms_free(&t);
	return ret;
}

/*
 * The TSC's rate from the boot's messages: a refined calibration if there is
 * one; else "Detected N MHz TSC"; else "Detected N MHz processor", which the
 * kernel prints alone when the TSC runs at the processor's rate (tinyconfig
 * 6.12 under qemu: 999.993 MHz).
 */
unsigned attr_tsc_khz(FILE *dmesg)
{
	unsigned tsc = 0, cpu = 0, mhz, frac;
	char line[512], *p;

	while (fgets(line, sizeof(line), dmesg)) {
		p = strstr(line, "Refined TSC clocksource calibration: ");
		if (p && sscanf(p + 37, "%u.%3u MHz", &mhz, &frac) == 2)
			return mhz * 1000 + frac;	/* the last word: the clocksource's */
		p = strstr(line, "tsc: Detected ");
		if (!p || sscanf(p + 14, "%u.%3u MHz", &mhz, &frac) != 2)
			continue;
		if (strstr(p, "TSC"))
			tsc = mhz * 1000 + frac;
		else if (strstr(p, "processor"))
			cpu = mhz * 1000 + frac;
	}
	return tsc ? tsc : cpu ? cpu : 1000000;
}

/*
 * At a rate, within 1.5 ns (the two reads' rounding) or 0.1 ppm of the pass,
 * whichever is more: over a long pass the kernel's timekeeping carries the
 * clock's own rounding from tick to tick (a 96 M-instruction pass of the
 * 6.12 guest at 999.993 MHz read 6 ns off the boot's mean rate).
 */
int attr_pass_check(uint64_t insns, uint64_t clock, double rate)
{
	if (insns == clock)
		return 2;
	return rate != 1 && fabs((double)insns * rate - (double)clock) <=
		fmax(1.5, 1e-7 * (double)insns) ? 1 : 0;
}

void attr_set_free(struct attr_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		for (size_t k = 0; k < set->c[i].nfn; k++)
			free(set->c[i].fn[k].name);
		free(set->c[i].fn);
	}
	free(set->c);
	memset(set, 0, sizeof(*set));
}

double attr_cell_ind(const struct attr_cell *c)
{
	double s = 0;

	for (size_t i = 0; i < c->nfn; i++)
		s += c->fn[i].ind;
	return s;
}
