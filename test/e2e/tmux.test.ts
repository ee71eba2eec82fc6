import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';
import { terminal } from '../helpers/tmux.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('drill');

/** Answer every confirmation with Enter, as an operator would. */
const confirmPrompts = (s: string): void => {
  if (/Run it\?|Done\?|Roll back run|Undo it\?/.test(s)) term.send('Enter');
};

describe('the dashboard in a real terminal (tmux)', () => {
  afterAll(() => term.close());

  it('drives a whole drill with the keys shown on screen: 0 failed requests', async () => {
    const journalDir = tempDir('hotspare-tmux-');
    // An operator's terminal has no CI variable; ink would render only the last frame if it saw one.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; echo EXITED $?; sleep 60`;
    term.start(command, 100, 32);

    const first = await term.waitFor(
      (s) => /f.failover/.test(s) && /Targets web 3\/3 healthy/.test(s),
      'the dashboard with live targets',
    );
    expect(first).toContain('SANDBOX');

    term.send('f');
    const done = await term.waitFor(
      (s) => s.includes('Failover complete — maintenance site is live'),
      'the failover',
      30_000,
      confirmPrompts,
    );
    expect(done).toMatch(/total \d+, failed 0/);
    expect(done).toMatch(/site\s+302/);

    term.send('b');
    const back = await term.waitFor((s) => /Rollback complete/.test(s), 'the rollback', 30_000, confirmPrompts);
    expect(back).toMatch(/total \d+, failed 0/);

    term.send('q');
    const exited = await term.waitFor(
      (s) => s.includes('EXITED'),
      'the process to exit',
      10_000,
      (s) => {
        if (/quit\?|y\/n/i.test(s)) term.send('y');
      },
    );
    expect(exited).toContain('EXITED 0');
  });
});
