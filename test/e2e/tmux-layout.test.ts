import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal } from '../helpers/tmux.js';

/**
 * The dashboard in a real terminal at the sizes operators use: the question is never cut, every step
 * shows its state, and an API call can be read in full on screen.
 */

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('layout');
const send = term.send;
const waitFor = term.waitFor;

const STATES = '(?:pending|running|done|failed|skipped|rolled back|undo failed|paused)';
/** A step row: its glyph (or spinner), number, title, then the state, whole. */
const STEP_ROW = new RegExp(`^\\S \\d+\\. .*\\S ${STATES}(?: |$)`);
const STEP_START = /^\S \d+\. /;

/** Every step row on screen ends its title with a whole state word; hidden steps are counted. */
function expectStepStates(s: string, total: number): void {
  const rows = s.split('\n').filter((l) => STEP_START.test(l));
  for (const row of rows) expect(row).toMatch(STEP_ROW);
  const hidden = [...s.matchAll(/(?:↑ |\+)(\d+) more \([↑↓]\)/g)].reduce((n, m) => n + Number(m[1]), 0);
  expect(rows.length + hidden).toBe(total);
}

/** The RunInstances call on this screen, parsed, if all of it is there. */
function runInstances(s: string): Record<string, unknown> | undefined {
  const match = /ec2RunInstances(\{"ImageId".*?"Tags":\{[^{}]*\}\})/.exec(flat(s));
  return match?.[1] === undefined ? undefined : (JSON.parse(match[1]) as Record<string, unknown>);
}

describe('the dashboard fits the terminal (tmux)', () => {
  afterAll(() => term.close());
  afterEach(() => term.endSession());

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
  ] as const) {
    it(`${columns}x${rows}: the question whole, every step state whole, a full API call readable`, async () => {
      const journalDir = tempDir('hotspare-tmux-layout-');
      const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; sleep 60`;
      term.start(command, columns, rows);
      const idle = await waitFor((s) => /Targets web 3\/3 healthy/.test(s) && /q.quit/.test(s), 'the dashboard');
      expectStepStates(idle, 7);

      send('f');
      const first = await waitFor((s) => s.includes('Step 1/7'), 'the first confirmation');
      expect(flat(first)).toContain(flat('Step 1/7: Suspend Auto Scaling of sandbox-drill-web — Run it?'));
      send('Enter');
      const asked = await waitFor((s) => s.includes('Step 2/7'), 'the launch confirmation');
      expect(flat(asked)).toMatch(/Step2\/7:\w+theredirectinstance\([a-z]+,t3\.micro\)—Runit\?/);
      expect(asked).toContain('Enter/y run · s skip · n/Esc stop');
      for (const l of asked.split('\n').filter((x) => x.includes('Step 2/7'))) expect(l).not.toContain('…');
      expectStepStates(asked, 7);

      // The call in full: in the question where it fits, else on the whole screen (Tab), paging down.
      let call = runInstances(asked);
      if (call === undefined) {
        send('Tab');
        let page = await waitFor((s) => !s.includes('Targets web 3/3'), 'the whole-screen view');
        for (let i = 0; i < 6 && call === undefined; i++) {
          call = runInstances(page);
          if (call === undefined) {
            const before = page;
            send('PageDown');
            page = await waitFor((s) => s !== before, 'the next page');
          }
        }
        send('Tab');
        await waitFor((s) => s.includes('Targets web 3/3'), 'the dashboard again');
      }
      expect(call).toMatchObject({
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        Tags: { 'hotspare:step': 'launch-redirect' },
      });
      expect(Object.keys(call ?? {})).toEqual(
        expect.arrayContaining(['ImageId', 'SubnetId', 'SecurityGroupIds', 'ClientToken', 'UserData']),
      );

      // Mid-run, the states stay whole.
      send('Enter');
      const running = await waitFor(
        (s) => /\d+\. \w+ the redirect instance .* (running|done)/.test(s),
        'the first step running',
      );
      expectStepStates(running, 7);
    });
  }
});
