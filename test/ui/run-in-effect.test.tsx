import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceInfo, TargetHealth } from '../../src/ports/index.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { HeadedTable } from './headed-table.js';
import { renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import { newStore, targets } from './fixtures.js';

/**
 * The dashboard's target table reads AWS's hotspare tags (the monitor's DescribeInstances of every
 * target carries them): web servers, redirect instances and spares are counted apart, and a tagged
 * target no run in progress here accounts for is a danger line, at 80 columns too.
 */

const RUN = '20261203T030000.000Z-ab12';
const REDIRECT = 'i-0redirect00000001';
const SPARE = 'i-0spare000000000001';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function show(store: AppStore, columns: number, rows: number): Rendered {
  r = renderInk(
    <StoreProvider store={store}>
      <HeadedTable rows={rows} width={columns} />
    </StoreProvider>,
    { columns, rows: 24 },
  );
  return r;
}

function web(): TargetHealth[] {
  return targets(3).map((t) => ({ ...t, state: 'healthy', reason: undefined }));
}

const redirectInstance: InstanceInfo = {
  id: REDIRECT,
  state: 'running',
  tags: {
    Name: 'hotspare-redirect-emergency-mode',
    'hotspare:run': RUN,
    'hotspare:step': 'launch-redirect',
    'hotspare:started-by': 'alice@ops-1',
  },
};
const spareInstance: InstanceInfo = {
  id: SPARE,
  state: 'running',
  tags: { Name: 'hotspare-spare-emergency-mode', 'hotspare:spare': 'emergency-mode', 'hotspare:run': 'spare-0123abcd' },
};

function feed(store: AppStore, extra: readonly TargetHealth[], instances: readonly InstanceInfo[]): void {
  store
    .getState()
    .dispatch({ type: 'targets', targets: [...web(), ...extra], instances: [...instances], at: Date.now() });
}

describe('TargetTable and hotspare tags', () => {
  it('counts web servers and a redirect instance apart; a redirect instance no run here accounts for is a danger', async () => {
    const store = newStore('live');
    feed(store, [{ id: REDIRECT, port: 80, state: 'healthy' }], [redirectInstance]);
    const frame = await waitForText(show(store, 160, 10).lastFrame, 'DANGER');
    expect(frame).toContain('Targets web 3/3 healthy · redirect 1/1 healthy');
    expect(frame).toContain(
      `DANGER ${REDIRECT} redirect of run ${RUN} by alice@ops-1: in the target group, no run in progress here`,
    );
  });

  it('keeps the danger and the counts whole at 80 columns', async () => {
    const store = newStore('live');
    feed(store, [{ id: REDIRECT, port: 80, state: 'healthy' }], [redirectInstance]);
    const frame = await waitForText(show(store, 80, 6).lastFrame, 'DANGER');
    const lines = frame.split('\n');
    expect(lines[0]).toContain('web 3/3 healthy · redirect 1/1 healthy');
    expect(lines[1]).toMatch(/^DANGER i-0redirect00000001 redirect of run/);
    expect(frame).toContain(REDIRECT);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("is no danger when it is the journal's unfinished run", async () => {
    const store = newStore('live');
    store.getState().setOwnRun({ runId: RUN, instanceIds: [REDIRECT] });
    feed(store, [{ id: REDIRECT, port: 80, state: 'healthy' }], [redirectInstance]);
    const frame = await waitForText(show(store, 100, 10).lastFrame, 'redirect 1/1 healthy');
    expect(frame).not.toContain('DANGER');
  });

  it('is no danger while this dashboard runs that run, and a spare it started counts as a spare', async () => {
    const store = newStore('live');
    const s = store.getState();
    s.dispatch({
      type: 'run-started',
      runId: RUN,
      runbook: 'emergency-mode',
      mode: 'live',
      at: Date.now(),
      resumed: false,
    });
    s.dispatch({
      type: 'plan',
      steps: [
        {
          id: 'launch-redirect',
          type: 'launch-redirect',
          title: 'Launch the redirect instance',
          spec: { type: 'launch-redirect' },
          mutating: true,
          calls: [],
          undo: [],
          expectedSeconds: 60,
        },
      ],
      hazards: [],
    });
    s.dispatch({
      type: 'step-succeeded',
      stepId: 'launch-redirect',
      outputs: { instanceId: SPARE, spare: true },
      at: Date.now(),
    });
    feed(store, [{ id: SPARE, port: 80, state: 'initial' }], [spareInstance]);
    const frame = await waitForText(show(store, 100, 10).lastFrame, 'spare 0/1 healthy');
    expect(frame).toContain('web 3/3 healthy · spare 0/1 healthy · 1 initial');
    expect(frame).not.toContain('DANGER');
  });

  it('a spare registered with no run in progress is a danger too', async () => {
    const store = newStore('live');
    feed(store, [{ id: SPARE, port: 80, state: 'healthy' }], [spareInstance]);
    const frame = await waitForText(show(store, 160, 10).lastFrame, 'DANGER');
    expect(frame).toContain(
      `DANGER ${SPARE} spare of run spare-0123abcd: in the target group, no run in progress here`,
    );
  });

  it('after a rollback of its own run, a tagged target still registered is a danger', async () => {
    const store = newStore('live');
    const s = store.getState();
    s.dispatch({
      type: 'run-started',
      runId: RUN,
      runbook: 'emergency-mode',
      mode: 'live',
      at: Date.now(),
      resumed: false,
    });
    s.dispatch({ type: 'run-finished', runId: RUN, outcome: 'rolled-back', at: Date.now() });
    feed(
      store,
      [
        { id: REDIRECT, port: 80, state: 'draining' },
        { id: 'i-0redirect00000002', port: 80, state: 'healthy' },
      ],
      [redirectInstance, { ...redirectInstance, id: 'i-0redirect00000002' }],
    );
    const frame = await waitForText(show(store, 100, 10).lastFrame, 'DANGER');
    expect(frame).toContain('DANGER i-0redirect00000002 redirect of run');
    expect(frame).not.toContain(`DANGER ${REDIRECT}`);
  });
});
