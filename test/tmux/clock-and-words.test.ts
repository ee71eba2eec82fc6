import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal } from '../helpers/tmux.js';
import { pause } from '../helpers/wait.js';

/**
 * Issue 20, items 7 and 8, in a real terminal (the sandbox dashboard at 80x24): the words before
 * anything is frozen, the incident clock that keeps counting across a stop and a resume, and a
 * rollback whose undos each show their own duration.
 */

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('clock');

/** The incident clock in the header, in seconds. */
function clockOf(s: string): number {
  const m = /⏱ (\d\d):(\d\d):(\d\d)/.exec(s.split('\n')[0] ?? '');
  if (m === null) throw new Error(`no incident clock in the header:\n${s}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** `154 ms` / `3 s` / `1m 21s` in seconds. */
function seconds(text: string): number {
  const ms = /^(\d+) ms$/.exec(text);
  if (ms !== null) return Number(ms[1]) / 1000;
  const m = /^(?:(\d+)m ?)?(?:(\d+)s| ?(\d+) s)?$/.exec(text);
  return Number(m?.[1] ?? 0) * 60 + Number(m?.[2] ?? m?.[3] ?? 0);
}

describe('the incident clock, undo durations and wording (tmux, 80x24)', () => {
  afterAll(() => term.close());
  afterEach(() => term.endSession());

  it('will be frozen before the step; the clock keeps counting across stop and resume; each undo its own time', async () => {
    const journalDir = tempDir('hotspare-tmux-clock-');
    term.start(
      `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; sleep 60`,
      80,
      24,
    );
    const idle = await term.waitFor((s) => /Targets web 3\/3 healthy/.test(s) && /q.quit/.test(s), 'the dashboard');
    expect(flat(idle)).toContain(flat('Auto Scaling group sandbox-drill-web will be frozen'));
    expect(flat(idle)).not.toMatch(/groupsandbox-drill-webisfrozen/);

    term.send('f');
    await term.waitFor((s) => s.includes('Step 1/7'), 'the first question');
    term.send('Enter');
    await term.waitFor((s) => s.includes('Step 2/7'), 'the launch question');
    // Stop here: the run is journaled and resumable; its clock stops with it.
    term.send('n');
    const stopped = await term.waitFor((s) => s.includes('Run stopped'), 'the stop');
    const before = clockOf(stopped);
    expect(stopped).not.toMatch(/hotspare (resume|rollback) RUNBOOK/);

    // Time passes while the run is stopped (what is checked is the clock after it, so a pause):
    // resumed, the clock counts from the run's first start, not from the resume.
    await pause(4000);
    term.send('r');
    const resumed = await term.waitFor((s) => s.includes('Step 2/7'), 'the launch question again');
    expect(clockOf(resumed)).toBeGreaterThanOrEqual(before + 3);

    const answered = new Set<string>();
    await term.waitFor(
      (s) => s.includes('press b to roll back'),
      'the completion',
      60_000,
      (s) => {
        const q = /(Step \d+\/7): .*(Run it\?|Done\?)/.exec(s.replace(/\n\s*/g, ' '));
        if (q?.[1] !== undefined && !answered.has(q[1])) {
          answered.add(q[1]);
          term.send('Enter');
        }
      },
    );
    const failedOver = clockOf(term.screen());

    term.send('b');
    await term.waitFor((s) => s.includes('Roll back run'), 'the rollback question');
    term.send('Enter');
    const answeredUndo = new Set<string>();
    const done = await term.waitFor(
      (s) => s.includes('Rollback complete'),
      'the rollback',
      60_000,
      (s) => {
        const q = /(Undo \d+\/\d+): .*Undo it\?/.exec(s.replace(/\n\s*/g, ' '));
        if (q?.[1] !== undefined && !answeredUndo.has(q[1])) {
          answeredUndo.add(q[1]);
          term.send('Enter');
        }
      },
    );
    const undone = done
      .split('\n')
      .map((l) => / rolled back (\d+ ms|\d+ s|\d+m ?\d+s)\s*$/.exec(l)?.[1])
      .filter((d): d is string => d !== undefined);
    expect(undone.length).toBeGreaterThan(0);
    // Each undo took a few seconds at most: none is measured from the failover step's start.
    for (const d of undone) expect(seconds(d)).toBeLessThan(Math.max(3, failedOver - 2));
    expect(clockOf(done)).toBeGreaterThanOrEqual(failedOver);
  }, 150_000);
});
