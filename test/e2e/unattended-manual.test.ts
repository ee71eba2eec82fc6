import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine.js';

/**
 * `--yes` asks nobody: a manual step (a person posting on the status page) is recorded as not done,
 * in the output, the journal and the incident timeline, never as acknowledged by the operator.
 * The built CLI on the sandbox, as an automation would run it.
 */
const BIN = join(process.cwd(), 'dist/cli/bin.js');
const STATUS_PAGE = 'Post on the status page that the site is in maintenance mode';

function hotspare(args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a manual step under --yes (built CLI, sandbox)', () => {
  it('is not done: the summary says so, and the timeline shows it NOT DONE, not acknowledged', () => {
    const journalDir = tempDir('hotspare-unattended-');
    const run = hotspare([
      'failover',
      'runbooks/sandbox.yaml',
      '--sandbox',
      '--yes',
      '--headless',
      '--speed',
      '50',
      '--journal-dir',
      journalDir,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /☐ manual NOT DONE — nobody was asked \(--yes runs unattended\); do it by hand: Post on the status page/,
    );
    expect(run.stdout).toContain(`NOT DONE — nobody was asked (--yes); do by hand: "${STATUS_PAGE}".`);
    const timeline = hotspare(['timeline', '--journal-dir', journalDir]);
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toContain(
      `Step **manual** **NOT DONE**: nobody was asked (--yes runs unattended); do it by hand: ${STATUS_PAGE}`,
    );
    expect(timeline.stdout).not.toMatch(/acknowledged|Step \*\*manual\*\* succeeded/);
  });
});
