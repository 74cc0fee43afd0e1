/* SPDX-License-Identifier: MIT */
#ifndef UFFDBENCH_FAULT_STATE_H
#define UFFDBENCH_FAULT_STATE_H

/* What one fault configuration holds while it runs: private to the files of bench/fault/. */
#include "fault/fault.h"

#include <pthread.h>
#include <time.h>

struct fault_state {
	const struct fault_cfg *cfg;
	const struct fault_env *env;
	struct fault_result *res;
	struct fault_ctx ctx;
	struct region r;
	char *src;			/* COPY source, cfg->size bytes */
	int *uffds;
	unsigned nr_uffds;
	struct fault_part *parts;	/* one per uffd */
	int epfd;			/* WAIT_EPOLL, else -1 */
	bool kick_installed, sigbus_installed;
	uint64_t quiesce_gen;		/* the handshake between rounds */
	int pagemap_fd;
	struct fault_thread *ft;
	struct fault_handler *fh;	/* fault_resolvers(cfg) of them */
	uint32_t *orders;		/* every faulting thread's, end to end */
	clockid_t *hclock;		/* each handler's CPU-time clock */
	uint64_t *hcpu_mark;		/* its reading at the round's start */
	pthread_barrier_t go;		/* the faulting threads and the main thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned finished;		/* faulting threads done with the round (lock) */
	unsigned ready;			/* threads pinned and waiting (atomic) */
	unsigned started_f, started_h;
	int start_failed;		/* a thread could not be created: the others leave (lock) */
	int quit;			/* faulting threads: leave at the next barrier */
	char error[200];		/* why the round was ended (lock) */
	bool interrupted;
	uint64_t abort_ns;		/* when the round was ended, 0 if not (atomic) */
};

static inline uint64_t fault_aborted(struct fault_state *s)
{
	return __atomic_load_n(&s->abort_ns, __ATOMIC_ACQUIRE);
}

/* bench/fault/setup.c */
void fault_state_init(struct fault_state *s, const struct fault_cfg *c, const struct fault_env *e,
		      struct fault_result *r);
void fault_state_free(struct fault_state *s);	/* fault_teardown() included */
int fault_setup(struct fault_state *s);
void fault_teardown(struct fault_state *s);
/* Untimed: leave the range as a round of generation gen needs it; 0 or -errno. */
int fault_prepare(struct fault_state *s, uint64_t gen);
/* End the round now: remember why, unregister (wakes every blocked fault). */
void fault_abort(struct fault_state *s, bool interrupted, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* UFFDIO_WAKE every part of the range (after an abort). */
void fault_wake_all(struct fault_state *s);

/* bench/fault/collect.c */
/* Size and allocate r for c. */
void fault_result_init(const struct fault_cfg *c, struct fault_result *r);
/* Add the round's wall time; true when every thread walked its whole order. */
bool fault_account_round(struct fault_state *s);
void fault_verify_round(struct fault_state *s);
/* Sum the threads into s->res and decide its status. */
void fault_collect(struct fault_state *s);

#endif
