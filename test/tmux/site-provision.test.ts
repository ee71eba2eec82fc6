import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal } from '../helpers/tmux.js';

/**
 * `hotspare site provision --sandbox` in a real terminal (tmux): every call is on the screen before
 * the question; n changes nothing (no journal, exit 1); y goes on, with the certificate's progress,
 * to the distribution and alias (exit 0).
 */
const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('provision');

beforeAll(() => requireBuiltCli());
afterAll(() => term.close());

function start(journal: string): void {
  const state = tempDir('hotspare-tmux-state-');
  const args = `site provision runbooks/sandbox.yaml --sandbox --fault no-distribution --speed 20 --journal-dir ${journal}`;
  term.start(
    `env -u CI -u CONTINUOUS_INTEGRATION NO_COLOR=1 XDG_STATE_HOME=${state} node ${BIN} ${args}; echo EXITED $?; sleep 60`,
    160,
    50,
  );
}

describe('site provision confirmation in a real terminal', () => {
  it('shows every call before asking; n changes nothing', async () => {
    const journal = tempDir('hotspare-tmux-provision-');
    start(journal);
    const asked = await term.waitFor((s) => s.includes('Make these changes? [y/N]'), 'the confirmation', 40_000);
    const before = flat(asked.slice(0, asked.indexOf('Make these changes?')));
    for (const call of [
      'willcall:acmRequestCertificate',
      'willcall:route53ChangeResourceRecordSetsUPSERT',
      'willcall:acmDescribeCertificate(polled)',
      'willcall:cloudfrontCreateDistributionWithTags',
      'maintenance.sandbox.invalidAAAAaliasZ2FDTNDATAQYW2',
    ])
      expect(before).toContain(call);
    term.send('n', 'Enter');
    const ended = await term.waitFor((s) => s.includes('EXITED'), 'the command to end');
    expect(ended).toContain('Nothing changed.');
    expect(ended).toContain('EXITED 1');
    expect(existsSync(join(journal, 'provision'))).toBe(false);
    term.endSession();
  });

  it('y proceeds: the certificate is waited for with progress, then the distribution and alias are made', async () => {
    const journal = tempDir('hotspare-tmux-provision-');
    start(journal);
    await term.waitFor((s) => s.includes('Make these changes? [y/N]'), 'the confirmation', 40_000);
    term.send('y', 'Enter');
    const ended = await term.waitFor((s) => s.includes('EXITED'), 'the provisioning to end', 60_000);
    expect(ended).toMatch(/certificate PENDING_VALIDATION, \d+ s of at most 900 s/);
    expect(flat(ended)).toMatch(/Done:maintenance\.sandbox\.invalidisservedbydistributionE[A-Z0-9]+/);
    expect(ended).toContain('EXITED 0');
    const records = readFileSync(join(journal, 'provision', 'sandbox-drill.jsonl'), 'utf8');
    expect(records).toContain('RequestCertificate');
    expect(records).toContain('CreateDistribution');
    term.endSession();
  });
});
