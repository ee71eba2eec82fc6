import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Hazard } from '../../src/plan/types.js';
import type { InstanceInfo, TargetHealth } from '../../src/ports/index.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { Panel } from '../../src/ui/Panel.js';
import { usePanelModel } from '../../src/ui/use-panel-model.js';
import { renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import { newStore, PLAN, targets } from './fixtures.js';

/**
 * The plan's "run in effect" danger is read when the dashboard opens; the dashboard's reads of the
 * target group keep it true: once they show the leftover gone, the screen no longer says a failover
 * is refused (the failover reads AWS's tags again itself).
 */

const LEFTOVER = 'i-0leftover0000001';
const DANGER: Hazard = {
  code: 'run-in-effect',
  severity: 'danger',
  message: `AWS shows a hotspare run in effect: ${LEFTOVER}. A failover is refused until it is gone.`,
};
const leftover: InstanceInfo = {
  id: LEFTOVER,
  state: 'running',
  tags: { Name: 'hotspare-redirect-old', 'hotspare:run': 'run-left-by-abandon' },
};

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function StorePanel(): ReactNode {
  return <Panel model={usePanelModel(undefined, 120)} rows={30} width={120} />;
}

function opened(): AppStore {
  const store = newStore('live');
  store.getState().dispatch({ type: 'plan', steps: PLAN.steps, hazards: [DANGER], strategies: [] });
  return store;
}

function web(): (TargetHealth & { instance: InstanceInfo })[] {
  return targets(3).map((t) => ({
    ...t,
    state: 'healthy',
    reason: undefined,
    instance: { id: t.id, state: 'running', tags: { Name: `web-${t.id}` } },
  }));
}

function feed(store: AppStore, withLeftover: boolean): void {
  const health: TargetHealth[] = web().map(({ instance: _i, ...t }) => t);
  const instances: InstanceInfo[] = web().map((t) => t.instance);
  if (withLeftover) {
    health.push({ id: LEFTOVER, port: 80, state: 'healthy' });
    instances.push(leftover);
  }
  store.getState().dispatch({ type: 'targets', targets: health, instances, at: Date.now() });
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

describe("the plan's run in effect follows the dashboard's reads", () => {
  it('shown while the reads still see the leftover', async () => {
    const store = opened();
    feed(store, true);
    const frame = await waitForText(show(store).lastFrame, 'Hazards');
    expect(frame).toContain('A failover is refused until it is gone.');
  });

  it('gone once the reads show the leftover removed after the dashboard opened', async () => {
    const store = opened();
    feed(store, true);
    feed(store, false);
    const frame = await waitForText(show(store).lastFrame, `Step ${PLAN.steps[0]!.id}`);
    expect(frame).not.toContain('A failover is refused until it is gone.');
  });
});
