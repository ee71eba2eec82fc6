import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal, type Terminal } from '../helpers/tmux.js';

/**
 * In a real terminal (issue 20, item 6): once the sandbox run launched the redirect instance, the
 * register question shows the call that will be sent, with that instance's id, not the plan's
 * placeholder; that id is the instance the target table then shows serving; and the completion's
 * summary says it was registered, not the health state it had then (stale once it is healthy).
 */

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('real-ids');

/** Answers each step question (Enter) until `asked` matches the screen (a regex: with its lines joined), then returns it. */
function answerUntil(t: Terminal, asked: RegExp | ((s: string) => boolean), what: string): Promise<string> {
  const answered = new Set<number>();
  return t.waitFor(
    (s) => (asked instanceof RegExp ? asked.test(s.replace(/\n\s*/g, ' ')) : asked(s)),
    what,
    60_000,
    (s) => {
      const n = Number(/Step (\d+)\/\d+: /.exec(s)?.[1]);
      if (Number.isFinite(n) && n > 0 && !answered.has(n)) {
        answered.add(n);
        t.send('Enter');
      }
    },
  );
}

describe('real instance ids in the questions (tmux)', () => {
  afterAll(() => term.close());
  afterEach(() => term.endSession());

  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const)
    it(`${columns}x${rows}: the register question names the launched instance, the one then registered; the summary says registered`, async () => {
      const journalDir = tempDir('hotspare-tmux-ids-');
      const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; sleep 60`;
      term.start(command, columns, rows);
      await term.waitFor((s) => /Targets web 3\/3 healthy/.test(s) && /q.quit/.test(s), 'the dashboard');

      term.send('f');
      const register = await answerUntil(
        term,
        /Step \d+\/\d+: Register the redirect instance .* — Run it\?/,
        'the register question',
      );
      const question = flat(register.slice(register.indexOf('Register the redirect instance')));
      expect(question).not.toContain('<redirectinstance>');
      const id = /RegisterTargets\{[^}]*"Targets":\[\{"Id":"(i-[0-9a-f]{17})"/.exec(question)?.[1];
      expect(id, `the register question's call, with a real id:\n${register}`).toBeDefined();

      // Answered, the instance registered is that one: the target table shows its row (at the
      // deregister question, whose targets stay on screen).
      const rowOf = (x: string): string | undefined => x.split('\n').find((l) => l.startsWith(`${id} `));
      const later = await answerUntil(term, (x) => /healthy\s*$/.test(rowOf(x) ?? ''), `a target row for ${id}`);
      const row = rowOf(later);
      expect(row).toMatch(/healthy\s*$/);

      // The completion's summary of what was verified says what the step did (registered), never
      // the "initial" the target had when it was registered.
      const done = await answerUntil(term, (x) => x.includes('press b to roll back'), 'the completion');
      expect(done).not.toContain('is initial');
      expect(flat(done)).toContain(flat(`register-redirect: ${id} is registered in sandbox-web-tg`));
    }, 120_000);
});
