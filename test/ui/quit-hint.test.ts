import { describe, expect, it } from 'vitest';
import { leftRunHint } from '../../src/cli/output/next-commands.js';
import { nextAfterInterruption, rollbackLeftHint } from '../../src/cli/process-guard.js';
import { initialData, type AppData } from '../../src/store/state.js';
import { panelModel } from '../../src/ui/panel-model.js';

const inv = { runbook: 'runbooks/emergency-mode.yaml', sandbox: false, journalDir: '/srv/hotspare' };

function quitQuestion(phase: AppData['run']['phase']): string {
  const base = initialData({
    runbook: 'emergency-mode',
    mode: 'live',
    region: 'us-east-1',
    quitHint: leftRunHint(inv),
    rollbackQuitHint: rollbackLeftHint(inv),
  });
  const state: AppData = { ...base, run: { ...base.run, phase }, ui: { ...base.ui, overlay: 'quit' } };
  return panelModel(state, undefined, 400)
    .top.map((l) => l.text)
    .join('\n');
}

describe('the quit question says what is printed after the quit', () => {
  it('during a failover: resume or roll back, the words printed after an interrupted failover', () => {
    const shown = quitQuestion('running');
    expect(shown).toContain(
      nextAfterInterruption([{ command: 'failover', runbook: 'emergency-mode', runId: 'r1' }], inv),
    );
  });

  it('during a rollback: run the rollback again, the words printed after an interrupted rollback', () => {
    const shown = quitQuestion('rolling-back');
    expect(shown).toContain(
      nextAfterInterruption([{ command: 'rollback', runbook: 'emergency-mode', runId: 'r1' }], inv),
    );
    expect(shown).toContain(
      '`hotspare rollback runbooks/emergency-mode.yaml --journal-dir /srv/hotspare` again to finish it',
    );
  });
});
