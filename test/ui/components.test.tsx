import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { EventLog } from '../../src/ui/EventLog.js';
import { Header } from '../../src/ui/Header.js';
import { HelpOverlay } from '../../src/ui/HelpOverlay.js';
import { Panel } from '../../src/ui/Panel.js';
import { usePanelModel } from '../../src/ui/use-panel-model.js';
import { ProbePanel } from '../../src/ui/ProbePanel.js';
import { StepList } from '../../src/ui/StepList.js';
import { HeadedTable } from './headed-table.js';
import { renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import type { RunSummary } from '../../src/engine/run-summary.js';
import { newStore, PLAN, RUNBOOK, targets, UNFINISHED } from './fixtures.js';

/** The panel as the app draws it, from the store. */
function StorePanel({
  rows,
  width = 100,
  offer,
}: {
  readonly rows: number;
  readonly width?: number;
  readonly offer?: RunSummary;
}): ReactNode {
  return <Panel model={usePanelModel(offer, width)} rows={rows} width={width} />;
}

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function show(store: AppStore, node: ReactNode, columns = 100): Rendered {
  r = renderInk(<StoreProvider store={store}>{node}</StoreProvider>, { columns, rows: 30 });
  return r;
}

const error = {
  name: 'ExternalError',
  kind: 'external' as const,
  code: 'AccessDenied' as const,
  message: 'Access denied',
  retryable: false,
  nextSteps: 'Grant it.',
};

describe('Header', () => {
  it('shows runbook, mode badge, region, account, lock holder and the incident clock', async () => {
    const store = newStore('live');
    store.getState().dispatch({ type: 'environment', env: { ...(await import('./fixtures.js')).ENV } });
    store
      .getState()
      .setLockHolder({ user: 'bob', host: 'ops-2', pid: 1, runbook: RUNBOOK, command: 'failover', since: 0 });
    store.getState().dispatch({
      type: 'run-started',
      runId: 'r',
      runbook: RUNBOOK,
      mode: 'live',
      at: Date.now() - 65_000,
      resumed: false,
    });
    const frame = await waitForText(show(store, <Header />).lastFrame, '00:01:0');
    expect(frame).toContain(`${RUNBOOK}  LIVE  us-east-1 acct 123456789012 lock bob@ops-2 (failover)`);
  });
});

describe('TargetTable', () => {
  it('lists targets with Name, AZ, port, state and reason, health counts, listener and age', async () => {
    const store = newStore();
    store.getState().dispatch({
      type: 'targets',
      targets: targets(4),
      instances: [{ id: 'i-00000000000000003', state: 'running', tags: { Name: 'web-3' } }],
      listener: {
        arn: 'l',
        loadBalancerArn: 'lb',
        port: 80,
        protocol: 'HTTP',
        defaultActions: [{ Type: 'redirect', RedirectConfig: { StatusCode: 'HTTP_302', Host: 'maint.example.com' } }],
      },
      at: Date.now() - 4000,
    });
    const frame = await waitForText(show(store, <HeadedTable rows={10} width={100} />).lastFrame, 'web-3');
    expect(frame).toContain('3/4 healthy · 1 unhealthy · listener: redirect 302 → maint.example.com');
    expect(frame).toMatch(/updated [45] s ago/);
    expect(frame).toMatch(/i-00000000000000003 +web-3 +us-east-1b +80 +unhealthy Target.FailedHealthChecks/);
    expect(frame).not.toContain('PgUp');
  });

  it('windows 500 targets to the rows it has', async () => {
    const store = newStore();
    store.getState().dispatch({ type: 'targets', targets: targets(500), instances: [], at: Date.now() });
    const frame = await waitForText(
      show(store, <HeadedTable rows={8} width={100} />).lastFrame,
      '+493 more below (PgUp/PgDn)',
    );
    expect(frame.split('\n')).toHaveLength(10);
  });
});

describe('ProbePanel', () => {
  it('shows status, latency, redirect location, marker and a sparkline; traffic with totals', async () => {
    const store = newStore();
    const d = store.getState().dispatch;
    d({ type: 'probe', name: 'site', result: { url: 's', at: 1, status: 502, latencyMs: 40 } });
    d({
      type: 'probe',
      name: 'site',
      result: { url: 's', at: 2, status: 302, location: 'https://maint.example.com/', latencyMs: 12 },
    });
    d({
      type: 'probe',
      name: 'maintenance',
      result: { url: 'm', at: 2, status: 200, latencyMs: 8, markerFound: true },
    });
    d({ type: 'traffic', sample: { second: 1, ok: 10, failed: 5 } });
    d({ type: 'traffic-summary', total: 1234, failed: 56 });
    const frame = await waitForText(show(store, <ProbePanel width={100} />).lastFrame, 'traffic');
    expect(frame).toMatch(/site +302 +12 ms +×\S/);
    expect(frame).toContain('→ https://maint.example.com/');
    expect(frame).toMatch(/maintenance +200 +8 ms .*marker ✓/);
    expect(frame).toContain('served');
    expect(frame).toContain('10/s');
    expect(frame).toContain('5/s');
    expect(frame).toContain('total 1234, failed 56');
  });
});

describe('StepList', () => {
  it('shows each state with its marker; a running step spins with elapsed time and progress', async () => {
    const store = newStore();
    const d = store.getState().dispatch;
    store.getState().loadPlan(PLAN);
    const now = Date.now();
    d({ type: 'step-started', stepId: 'launch-redirect', attempt: 1, at: now - 5000 });
    d({ type: 'step-succeeded', stepId: 'launch-redirect', outputs: {}, at: now - 3000 });
    d({ type: 'step-started', stepId: 'register-redirect', attempt: 2, at: now - 12_000 });
    d({ type: 'step-progress', stepId: 'register-redirect', message: '1/2 healthy', at: now });
    d({ type: 'step-skipped', stepId: 'deregister-web', reason: 'operator', at: now });
    d({ type: 'step-failed', stepId: 'verify-maintenance', attempt: 1, error, at: now });
    const frame = await waitForText(show(store, <StepList rows={10} width={100} />).lastFrame, '1/2 healthy');
    expect(frame).toContain('✓ 1. Launch the redirect server done 2 s');
    expect(frame).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 2\. Register it in the target group running 1[23] s attempt 2 · 1\/2 healthy/);
    expect(frame).toContain('↷ 3. Deregister the web servers skipped');
    expect(frame).toContain('✗ 4. Verify the maintenance site failed');
    d({ type: 'undo-succeeded', stepId: 'launch-redirect', at: now });
    expect(await waitForText(r!.lastFrame, '↺ 1.')).toContain('rolled back');
  });
});

describe('StepDetail', () => {
  it('shows hazards and strategies before the run, then calls made with request ids', async () => {
    const store = newStore();
    store.getState().loadPlan(PLAN);
    const rendered = show(store, <StorePanel rows={20} />);
    const before = await waitForText(rendered.lastFrame, 'Hazards');
    expect(before).toContain('Only one web server is registered');
    expect(before).toContain('▸ Redirect instance: ~90 s · ALB · t3.micro · terminate');
    expect(before).toContain('Will call:');
    expect(before).toContain('· elbv2 Oplaunchredirect {"TargetGroupArn":"web-tg"}');
    const d = store.getState().dispatch;
    d({ type: 'run-started', runId: 'r', runbook: RUNBOOK, mode: 'sandbox', at: 1, resumed: false });
    d({ type: 'call', stepId: 'launch-redirect', phase: 'intent', call: PLAN.steps[0]!.calls[0]!, at: 2 });
    d({
      type: 'call',
      stepId: 'launch-redirect',
      phase: 'result',
      call: PLAN.steps[0]!.calls[0]!,
      requestId: 'req-42',
      at: 3,
    });
    const after = await waitForText(rendered.lastFrame, 'req-42');
    expect(after).not.toContain('Hazards');
    expect(after).toContain('✓ elbv2 Oplaunchredirect');
  });
});

describe('prompts in the panel', () => {
  it('asks to run a step with its exact calls and keys', async () => {
    const store = newStore();
    void store.getState().askConfirm({ step: PLAN.steps[1]!, index: 1, total: 4 });
    const frame = await waitForText(show(store, <StorePanel rows={6} />).lastFrame, 'Step 2/4');
    expect(frame).toContain('Register it in the target group — Run it?');
    expect(frame).toContain('Enter/y run · s skip · n/Esc stop');
  });

  it('shows a failure with next steps and its keys', async () => {
    const store = newStore();
    void store.getState().askFailure({ step: PLAN.steps[0]!, attempt: 3, error });
    const frame = await waitForText(show(store, <StorePanel rows={6} />).lastFrame, 'failed');
    expect(frame).toContain('Step launch-redirect failed (attempt 3): Access denied');
    expect(frame).toContain('Grant it.');
    expect(frame).toContain('r retry · s skip · b roll back · q stop');
  });
});

describe('EventLog', () => {
  it('shows the newest lines with times', async () => {
    const store = newStore();
    for (let i = 0; i < 5; i++)
      store.getState().dispatch({ type: 'log', level: 'info', message: `line ${i}`, at: i * 1000 });
    const frame = await waitForText(show(store, <EventLog maxLines={2} width={100} />).lastFrame, 'line 4');
    expect(frame.split('\n')).toHaveLength(2);
    expect(frame).toMatch(/\d\d:\d\d:03 line 3/);
  });
});

describe('HelpOverlay', () => {
  it('lists every key including extra ones', async () => {
    const frame = await waitForText(
      show(newStore(), <HelpOverlay extraKeys={[{ key: 'o', label: 'break origins' }]} maxLines={30} width={100} />)
        .lastFrame,
      'Keys',
    );
    for (const text of ['start the failover', 'roll back', 'resume', 'pause', 'break origins', 'quit'])
      expect(frame).toContain(text);
  });
});

describe('Panel banners', () => {
  it('an error banner shows next steps, and a stack only for bugs', async () => {
    const store = newStore();
    store.getState().showError(
      new (await import('../../src/domain/errors.js')).ExternalError('Throttled', {
        code: 'Throttling',
        nextSteps: 'Wait.',
      }),
    );
    const rendered = show(store, <StorePanel rows={12} />);
    const external = await waitForText(rendered.lastFrame, 'Error: Throttled');
    expect(external).toContain('Next: Wait.');
    expect(external).not.toMatch(/\bat /);
    store.getState().showError(new Error('kaboom'));
    const bug = await waitForText(rendered.lastFrame, 'hotspare hit a bug: kaboom');
    expect(bug).toMatch(/\bat /);
  });

  it('rollback incomplete lists what could not be undone', async () => {
    const store = newStore();
    store.getState().dispatch({
      type: 'run-finished',
      runId: 'r',
      outcome: 'rollback-incomplete',
      at: 1,
      failures: ['launch-redirect: terminate failed'],
    });
    const frame = await waitForText(show(store, <StorePanel rows={8} />).lastFrame, 'Rollback incomplete');
    expect(frame).toContain('✗ launch-redirect: terminate failed');
  });

  it('offers an unfinished run', async () => {
    const store = newStore();
    store.getState().setOverlay('offer');
    const frame = await waitForText(
      show(store, <StorePanel rows={8} offer={UNFINISHED} />).lastFrame,
      'Unfinished run',
    );
    expect(frame).toContain('alice@ops-1');
    expect(frame).toContain('1/2 steps done');
  });
});
