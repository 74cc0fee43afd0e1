// SPDX-License-Identifier: MIT
/*
 * A `fault` or `capacity` session: everything that could make it pointless
 * is checked first (exit 2, nothing written), then each configuration runs
 * and is appended to results.jsonl as it ends.  SIGINT/SIGTERM end the
 * configuration under way (kept as "interrupted"); a second one exits now.
 */
#include "results/sidecar.h"
#include "core/stopsig.h"
#include "fault/session.h"
#include "core/common.h"
#include "machine/env.h"
#include "machine/hugepages.h"

#include <errno.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


int fault_session_signal(void)
{
	return stop_requested();
}

static int check_memory(const struct fault_cfg *c, char *err, size_t errlen)
{
	unsigned long need = (c->size >> 20) * (ioctls[c->op]->src != SRC_NONE ? 2 : 1);
	unsigned long avail = mem_available_mib() * 9 / 10;
	char why[256];

	if (!c->mt->huge_size && need > avail)
		return seterr(err, errlen,
			      "--size %zu MiB needs %lu MiB, more than available memory (%lu MiB)",
			      c->size >> 20, need, avail);
	if (c->mt->huge_size &&
	    hugepages_ensure(c->mt->huge_size,
			     memtype_huge_pages_needed(c->mt, c->size / c->mt->huge_size), why,
			     sizeof(why)))
		return seterr(err, errlen, "%s cannot run here: %s", c->mt->name, why);
	return 0;
}

/*
 * capacity shares CPUs between handlers freely (the point is marked), but
 * more faulting threads than CPUs measure time-sharing, not the fault path:
 * that needs --oversubscribe.
 */
static int check_faulters(struct fault_session *s, const struct fault_args *a,
			  const struct fault_cfg *c, char *err, size_t errlen)
{
	unsigned fit = topo_plan_capacity(s->topo, a->policy, -1);

	if (a->sweep && !a->oversubscribe && c->faulters > fit)
		return seterr(err, errlen, "--faulters %u: more faulting threads than the %u "
			      "CPU%s policy %s fits (add --oversubscribe to let them take turns)",
			      c->faulters, fit, fit == 1 ? "" : "s", pin_policy_name(a->policy));
	return 0;
}

static int check_cfg(struct fault_session *s, const struct fault_args *a, struct fault_cfg *c,
		     char *err, size_t errlen)
{
	static int fcpus[FAULT_MAX_THREADS], hcpus[FAULT_MAX_THREADS];
	char why[256];
	bool over;

	if (fault_check(c, err, errlen))
		return -1;
	/* caps could not borrow one huge page: say what this configuration needs */
	if (c->mt->huge_size && s->caps.mt[memtype_index(c->mt)].unavailable[0] &&
	    check_memory(c, err, errlen))
		return -1;
	if (c->wait == WAIT_SIGBUS && !(s->caps.features & UFFD_FEATURE_SIGBUS))
		return seterr(err, errlen, "--wait sigbus cannot run here: "
			      "this kernel's userfaultfd has no UFFD_FEATURE_SIGBUS");
	if (check_faulters(s, a, c, err, errlen))
		return -1;
	if (caps_skip_reason(&s->caps, c->mt, c->op, why, sizeof(why)))
		return seterr(err, errlen, "%s %s cannot run here: %s", c->mt->name,
			      uop_name(c->op), why);
	if (check_memory(c, err, errlen))
		return -1;
	if (fault_plan_cpus(c, &s->env, fcpus, hcpus, &over, why, sizeof(why)))
		return seterr(err, errlen, "%u faulting + %u handler threads: %s", c->faulters,
			      c->hcpus == HCPU_SEPARATE ? c->handlers : 0, why);
	return 0;
}

/* The kernel's userfaultfd, probed for the memory types asked for only. */
static int probe(struct fault_session *s, const struct fault_args *a,
		 const struct fault_cfg *cfgs, unsigned n, char *err, size_t errlen)
{
	uint64_t mask = 0;
	int ret;

	/* only the memory types asked for: caps.json marks the others "not probed" */
	for (unsigned i = 0; i < n; i++)
		mask |= 1ull << memtype_index(cfgs[i].mt);
	ret = caps_probe(&s->caps, mask);
	if (ret)
		return seterr(err, errlen, "no userfaultfd here: %s (try as root, or set "
			      "vm.unprivileged_userfaultfd=1)", errno_name(ret));
	if (!(s->caps.features & UFFD_FEATURE_THREAD_ID))
		return seterr(err, errlen, "this kernel's userfaultfd has no "
			      "UFFD_FEATURE_THREAD_ID, which fault needs");
	s->env = (struct fault_env){ .topo = s->topo, .policy = a->policy,
		.features = caps_wanted_features(&s->caps) | UFFD_FEATURE_THREAD_ID,
		.oversubscribe = a->oversubscribe || a->sweep, .signal = stop_flag() };
	return 0;
}

int fault_session_open(struct fault_session *s, const struct fault_args *a,
		       struct fault_cfg *cfgs, unsigned n, int argc, char **argv,
		       char *err, size_t errlen)
{
	char why[256];

	atexit(hugepages_restore);
	stop_signals_install(hugepages_restore);
	s->topo = topo_open(NULL, why, sizeof(why));
	if (!s->topo)
		return seterr(err, errlen, "topology: %s", why);
	if (probe(s, a, cfgs, n, err, errlen))
		goto fail;
	for (unsigned i = 0; i < n; i++)
		if (check_cfg(s, a, &cfgs[i], err, errlen))
			goto fail;
	if (results_create(&s->res, a->out, a->label, false, err, errlen))
		goto fail;
	/* on failure it discards the directory it made */
	if (results_write_env_caps(&s->res, &s->caps, argc, argv, err, errlen))
		goto fail;
	return 0;
fail:
	hugepages_restore();
	topo_close(s->topo);
	s->topo = NULL;
	return -1;
}

int fault_session_write(struct fault_session *s, json_t *o)
{
	int ret = results_append_line(s->res.fd, o);

	if (ret)
		errmsg("cannot write %s/results.jsonl: %s; this line is not in it", s->res.dir,
		       strerror(-ret));
	if (ret && !s->write_err)
		s->write_err = ret;
	return ret;
}

int fault_session_run(struct fault_session *s, const struct fault_cfg *c, struct fault_result *r)
{
	fault_run(c, &s->env, r);
	fault_session_write(s, fault_to_json(c, r, s->command, s->index++));
	if (!r->abandoned)
		return 0;
	errmsg("%s; results in %s/results.jsonl; exiting", r->reason, s->res.dir);
	hugepages_restore();
	return -ECHILD;
}

void fault_session_close(struct fault_session *s)
{
	hugepages_restore();
	results_close(&s->res);
	topo_close(s->topo);
}
