/**
 * Hooks for the reliability suite only: they kill the process with SIGKILL (as a crash, a closed
 * laptop or an OOM kill would) at an exact point of a run, so the suite can prove that resume and
 * rollback recover from there. Never set in normal use. The CLI reads them from the environment
 * (`HOTSPARE_TEST_KILL_AFTER_RECORD`, `HOTSPARE_TEST_KILL_AFTER_SEND`; see README, "Reliability").
 */
export interface TestHooks {
  /** Kill right after the journal record with this sequence number is on disk. */
  readonly killAfterRecord?: number | undefined;
  /**
   * Kill right after the n-th mutating call of this process returned (1-based), before its result
   * is journaled; or after the first call of the named operation (e.g. `RunInstances`).
   */
  readonly killAfterSend?: number | string | undefined;
}

function kill(): void {
  process.kill(process.pid, 'SIGKILL');
}

/** The journal hook: kills after the chosen record. */
export function killAfterRecordHook(hooks: TestHooks | undefined): ((record: { readonly seq: number }) => void) | undefined {
  const target = hooks?.killAfterRecord;
  return target === undefined ? undefined : (record) => (record.seq === target ? kill() : undefined);
}

/** The step-context hook: kills after the chosen mutating call returned. */
export function killAfterSendHook(hooks: TestHooks | undefined): ((call: { readonly operation: string }) => void) | undefined {
  const target = hooks?.killAfterSend;
  if (target === undefined) return undefined;
  let sent = 0;
  return (call) => {
    sent += 1;
    if (target === sent || target === call.operation) kill();
  };
}
