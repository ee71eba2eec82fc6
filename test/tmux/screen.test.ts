import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { terminal, type Terminal } from '../helpers/tmux.js';

/**
 * The sandbox dashboard in a real terminal at 80x24 and 120x40, read at the two moments an operator
 * reads it hardest: the question before the web servers are removed, and the completion. Names may
 * be shortened; states, counts and the rows the question depends on never are.
 */

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('screen');

/** Answers each step question before `last` once (Enter), then waits for the question of step `last`. */
async function answerUntil(t: Terminal, last: number): Promise<string> {
  const answered = new Set<number>();
  return t.waitFor(
    (s) => new RegExp(`Step ${last}/7: .* — (Run it\\?|Done\\?)`).test(s.replace(/\n\s*/g, ' ')),
    `the question of step ${last}`,
    60_000,
    (s) => {
      const asked = /Step (\d+)\/7: /.exec(s);
      const n = Number(asked?.[1]);
      if (asked !== null && n < last && !answered.has(n)) {
        answered.add(n);
        t.send('Enter');
      }
    },
  );
}

const lines = (s: string): readonly string[] => s.split('\n');

/** The target table's summary (one or two lines): every count whole, and the Auto Scaling group's state in words. */
function expectSummary(s: string, scaling: RegExp): void {
  const all = lines(s);
  const from = all.findIndex((l) => l.startsWith('Targets '));
  const to = all.findIndex((l) => l.startsWith('TARGET '));
  expect(from).toBeGreaterThanOrEqual(0);
  expect(to).toBeGreaterThan(from);
  const summary = all.slice(from, to).join(' · ');
  expect(summary).toMatch(/^Targets web \d+\/\d+ healthy/);
  expect(summary).toMatch(scaling);
  expect(summary).not.toMatch(/\d…|frozen…|fro…/);
}

/** The traffic row's totals, whole. */
function expectTraffic(s: string): void {
  const traffic = lines(s).find((l) => l.startsWith('traffic '));
  expect(traffic).toMatch(/total \d+, failed \d+\s*$/);
}

/** Every ARN on screen is whole on its line: it ends with its closing quote, never at the line's end. */
function expectNoCutArn(s: string): void {
  for (const l of lines(s))
    for (const m of l.matchAll(/arn:[^"\s]*/g)) expect(l.slice(m.index)).toMatch(/^arn:[^"\s]*"/);
  expect(s).not.toMatch(/[a-z0-9]\n\s*[a-z0-9]*group\//);
}

describe('the screen at the sizes operators use (tmux)', () => {
  afterAll(() => term.close());
  afterEach(() => term.endSession());

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`${columns}x${rows}: the deregister question with its targets, and the completion`, async () => {
      const journalDir = tempDir('hotspare-tmux-screen-');
      const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; sleep 60`;
      term.start(command, columns, rows);
      const idle = await term.waitFor((s) => /Targets web 3\/3 healthy/.test(s) && /q.quit/.test(s), 'the dashboard');
      expectSummary(idle, /ASG \S+ \d+\/\d+ will be frozen/);

      term.send('f');
      await answerUntil(term, 5);
      // The question's rows: the redirect instance, healthy (once the dashboard has read it so), and
      // the three web servers the step removes.
      const rowsOf = (s: string): readonly string[] => lines(s).filter((l) => /^i-[0-9a-f]{17} /.test(l));
      const asked = await term.waitFor(
        (s) => rowsOf(s).filter((l) => / healthy\s*$/.test(l)).length >= 4 || s.includes('more below'),
        'the targets of the question, healthy',
      );
      const targetRows = rowsOf(asked);
      expect(targetRows).toHaveLength(4);
      expect(targetRows.filter((l) => / healthy\s*$/.test(l))).toHaveLength(4);
      expect(targetRows.filter((l) => /web-\d/.test(l))).toHaveLength(3);
      expect(targetRows.filter((l) => /hotspare|redirect/.test(l))).toHaveLength(1);
      expect(asked).not.toMatch(/more below/);
      expectSummary(asked, /· redirect 1\/1 healthy .*ASG \S+ \d+\/\d+ frozen/);
      expectTraffic(asked);
      expectNoCutArn(asked);
      expect(asked).toMatch(/Deregister 3 web server\(s\) from sandbox-web-tg — Run it\?/);

      term.send('Enter');
      const manual = await term.waitFor((s) => /Step 7\/7: .* Done\?/.test(s), 'the manual step');
      expectNoCutArn(manual);
      term.send('Enter');
      const done = await term.waitFor((s) => s.includes('press b to roll back'), 'the completion');
      const headline = lines(done).find((l) => l.includes('Failover complete'));
      expect(headline).toMatch(/^Failover complete — maintenance site is live/);
      expect(done).not.toMatch(/roll back\S/);
      expectSummary(done, /ASG \S+ \d+\/\d+ frozen/);
      expectTraffic(done);
    }, 120_000);
  }
});
