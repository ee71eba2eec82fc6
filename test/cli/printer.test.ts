import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/cli/output/color.js';
import { createPrinter } from '../../src/cli/output/printer.js';
import type { Invocation } from '../../src/cli/output/next-commands.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { RUN_INSTANCES } from '../ui/fixtures.js';

function print(events: readonly EngineEvent[], color = false): string[] {
  const lines: string[] = [];
  const printer = createPrinter((l) => lines.push(l), { json: false, color });
  for (const e of events) printer(e);
  return lines;
}

const call: EngineEvent = { type: 'call', stepId: 'launch-redirect', phase: 'intent', call: RUN_INSTANCES, at: 1 };
const done: EngineEvent = { type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: 2 };

describe('headless printer', () => {
  it('prints every API call in full', () => {
    const [line] = print([call]);
    expect(line).toContain(`ec2 RunInstances ${JSON.stringify(RUN_INSTANCES.params)}`);
    expect(line).not.toContain('...');
  });

  it('colours marks only when asked, and never JSON', () => {
    expect(print([done]).join('')).not.toContain('\u001B[');
    expect(print([done], true)[0]).toBe('\u001B[32m✓ launch-redirect\u001B[39m');
    const json: string[] = [];
    createPrinter((l) => json.push(l), { json: true, color: true })(done);
    expect(json[0]).toBe(JSON.stringify({ ...done, at: '1970-01-01T00:00:00.002Z' }));
  });
});

describe('next commands in the printed lines', () => {
  const finished: EngineEvent = { type: 'run-finished', runId: 'r1', outcome: 'failed-over', at: 3 };
  const failed: EngineEvent = {
    type: 'step-failed',
    stepId: 'deregister-web',
    attempt: 1,
    at: 4,
    error: {
      name: 'RefusedError',
      kind: 'refused',
      code: 'RollbackInProgress',
      message: 'no',
      retryable: false,
      nextSteps: 'Finish it with `hotspare rollback RUNBOOK`.',
    },
  };
  const printed = (invocation: Invocation): string[] => {
    const lines: string[] = [];
    const printer = createPrinter((l) => lines.push(l), { json: false, invocation });
    printer(finished);
    printer(failed);
    return lines;
  };

  it('are the real commands: the runbook as given and the flags that find the run', () => {
    const lines = printed({
      runbook: 'runbooks/emergency-mode',
      sandbox: false,
      journalDir: '/srv/hot spare',
      profile: 'ops',
    });
    expect(lines[0]).toBe(
      "Failover complete — maintenance site is live. Roll back with `hotspare rollback runbooks/emergency-mode --journal-dir '/srv/hot spare' --profile ops`.",
    );
    expect(lines[1]).toContain(
      "next: Finish it with `hotspare rollback runbooks/emergency-mode --journal-dir '/srv/hot spare' --profile ops`.",
    );
  });

  it('a sandbox run: where its journal is, not a rollback no later process can do', () => {
    expect(printed({ runbook: 'runbooks/sandbox.yaml', sandbox: true })[0]).toBe(
      'Failover complete — maintenance site is live. The simulated account ends with this process; its journal stays (`hotspare timeline --sandbox` shows the run).',
    );
  });
});

describe('colorEnabled', () => {
  it('is off with NO_COLOR set to anything non-empty, and off without a terminal', () => {
    expect(colorEnabled({}, { isTTY: true })).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, { isTTY: true })).toBe(true);
    expect(colorEnabled({}, { isTTY: false })).toBe(false);
  });
});
