// Exit codes, as TLC's, so existing CI habits carry over.
export const EXIT = {
  ok: 0,
  /** Regression mode: a result differs from `expect:`; replay: a trace no longer replays. */
  regression: 10,
  deadlock: 11,
  safety: 12,
  liveness: 13,
  spec: 150,
  config: 151,
  stateLimit: 152,
  /** Interrupted by a signal: 128 + its number (SIGHUP 129, SIGINT 130, SIGTERM 143). */
  interrupted: 130,
  internal: 255,
} as const;
