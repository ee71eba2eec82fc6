import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const SESSION = `hotspare-e2e-${process.pid}`;
/** A tmux server of this file's own: sessions of other test files never touch it. */
const SOCKET = `hotspare-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitFor(predicate: (s: string) => boolean, what: string, timeoutMs = 20_000, onTick?: (s: string) => void): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = screen();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    onTick?.(s);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Answer every confirmation with Enter, as an operator would. */
const confirmPrompts = (s: string): void => {
  if (/Run it\?|Done\?|Roll back run|Undo it\?/.test(s)) tmux('send-keys', '-t', SESSION, 'Enter');
};

describe('the dashboard in a real terminal (tmux)', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('drives a whole drill with the keys shown on screen: 0 failed requests', async () => {
    const journalDir = tempDir('hotspare-tmux-');
    // An operator's terminal has no CI variable; ink would render only the last frame if it saw one.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${BIN} --sandbox --speed 20 --journal-dir ${journalDir}; echo EXITED $?; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '32', command);

    const first = await waitFor((s) => /f.failover/.test(s) && /Targets 3\/3 healthy/.test(s), 'the dashboard with live targets');
    expect(first).toContain('SANDBOX');

    tmux('send-keys', '-t', SESSION, 'f');
    const done = await waitFor((s) => s.includes('Failover complete — maintenance site is live'), 'the failover', 30_000, confirmPrompts);
    expect(done).toMatch(/total \d+, failed 0/);
    expect(done).toMatch(/site\s+302/);

    tmux('send-keys', '-t', SESSION, 'b');
    const back = await waitFor((s) => /Rollback complete/.test(s), 'the rollback', 30_000, confirmPrompts);
    expect(back).toMatch(/total \d+, failed 0/);

    tmux('send-keys', '-t', SESSION, 'q');
    const exited = await waitFor((s) => s.includes('EXITED'), 'the process to exit', 10_000, (s) => {
      if (/quit\?|y\/n/i.test(s)) tmux('send-keys', '-t', SESSION, 'y');
    });
    expect(exited).toContain('EXITED 0');
  });
});
