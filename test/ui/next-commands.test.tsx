import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { createAppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { Panel } from '../../src/ui/Panel.js';
import { usePanelModel } from '../../src/ui/use-panel-model.js';
import { renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import { PLAN, RUNBOOK } from './fixtures.js';

/**
 * The dashboard prints the commands its messages name in full (`hotspare resume runbooks/x.yaml
 * --journal-dir D`), as the headless output does, never the `RUNBOOK` placeholder (issue 20, item 8).
 */

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function StorePanel(): ReactNode {
  return <Panel model={usePanelModel(undefined, 120)} rows={12} width={120} />;
}

const RESUME = 'hotspare resume runbooks/emergency-mode.yaml --journal-dir /srv/hotspare';
const ROLLBACK = 'hotspare rollback runbooks/emergency-mode.yaml --journal-dir /srv/hotspare';

describe('commands in the dashboard', () => {
  it('a failed run says the real resume and rollback commands', async () => {
    const store = createAppStore({
      runbook: RUNBOOK,
      mode: 'live',
      region: 'us-east-1',
      nextCommands: { resume: RESUME, rollback: ROLLBACK },
    });
    const s = store.getState();
    s.loadPlan(PLAN);
    const now = Date.now();
    s.dispatch({ type: 'run-started', runId: 'r1', runbook: RUNBOOK, mode: 'live', at: now, resumed: false });
    const error = {
      name: 'ExternalError',
      kind: 'external' as const,
      code: 'Throttling' as const,
      message: 'Rate exceeded',
      retryable: true,
      nextSteps:
        'Retry the step (`hotspare resume RUNBOOK`) once the cause is fixed, or undo the run (`hotspare rollback RUNBOOK`).',
    };
    s.dispatch({ type: 'step-started', stepId: PLAN.steps[0]!.id, attempt: 1, at: now });
    s.dispatch({ type: 'step-failed', stepId: PLAN.steps[0]!.id, attempt: 1, error, at: now });
    s.dispatch({ type: 'run-finished', runId: 'r1', outcome: 'failed', at: now });
    r = renderInk(
      <StoreProvider store={store}>
        <StorePanel />
      </StoreProvider>,
      { columns: 120, rows: 30 },
    );
    const frame = await waitForText(r.lastFrame, 'Rate exceeded');
    const flat = frame.replace(/\s+/g, ' ');
    expect(flat).toContain(`Retry the step (\`${RESUME}\`)`);
    expect(flat).toContain(`(\`${ROLLBACK}\`)`);
    expect(frame).not.toContain('RUNBOOK');
  });
});
