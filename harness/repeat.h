/*
 * repeat.h - run --repeat N: every vector runs N times, the rounds
 * interleaved (round 1 of every vector, then round 2, ...), and the N
 * results of each vector are folded into one: the worst verdict seen
 * (fail > error > warn > info > skip > pass), with that round's reason,
 * expected/observed and transcript, and how many rounds gave each verdict.
 * A vector whose rounds gave more than one verdict is unstable: a server
 * that breaks a rule only under concurrency.
 */
#ifndef SSP_REPEAT_H
#define SSP_REPEAT_H

#include "result.h"
#include "run.h"

#include <stddef.h>

/* ssp_repeat_rank - how bad a verdict is: pass 0, skip 1, info 2, warn 3, error 4, fail 5. */
int ssp_repeat_rank(ssp_verdict_t v);

/*
 * ssp_repeat_keeps - 1 if a result of verdict va from round ra is the one to
 * report rather than one of verdict vb from round rb: it is worse, or as bad
 * and from an earlier round (a total order: the choice does not depend on
 * the order in which rounds finish).
 */
int ssp_repeat_keeps(ssp_verdict_t va, size_t ra, ssp_verdict_t vb, size_t rb);

/*
 * ssp_repeat_vectors - the n vectors repeated rounds times, round-major
 * (entry k*n+i is vector i of round k+1): a malloc'd array, or NULL (out of
 * memory, or n*rounds above SSP_RUN_ROUNDS_MAX).
 */
const ssp_vector_t **ssp_repeat_vectors(const ssp_vector_t **vectors, size_t n, unsigned rounds);

/*
 * ssp_repeat_trim - while the run goes on: result idx of a run of n vectors
 * x rounds just became final; keep[i] (SIZE_MAX: none yet) is the round of
 * vector i whose transcript is kept.  The transcript that cannot be
 * reported any more (ssp_repeat_keeps) is freed, so memory holds one
 * transcript per vector, not one per round.
 */
void ssp_repeat_trim(ssp_run_t *run, size_t n, size_t *keep, size_t idx);

/*
 * ssp_repeat_fold - fold the run's n*rounds results (from ssp_repeat_vectors)
 * into n: the reported round of each vector (ssp_repeat_keeps), its rounds[]
 * counted, the counts of the run recomputed; the other rounds are freed.
 * 0, or -1 (out of memory: the run is left as it was).
 */
int ssp_repeat_fold(ssp_run_t *run, size_t n, unsigned rounds);

/* ssp_repeat_unstable - 1 if the rounds of r gave more than one verdict. */
int ssp_repeat_unstable(const ssp_result_t *r);

/* ssp_repeat_count_unstable - the unstable results of the run. */
size_t ssp_repeat_count_unstable(const ssp_run_t *run);

/*
 * ssp_repeat_format - "pass 9, fail 1": the non-zero counts of rounds[], in
 * the order of the verdict table, into out (always terminated).
 */
void ssp_repeat_format(const unsigned rounds[SSP_VERDICT_COUNT], char *out, size_t size);

#endif
