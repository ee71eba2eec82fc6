import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../src/engine/session-types.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { App } from '../../src/ui/App.js';
import type { TuiCommand } from '../../src/ui/startup.js';
import { KEYS, press, renderInk, waitForFrame, waitForText, type Rendered } from '../helpers/ink.js';
import { exitCodeOf } from '../../src/cli/exit-codes.js';
import { commandOptions, fakeSession, newStore, RUNBOOK, targets, UNFINISHED, type FakeSessionOptions } from './fixtures.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

interface Setup {
  readonly store: AppStore;
  readonly session: ReturnType<typeof fakeSession>;
  readonly onExit: ReturnType<typeof vi.fn<(code: number) => void>>;
  readonly r: Rendered;
}

function setup(options: FakeSessionOptions & { command?: TuiCommand; yes?: boolean; columns?: number; rows?: number; extra?: () => void } = {}): Setup {
  const store = newStore(options.mode ?? 'sandbox');
  const session = fakeSession(store, options);
  const onExit = vi.fn<(code: number) => void>();
  const extraKeys = options.extra === undefined ? undefined : [{ key: 'o', label: 'break origins', run: options.extra }];
  r = renderInk(
    <StoreProvider store={store}>
      <App session={session as Session} command={options.command ?? 'dashboard'} yes={options.yes ?? false} extraKeys={extraKeys} commandOptions={commandOptions()} onExit={(ended) => onExit(exitCodeOf(ended))} />
    </StoreProvider>,
    { columns: options.columns ?? 100, rows: options.rows ?? 30 },
  );
  return { store, session, onExit, r };
}

async function confirmAll(rendered: Rendered, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await waitForText(rendered.lastFrame, `Step ${i}/4`);
    rendered.write(KEYS.enter);
  }
}

describe('App', () => {
  it('fails over step by step, then rolls back', async () => {
    const { r: app, session } = setup();
    await waitForText(app.lastFrame, 'Hazards');
    await press(app, 'f', 'Step 1/4: Launch the redirect server');
    await confirmAll(app, 4);
    const done = await waitForText(app.lastFrame, 'Failover complete — maintenance site is live');
    expect(done).toContain('press b to roll back');
    expect(done).toContain('✓ verify-maintenance: maintenance page answers 200 with the marker');
    await press(app, 'b', 'Roll back run run-0001?');
    expect(app.lastFrame()).toContain('Enter/y roll back · n/Esc leave everything as it is');
    await press(app, 'y', 'Rollback complete — site restored');
    expect(session.commands).toEqual(['failover', 'rollback']);
    expect(app.lastFrame()).toContain('rolled back');
  });

  it('live mode asks for the runbook name before the first change', async () => {
    const { r: app, store } = setup({ mode: 'live' });
    await waitForText(app.lastFrame, 'LIVE');
    await press(app, 'f', 'Type the runbook name');
    app.write('y');
    app.write(KEYS.enter);
    await waitForText(app.lastFrame, 'That is not "shop-failover"');
    expect(store.getState().prompt?.kind).toBe('typed-name');
    for (const _ of 'y') app.write(KEYS.backspace);
    for (const ch of RUNBOOK) app.write(ch);
    await waitForText(app.lastFrame, `> ${RUNBOOK}`);
    await press(app, KEYS.enter, 'Step 2/4');
    expect(store.getState().run.steps[0]?.state).toBe('succeeded');
    app.write('n');
    await waitForText(app.lastFrame, 'Run stopped — journaled and resumable');
  });

  it('offers retry, skip and roll back after a failure', async () => {
    const { r: app, store } = setup({ failures: { 'register-redirect': 2, 'deregister-web': 1 } });
    await press(app, 'f', 'Step 1/4');
    await press(app, KEYS.enter, 'Step 2/4');
    await press(app, KEYS.enter, 'failed (attempt 1): AWS is throttling');
    expect(app.lastFrame()).toContain('r retry · s skip · b roll back · q stop');
    expect(app.lastFrame()).toContain('Wait and retry.');
    await press(app, 'r', 'failed (attempt 2)');
    await press(app, 's', 'Step 3/4');
    expect(store.getState().run.steps[1]?.state).toBe('skipped');
    await press(app, KEYS.enter, 'Step deregister-web failed');
    await press(app, 'b', 'Roll back run run-0001?');
    await press(app, KEYS.enter, 'Rollback complete — site restored');
    expect(store.getState().run.steps[0]?.state).toBe('rolled-back');
  });

  it('q during a run asks first; y quits with exit code 1 and stops the pending prompt', async () => {
    const { r: app, onExit, store } = setup();
    await press(app, 'f', 'Step 1/4');
    await press(app, 'q', 'Quit while a run is in progress?');
    await press(app, KEYS.escape, 'Step 1/4');
    expect(onExit).not.toHaveBeenCalled();
    await press(app, 'q', 'Quit while a run is in progress?');
    app.write('y');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(1));
    await waitForFrame(app.lastFrame, () => store.getState().run.outcome === 'aborted');
  });

  it('q with nothing running quits at once with exit code 0', async () => {
    const { r: app, onExit } = setup();
    await waitForText(app.lastFrame, 'Targets');
    app.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(0));
  });

  it('offers an unfinished run at start: resume, roll back or leave', async () => {
    const first = setup({ unfinished: UNFINISHED });
    await waitForText(first.r.lastFrame, 'Unfinished run run-0000');
    expect(first.r.lastFrame()).toContain('r resume · b roll back · l leave');
    await press(first.r, 'l', 'Hazards');
    expect(first.session.commands).toEqual([]);
    first.r.unmount();

    const second = setup({ unfinished: UNFINISHED });
    await waitForText(second.r.lastFrame, 'Unfinished run');
    await press(second.r, 'r', 'Step 1/4');
    expect(second.session.commands).toEqual(['resume']);
  });

  it('shows a refused command as a banner with next steps, and exits 3', async () => {
    const { r: app, onExit } = setup({ refuse: true });
    await press(app, 'f', 'Refused: An unfinished run exists.');
    expect(app.lastFrame()).toContain('Next: Resume it or roll it back first.');
    expect(app.lastFrame()).not.toContain('at ');
    app.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(3));
  });

  it('--yes runs the command without asking and quits when done', async () => {
    const store = newStore();
    const { automaticOperator } = await import('../../src/engine/operator.js');
    const session = fakeSession(store, {}, automaticOperator());
    const onExit = vi.fn<(code: number) => void>();
    r = renderInk(
      <StoreProvider store={store}>
        <App session={session} command="drill" yes commandOptions={commandOptions()} onExit={(ended) => onExit(exitCodeOf(ended))} />
      </StoreProvider>,
    );
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(0));
    expect(session.commands).toEqual(['failover', 'rollback']);
  });

  it('p pauses at the next confirmation', async () => {
    const { r: app, store } = setup();
    await waitForText(app.lastFrame, 'Targets');
    await press(app, 'p', 'PAUSE at next step');
    await press(app, 'f', 'Run stopped');
    expect(store.getState().run.outcome).toBe('aborted');
  });

  it('? shows help with the extra keys; extra keys run', async () => {
    const extra = vi.fn();
    const { r: app } = setup({ extra });
    await waitForText(app.lastFrame, 'o break origins');
    await press(app, '?', 'Keys');
    expect(app.lastFrame()).toContain('break origins');
    await press(app, KEYS.escape, 'Targets');
    app.write('o');
    await vi.waitFor(() => expect(extra).toHaveBeenCalled());
  });

  it('↑/↓ select a step and show its exact calls', async () => {
    const { r: app } = setup({ rows: 40 });
    await waitForText(app.lastFrame, 'Step launch-redirect');
    await press(app, KEYS.down, 'Step register-redirect');
    expect(app.lastFrame()).toContain('elbv2 Opregisterredirect {"TargetGroupArn":"web-tg"}');
  });
});

describe('App layout', () => {
  it('fits 80x24: no line wider than 80 columns, no more than 23 rows, even mid-run', async () => {
    const { r: app, store } = setup({ columns: 80, rows: 24 });
    store.getState().dispatch({ type: 'targets', targets: targets(40), instances: [], at: Date.now() });
    store.getState().dispatch({ type: 'traffic', sample: { second: 1, ok: 50, failed: 2 } });
    await waitForText(app.lastFrame, '34/40 healthy');
    await press(app, 'f', 'Step 1/4');
    for (const frame of [app.lastFrame(), await press(app, '?', 'Keys')]) {
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    }
  });

  it('uses two columns at 120 and more', async () => {
    const { r: app } = setup({ columns: 140, rows: 30 });
    const frame = await waitForText(app.lastFrame, 'Targets');
    const row = frame.split('\n').find((l) => l.includes('Targets'));
    expect(row).toMatch(/Targets.*1\. Launch the redirect server/);
    for (const l of frame.split('\n')) expect([...l].length).toBeLessThanOrEqual(140);
  });

  it('renders 500 targets as a window and scrolls with PgDn', async () => {
    const { r: app, store } = setup({ columns: 100, rows: 30 });
    store.getState().dispatch({ type: 'targets', targets: targets(500), instances: [], at: Date.now() });
    const frame = await waitForText(app.lastFrame, 'of 500 (PgUp/PgDn)');
    // Failing targets (every 7th from 3) come first.
    expect(frame).toMatch(/i-00000000000000003 .*unhealthy/);
    expect(frame).not.toContain('i-00000000000000499');
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
    const scrolled = await press(app, KEYS.pageDown, '11-');
    expect(scrolled).not.toContain('i-00000000000000003 ');
  });
});
