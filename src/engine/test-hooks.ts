/**
 * Hooks for the reliability suite only: they kill the process with SIGKILL (as a crash, a closed
 * laptop or an OOM kill would) at an exact point of a run, so the suite can prove that resume and
 * rollback recover from there. Never set in normal use. The CLI reads them from the environment
 * (`HOTSPARE_TEST_KILL_AFTER_RECORD`, `HOTSPARE_TEST_KILL_AFTER_SEND`; see docs/reliability.md).
 *
 * The sandbox lives inside the process, so a SIGKILL would take its world with it: the suite's
 * in-process crash matrix passes `afterRecord` / `afterSend` instead, which throw to stop the run
 * at the same points.
 */
export interface TestHooks {
  /** Kill right after the journal record with this sequence number is on disk. */
  readonly killAfterRecord?: number | undefined;
  /**
   * Kill right after the n-th mutating call of this process returned (1-based), before its result
   * is journaled; or after the first call of the named operation (e.g. `RunInstances`).
   */
  readonly killAfterSend?: number | string | undefined;
  /**
   * Stall right after the n-th mutating call returned (or the first of the named operation): the
   * run awaits a promise that never settles and holds nothing, so the process runs out of work in
   * the middle of the command, as a lost timer would make it. The process guard must report it.
   */
  readonly stallAfterSend?: number | string | undefined;
  /** In-process only: called after every journal record is on disk (fsync'd); a throw stops the run there. */
  readonly afterRecord?: ((record: { readonly seq: number }) => void) | undefined;
  /** In-process only: called after every mutating call returned, before its result is journaled. */
  readonly afterSend?: ((call: { readonly operation: string }) => void) | undefined;
}

function kill(): void {
  process.kill(process.pid, 'SIGKILL');
}

/** The journal hook: `afterRecord`, then the kill after the chosen record. */
export function killAfterRecordHook(
  hooks: TestHooks | undefined,
): ((record: { readonly seq: number }) => void) | undefined {
  const target = hooks?.killAfterRecord;
  const observe = hooks?.afterRecord;
  if (target === undefined) return observe;
  return (record) => {
    observe?.(record);
    if (record.seq === target) kill();
  };
}

/** The step-context hook: `afterSend`, then the kill (or the stall) after the chosen mutating call returned. */
export function killAfterSendHook(
  hooks: TestHooks | undefined,
): ((call: { readonly operation: string }) => void | Promise<void>) | undefined {
  const target = hooks?.killAfterSend;
  const stall = hooks?.stallAfterSend;
  const observe = hooks?.afterSend;
  if (target === undefined && stall === undefined) return observe;
  let sent = 0;
  return (call) => {
    observe?.(call);
    sent += 1;
    if (target === sent || target === call.operation) kill();
    if (stall === sent || stall === call.operation) return new Promise<void>(() => undefined);
    return undefined;
  };
}
