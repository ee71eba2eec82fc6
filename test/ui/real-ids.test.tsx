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
 * Every call shown before a confirmation is the call that will be sent (issue 20, item 6): once the
 * run launched the redirect instance, the steps listed under a question and the rollback's
 * TerminateInstances show its id, not the plan's placeholder.
 */

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef';
const ID = 'i-0launched00000001';

const launch: PlannedStep = {
  id: 'launch-redirect',
  type: 'launch-redirect',
  title: 'Launch the redirect instance',
  spec: { type: 'launch-redirect', id: 'launch-redirect' } as PlannedStep['spec'],
  mutating: true,
  calls: [{ service: 'ec2', operation: 'RunInstances', params: { ImageId: 'ami-1' } }],
  undo: [{ service: 'ec2', operation: 'TerminateInstances', params: { InstanceIds: ['<redirect instance>'] } }],
  expectedSeconds: 30,
};
const register: PlannedStep = {
  id: 'register-redirect',
  type: 'register-redirect',
  title: 'Register the redirect instance',
  spec: { type: 'register-redirect', id: 'register-redirect' } as PlannedStep['spec'],
  mutating: true,
  calls: [
    {
      service: 'elbv2',
      operation: 'RegisterTargets',
      params: { TargetGroupArn: TG, Targets: [{ Id: '<redirect instance>', Port: 80 }] },
    },
  ],
  undo: [],
  expectedSeconds: 1,
};
const wait: PlannedStep = {
  ...register,
  id: 'wait-redirect-healthy',
  type: 'wait-redirect-healthy',
  title: 'Wait until the redirect instance is healthy',
  spec: { type: 'wait-redirect-healthy', id: 'wait-redirect-healthy' } as PlannedStep['spec'],
  mutating: false,
  calls: [
    {
      service: 'elbv2',
      operation: 'DescribeTargetHealth',
      params: { TargetGroupArn: TG, Targets: [{ Id: '<redirect instance>' }] },
    },
  ],
  undo: undefined,
};

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function StorePanel(): ReactNode {
  return <Panel model={usePanelModel(undefined, 120)} rows={30} width={120} />;
}

function launched(): AppStore {
  const store = newStore();
  const plan: Plan = { ...PLAN, steps: [launch, register, wait] };
  const d = store.getState().dispatch;
  d({ type: 'run-started', runId: 'run-1', runbook: RUNBOOK, mode: 'sandbox', at: 1, resumed: false });
  d({ type: 'plan', steps: plan.steps, hazards: [], strategies: [] });
  d({ type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: 2 });
  d({ type: 'step-succeeded', stepId: 'launch-redirect', outputs: { instanceId: ID }, at: 3 });
  return store;
}

describe('real ids in the calls shown', () => {
  it('the steps under a question show the launched instance, not the placeholder', async () => {
    const store = launched();
    void store.getState().askConfirm({ step: register, index: 1, total: 3 });
    r = renderInk(
      <StoreProvider store={store}>
        <StorePanel />
      </StoreProvider>,
      { columns: 120, rows: 40 },
    );
    const frame = await waitForText(r.lastFrame, 'Then:');
    expect(frame.replace(/\n\s*/g, '')).toContain(`"Targets":[{"Id":"${ID}","Port":80}]`);
    expect(frame.replace(/\n\s*/g, '')).toContain(
      `DescribeTargetHealth {"TargetGroupArn":"arn:…:targetgroup/web-tg/0123456789abcdef","Targets":[{"Id":"${ID}"}]}`,
    );
    expect(frame).not.toContain('<redirect instance>');
  });

  it("the rollback question's TerminateInstances names the instance", async () => {
    const store = launched();
    void store.getState().askRollback({ runId: 'run-1', steps: [launch], webHealth: [] });
    r = renderInk(
      <StoreProvider store={store}>
        <StorePanel />
      </StoreProvider>,
      { columns: 120, rows: 40 },
    );
    const frame = await waitForText(r.lastFrame, 'Roll back run run-1?');
    expect(frame).toContain(`ec2 TerminateInstances {"InstanceIds":["${ID}"]}`);
    expect(frame).not.toContain('<redirect instance>');
  });
});
