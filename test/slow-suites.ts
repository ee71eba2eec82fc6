/**
 * The slow end-to-end matrices: each drives the built CLI through many whole runs (on moto, through a
 * throttling proxy, under signals, in several sandbox worlds, in tmux at several terminal sizes) or
 * compiles the whole program again.
 * `npm test` leaves them out so that it answers in a few minutes on a two-core machine;
 * `npm run test:e2e` runs them, and `.ci/run` runs both. Every other end-to-end level stays in
 * `npm test`: the CLI on moto (site, contract and refresh tests), the CLI on the sandbox, tmux.
 */
export const SLOW_SUITES = [
  'test/e2e/moto-cli.test.ts',
  'test/e2e/throttled-moto.test.ts',
  'test/e2e/interruptions-moto.test.ts',
  'test/e2e/tmux-interrupt.test.ts',
  // The dashboard in tmux at several terminal sizes and through whole sandbox runs (npm test keeps
  // test/e2e/tmux.test.ts and tmux-live-rollback.test.ts: a real terminal on the sandbox and on moto).
  'test/e2e/tmux-layout.test.ts',
  'test/tmux/screen.test.ts',
  'test/tmux/real-ids.test.ts',
  'test/tmux/clock-and-words.test.ts',
  'test/tmux/site-provision.test.ts',
  'test/e2e/user-data-limit-moto.test.ts',
  'test/e2e/sandbox-worlds.test.ts',
  'test/build/case-insensitive.test.ts',
];
