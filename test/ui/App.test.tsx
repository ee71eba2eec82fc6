import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../../src/engine/session-types.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { App } from '../../src/ui/App.js';
import type { TuiCommand } from '../../src/ui/startup.js';
import { KEYS, press, renderInk, waitForFrame, waitForText, type Rendered } from '../helpers/ink.js';
import { exitCodeOf } from '../../src/cli/output/exit-codes.js';
import { leftRunHint } from '../../src/cli/output/next-commands.js';
import {
  commandOptions,
  fakeSession,
  LONG_PLAN,
  newStore,
  RUN_INSTANCES,
  RUNBOOK,
  targets,
  UNFINISHED,
  type FakeSessionOptions,
} from './fixtures.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

interface Setup {
  readonly store: AppStore;
  readonly session: ReturnType<typeof fakeSession>;
  readonly onExit: ReturnType<typeof vi.fn<(code: number) => void>>;
  readonly r: Rendered;
}

function setup(
  options: FakeSessionOptions & {
    command?: TuiCommand;
    yes?: boolean;
    columns?: number;
    rows?: number;
    extra?: () => void;
    color?: boolean;
    quitHint?: string;
  } = {},
): Setup {
  const store = newStore(options.mode ?? 'sandbox', options.color ?? true, options.quitHint);
  const session = fakeSession(store, options);
  const onExit = vi.fn<(code: number) => void>();
  const extraKeys =
    options.extra === undefined ? undefined : [{ key: 'o', label: 'break origins', run: options.extra }];
  r = renderInk(
    <StoreProvider store={store}>
      <App
        session={session as Session}
        command={options.command ?? 'dashboard'}
        yes={options.yes ?? false}
        extraKeys={extraKeys}
        commandOptions={commandOptions()}
        onExit={(ended) => onExit(exitCodeOf(ended))}
      />
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

  it('the quit question names the real commands the CLI gave it', async () => {
    const hint = leftRunHint({ runbook: 'runbooks/emergency-mode.yaml', sandbox: false, journalDir: '/srv/hotspare' });
    const { r: app } = setup({ quitHint: hint, columns: 200 });
    await press(app, 'f', 'Step 1/4');
    await press(app, 'q', 'Quit while a run is in progress?');
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('`hotspare resume runbooks/emergency-mode.yaml --journal-dir /srv/hotspare` goes on');
    expect(frame).not.toContain('RUNBOOK');
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
        <App
          session={session}
          command="drill"
          yes
          commandOptions={commandOptions()}
          onExit={(ended) => onExit(exitCodeOf(ended))}
        />
      </StoreProvider>,
    );
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(0));
    expect(session.commands).toEqual(['failover', 'rollback']);
  });

  it('p holds the run at the next confirmation and shows it paused; p again goes on', async () => {
    const { r: app, store } = setup();
    await waitForText(app.lastFrame, 'Targets');
    await press(app, 'p', 'PAUSE at next step');
    const paused = await press(app, 'f', 'Paused before step 1/4');
    expect(paused).toMatch(/‖ 1\. Launch the redirect server paused/);
    expect(paused).toContain('PAUSED');
    expect(paused).not.toMatch(/aborted|stopped/i);
    expect(store.getState().run.outcome).toBeUndefined();
    app.write(KEYS.enter);
    await press(app, 'p', 'Step 1/4: Launch the redirect server — Run it?');
    await confirmAll(app, 4);
    await waitForText(app.lastFrame, 'Failover complete');
  });

  it('--yes with p: the run holds before its next step, then goes on by itself', async () => {
    const store = newStore();
    const { createStoreOperator } = await import('../../src/store/store-operator.js');
    const session = fakeSession(store, {}, createStoreOperator(store, { autoConfirm: true, autoFailure: 'stop' }));
    store.getState().togglePause();
    r = renderInk(
      <StoreProvider store={store}>
        <App session={session} command="failover" yes commandOptions={commandOptions()} onExit={() => undefined} />
      </StoreProvider>,
    );
    await waitForText(r.lastFrame, 'Paused before step 1/4');
    await press(r, 'p', 'Failover complete');
  });

  it('q after a clean finish exits 0, even after a refused command', async () => {
    const { r: app, onExit } = setup({ refuseResume: true });
    await press(app, 'f', 'Step 1/4');
    await confirmAll(app, 4);
    await waitForText(app.lastFrame, 'Failover complete');
    await press(app, 'r', 'Refused: There is no unfinished run');
    app.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledWith(0));
  });

  it('the footer shows the keys that work now', async () => {
    const { r: app } = setup();
    const idle = await waitForText(app.lastFrame, 'Targets');
    expect(idle.split('\n').at(-1)).toMatch(/^f failover {2}b rollback {2}r resume/);
    const asking = await press(app, 'f', 'Step 1/4');
    const footer = asking.split('\n').at(-1) ?? '';
    expect(footer).toMatch(/^Enter\/y run {2}s skip {2}n\/Esc stop/);
    expect(footer).not.toContain('failover');
    app.write(KEYS.enter);
    const running = await waitForText(app.lastFrame, 'Step 2/4');
    expect(running.split('\n').at(-1)).not.toContain('failover');
  });

  it('NO_COLOR: no colour in any frame, the selection and the badge still drawn in reverse video', async () => {
    // SGR colour codes: 30-37/90-97 foreground, 40-47/100-107 background, 38;…/48;… extended.
    const COLOUR = /\u001B\[(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;
    // Ink styles through chalk, which writes nothing to a stream that is not a terminal: force it on.
    const { default: chalk } = await import('chalk');
    const level = chalk.level;
    chalk.level = 3;
    try {
      for (const color of [true, false]) {
        const { r: app } = setup({ color, mode: 'live' });
        await waitForText(app.lastFrame, 'Targets');
        await press(app, 'f', 'Type the runbook');
        const raw = app.frames.join('');
        if (color) expect(raw).toMatch(COLOUR);
        else expect(raw).not.toMatch(COLOUR);
        expect(raw).toContain('\u001B[7m');
        app.unmount();
      }
    } finally {
      chalk.level = level;
    }
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

  for (const [columns, rows] of [
    [120, 40],
    [200, 60],
  ] as const) {
    it(`uses the space at ${columns}x${rows}: nothing cut, few blank rows, the full calls in the step detail`, async () => {
      const { r: app, store } = setup({ columns, rows, plan: LONG_PLAN });
      store.getState().loadPlan(LONG_PLAN);
      store.getState().dispatch({
        type: 'targets',
        targets: targets(3),
        instances: [{ id: 'i-00000000000000001', state: 'running', tags: { Name: 'ウェブ-1' } }],
        at: Date.now(),
      });
      for (let i = 0; i < 40; i++)
        store.getState().dispatch({ type: 'log', level: 'info', message: `poll ${i}`, at: Date.now() });
      const frame = await waitForText(app.lastFrame, 'poll 39');
      const lines = frame.split('\n');
      expect(lines.length).toBe(rows - 1);
      expect(lines.filter((l) => l.trim() === '').length).toBeLessThanOrEqual(3);
      for (const step of LONG_PLAN.steps) expect(frame).toContain(`${step.title} pending ~5 s`);
      expect(frame).not.toMatch(/i-0+\d [^\n]*…/);
      expect(frame.replace(/\s+/g, '')).toContain(JSON.stringify(RUN_INSTANCES.params).replace(/\s+/g, ''));
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
    });
  }

  it('wide characters in a Name tag keep the columns aligned', async () => {
    const { r: app, store } = setup({ columns: 120, rows: 40 });
    store.getState().dispatch({
      type: 'targets',
      targets: targets(2),
      instances: [
        { id: 'i-00000000000000000', state: 'running', tags: { Name: 'ウェブ-0' } },
        { id: 'i-00000000000000001', state: 'running', tags: { Name: 'web-1' } },
      ],
      at: Date.now(),
    });
    const frame = await waitForText(app.lastFrame, 'ウェブ-0');
    const { default: stringWidth } = await import('string-width');
    const column = (id: string): number => {
      const row = frame.split('\n').find((l) => l.startsWith(id)) ?? '';
      return stringWidth(row.slice(0, row.indexOf('us-east-1')));
    };
    expect(column('i-00000000000000000')).toBe(column('i-00000000000000001'));
  });

  it('at 80x24 the step detail says what is hidden; Tab shows the full calls and PgDn scrolls', async () => {
    const { r: app } = setup({ columns: 80, rows: 24, plan: LONG_PLAN });
    const frame = await waitForText(app.lastFrame, 'Targets');
    expect(frame).toMatch(/\+\d+ more lines · Tab shows all/);
    app.write(KEYS.tab);
    let expanded = await waitForFrame(app.lastFrame, (f) => !f.includes('Targets'));
    expect(expanded).toContain('Hazards');
    const seen = new Set<string>();
    for (let i = 0; i < 10 && !seen.has('done'); i++) {
      for (const l of expanded.split('\n')) seen.add(l.trim());
      if (!/\+\d+ more lines/.test(expanded)) seen.add('done');
      else expanded = await press(app, KEYS.pageDown);
    }
    expect([...seen].join('').replace(/\s+/g, '')).toContain(JSON.stringify(RUN_INSTANCES.params).replace(/\s+/g, ''));
    await press(app, KEYS.tab, 'Targets');
  });

  it('hidden steps are counted: "+N more"', async () => {
    const many = {
      ...LONG_PLAN,
      steps: [...LONG_PLAN.steps, ...LONG_PLAN.steps.map((s) => ({ ...s, id: `${s.id}-2` }))],
    };
    const { r: app, store } = setup({ columns: 80, rows: 24, plan: many, mode: 'live' });
    store.getState().loadPlan(many);
    await waitForText(app.lastFrame, 'Targets');
    const frame = await press(app, 'f', 'Type the runbook');
    expect(frame).toMatch(/\+\d more \(↓\)/);
  });

  it('renders 500 targets as a window and scrolls with PgDn', async () => {
    const { r: app, store } = setup({ columns: 100, rows: 30 });
    store.getState().dispatch({ type: 'targets', targets: targets(500), instances: [], at: Date.now() });
    const frame = await waitForText(app.lastFrame, 'more below (PgUp/PgDn)');
    // Failing targets (every 7th from 3) come first.
    expect(frame).toMatch(/i-00000000000000003 .*unhealthy/);
    expect(frame).not.toContain('i-00000000000000499');
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
    const scrolled = await press(app, KEYS.pageDown, 'above (PgUp/PgDn)');
    expect(scrolled).not.toContain('i-00000000000000003 ');
  });
});
