import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { Panel } from '../../src/ui/Panel.js';
import { usePanelModel } from '../../src/ui/use-panel-model.js';
import { renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import { newStore, PLAN, RUNBOOK } from './fixtures.js';

/**
 * Once the launch step ran, the dashboard shows what was sent, not the plan's conditional words
 * (issue 20, item 6): "(when no prepared spare is ready)" belongs to a call not yet made.
 */

const ID = 'i-0launched00000001';
const PLAN_NOTE = 'when no prepared spare is ready';

const launch: PlannedStep = {
  id: 'launch-redirect',
  type: 'launch-redirect',
  title: 'Launch the redirect instance',
  spec: { type: 'launch-redirect', id: 'launch-redirect' } as PlannedStep['spec'],
  mutating: true,
  calls: [{ service: 'ec2', operation: 'RunInstances', params: { ImageId: 'ami-1' }, note: PLAN_NOTE }],
  undo: [{ service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: ['<redirect instance>'] } }],
  expectedSeconds: 30,
};

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function StorePanel(): ReactNode {
  return <Panel model={usePanelModel(undefined, 120)} rows={30} width={120} />;
}

function planned(resumed: boolean): AppStore {
  const store = newStore();
  const plan: Plan = { ...PLAN, steps: [launch] };
  const d = store.getState().dispatch;
  d({ type: 'run-started', runId: 'run-1', runbook: RUNBOOK, mode: 'sandbox', at: 1, resumed });
  d({ type: 'plan', steps: plan.steps, hazards: [], strategies: [] });
  return store;
}

function show(store: AppStore): Rendered {
  r = renderInk(
    <StoreProvider store={store}>
      <StorePanel />
    </StoreProvider>,
    { columns: 120, rows: 40 },
  );
  return r;
}

describe('calls already made show what was sent', () => {
  it('before the launch step runs, its RunInstances carries the condition', async () => {
    const frame = await waitForText(show(planned(false)).lastFrame, 'Will call:');
    expect(frame).toContain(PLAN_NOTE);
  });

  it('after the launch step ran in this session, its call is the one sent, without the condition', async () => {
    const store = planned(false);
    const d = store.getState().dispatch;
    const sent = { ...launch.calls[0]!, note: undefined };
    d({ type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: 2 });
    d({ type: 'call', stepId: 'launch-redirect', phase: 'intent', call: sent, at: 2 });
    d({ type: 'call', stepId: 'launch-redirect', phase: 'result', call: sent, requestId: 'req-1', at: 3 });
    d({ type: 'step-succeeded', stepId: 'launch-redirect', outputs: { instanceId: ID }, at: 3 });
    const frame = await waitForText(show(store).lastFrame, 'Calls made:');
    expect(frame).toContain('ec2 RunInstances');
    expect(frame).not.toContain(PLAN_NOTE);
  });

  it("a launch step done before a resume does not show the plan's call as still to come", async () => {
    // A resumed run replays the journal's finished steps: step-succeeded, and no call events.
    const store = planned(true);
    store
      .getState()
      .dispatch({ type: 'step-succeeded', stepId: 'launch-redirect', outputs: { instanceId: ID }, at: 2 });
    const frame = await waitForText(show(store).lastFrame, 'Step launch-redirect');
    expect(frame).not.toContain(PLAN_NOTE);
    expect(frame).not.toContain('Will call:');
    expect(frame).toContain('hotspare timeline');
  });

  it('a read-only step done in this session still lists the reads it made', async () => {
    const wait: PlannedStep = {
      ...launch,
      id: 'wait-redirect-healthy',
      type: 'wait-redirect-healthy',
      title: 'Wait until the redirect instance is healthy',
      mutating: false,
      calls: [{ service: 'elbv2', operation: 'DescribeTargetHealth', params: { TargetGroupArn: 'tg' } }],
      undo: undefined,
    };
    const store = newStore();
    const d = store.getState().dispatch;
    d({ type: 'run-started', runId: 'run-1', runbook: RUNBOOK, mode: 'sandbox', at: 1, resumed: false });
    d({ type: 'plan', steps: [wait], hazards: [], strategies: [] });
    d({ type: 'step-started', stepId: 'wait-redirect-healthy', attempt: 1, at: 2 });
    d({ type: 'step-succeeded', stepId: 'wait-redirect-healthy', outputs: {}, at: 3 });
    const frame = await waitForText(show(store).lastFrame, 'Step wait-redirect-healthy');
    expect(frame).toContain('elbv2 DescribeTargetHealth');
    expect(frame).not.toContain('hotspare timeline');
  });
});
