/* Two-phase commit (Gray and Lamport's TwoPhase) in Promela, for the benchmark's Spin column.
   N, the number of resource managers (1..9), is a macro: spin -DN=8 -a twophase.pml
   One process and one loop of d_steps, so a stored state is exactly the TLA+ variables
   (rmState, tmState, tmPrepared, msgs) and Spin's stored-state count equals TLC's distinct
   states: 288 (N=3), 8,832 (5), 296,448 (7), 1,745,408 (8), 10,340,352 (9). */
#ifndef N
#define N 3
#endif

#define WORKING   0
#define PREPARED  1
#define COMMITTED 2
#define ABORTED   3

#define TM_INIT      0
#define TM_COMMITTED 1
#define TM_ABORTED   2

byte rmState[N];   /* WORKING .. ABORTED */
byte tmState;      /* TM_INIT .. TM_ABORTED */
bit tmPrepared[N]; /* the RMs from which the TM has received "Prepared" */
bit prepared[N];   /* msgs: a "Prepared" message from RM i has been sent */
bit commitMsg;     /* msgs: "Commit" has been sent */
bit abortMsg;      /* msgs: "Abort" has been sent */

/* Only an RM's own step can break consistency: checked after each. */
#define ANY(s) (rmState[0] == s || (N > 1 && rmState[1] == s) || (N > 2 && rmState[2] == s) \
  || (N > 3 && rmState[3] == s) || (N > 4 && rmState[4] == s) || (N > 5 && rmState[5] == s) \
  || (N > 6 && rmState[6] == s) || (N > 7 && rmState[7] == s) || (N > 8 && rmState[8] == s))
#define CONSISTENT assert(!(ANY(ABORTED) && ANY(COMMITTED)))

#define ALL_PREPARED (tmPrepared[0] && (N < 2 || tmPrepared[1]) && (N < 3 || tmPrepared[2]) \
  && (N < 4 || tmPrepared[3]) && (N < 5 || tmPrepared[4]) && (N < 6 || tmPrepared[5]) \
  && (N < 7 || tmPrepared[6]) && (N < 8 || tmPrepared[7]) && (N < 9 || tmPrepared[8]))

/* The five actions of resource manager i, each one atomic step. */
#define RM(i) \
  :: d_step { tmState == TM_INIT && prepared[i] -> tmPrepared[i] = 1 } \
  :: d_step { rmState[i] == WORKING -> rmState[i] = PREPARED; prepared[i] = 1 } \
  :: d_step { rmState[i] == WORKING -> rmState[i] = ABORTED; CONSISTENT } \
  :: d_step { commitMsg -> rmState[i] = COMMITTED; CONSISTENT } \
  :: d_step { abortMsg -> rmState[i] = ABORTED; CONSISTENT }

active proctype twophase()
{
  /* rmState, tmState and the messages start at 0: WORKING, TM_INIT, none sent. */
end:
  do
  :: d_step { tmState == TM_INIT && ALL_PREPARED -> tmState = TM_COMMITTED; commitMsg = 1 }
  :: d_step { tmState == TM_INIT -> tmState = TM_ABORTED; abortMsg = 1 }
  RM(0)
#if N > 1
  RM(1)
#endif
#if N > 2
  RM(2)
#endif
#if N > 3
  RM(3)
#endif
#if N > 4
  RM(4)
#endif
#if N > 5
  RM(5)
#endif
#if N > 6
  RM(6)
#endif
#if N > 7
  RM(7)
#endif
#if N > 8
  RM(8)
#endif
  od
}
