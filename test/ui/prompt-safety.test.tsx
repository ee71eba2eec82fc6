import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/engine/session-types.js';
import { StoreProvider } from '../../src/store/context.js';
import { App } from '../../src/ui/App.js';
import { KEYS, press, renderInk, waitForFrame, waitForText, type Rendered } from '../helpers/ink.js';
import { commandOptions, fakeSession, LONG_PLAN, newStore, RUNBOOK, type FakeSessionOptions } from './fixtures.js';

/**
 * The prompts that guard production: shown in full at every size, typed names edited the way a
 * terminal sends keys, and no keystroke lost or misread while a command is starting.
 */

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function setup(options: FakeSessionOptions & { columns?: number; rows?: number } = {}) {
  const store = newStore(options.mode ?? 'live');
  const session = fakeSession(store, { mode: 'live', ...options });
  r = renderInk(
    <StoreProvider store={store}>
      <App
        session={session as Session}
        command="dashboard"
        yes={false}
        commandOptions={commandOptions()}
        onExit={() => undefined}
      />
    </StoreProvider>,
    { columns: options.columns ?? 100, rows: options.rows ?? 30 },
  );
  return { store, session, r };
}

/** The text with every space and line break removed, so wrapped text compares with the original. */
const flat = (text: string): string => text.replace(/\s+/g, '');

const TYPED = `This is the first change to production. Type the runbook name (${RUNBOOK}) to go on.`;

describe('safety: every prompt shows in full from 80x24 up', () => {
  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
    [120, 40],
    [160, 50],
    [200, 60],
  ] as const) {
    it(`the typed-name prompt at ${columns}x${rows}: question, the name to type, input and keys`, async () => {
      const { r: app } = setup({ plan: LONG_PLAN, columns, rows });
      await waitForText(app.lastFrame, 'LIVE');
      const frame = await press(app, 'f', 'Type the runbook');
      const step = LONG_PLAN.steps[0]!;
      expect(flat(frame)).toContain(flat(`Step 1/4: ${step.title}`));
      expect(flat(frame)).toContain(flat(TYPED));
      expect(frame).toMatch(/^>/m);
      expect(flat(frame)).toContain(flat('Enter run'));
      expect(flat(frame)).toContain(flat('Esc stop'));
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
      for (const l of lines.filter((x) => /Step 1\/4|Type the|runbook name/.test(x))) expect(l).not.toContain('…');
    });
  }
});

describe('safety: the typed name takes keys the way a terminal sends them', () => {
  it('two backspaces in one read delete two characters', async () => {
    const { r: app, store } = setup();
    await press(app, 'f', 'Type the runbook');
    await press(app, `${RUNBOOK}xx`, `> ${RUNBOOK}xx`);
    app.write('\u007F\u007F');
    await waitForFrame(app.lastFrame, (f) => f.includes(`> ${RUNBOOK}`) && !f.includes(`> ${RUNBOOK}x`));
    await press(app, KEYS.enter, 'Step 2/4');
    expect(store.getState().run.steps[0]?.state).toBe('succeeded');
  });

  it('a pasted name with Enter in the same read runs the step', async () => {
    const { r: app } = setup();
    await press(app, 'f', 'Type the runbook');
    await press(app, `${RUNBOOK}\r`, 'Step 2/4');
  });

  it('control characters in a read are not typed', async () => {
    const { r: app } = setup();
    await press(app, 'f', 'Type the runbook');
    app.write(`shop-\u0001fail\u0002over`);
    await waitForText(app.lastFrame, `> ${RUNBOOK}`);
    await press(app, KEYS.enter, 'Step 2/4');
  });
});

describe('safety: no keystroke is lost in the first seconds', () => {
  it('a name typed right after f, before the prompt is drawn, lands in the prompt', async () => {
    const { r: app } = setup();
    await waitForText(app.lastFrame, 'LIVE');
    app.write('f');
    for (const ch of RUNBOOK) app.write(ch);
    await waitForText(app.lastFrame, `> ${RUNBOOK}`);
    await press(app, KEYS.enter, 'Step 2/4');
  });

  it('keys typed while the failover is still starting go to the name prompt, never to commands', async () => {
    let ready: () => void = () => undefined;
    const preflight = new Promise<void>((resolve) => (ready = resolve));
    const { r: app, store } = setup({ preflight });
    await waitForText(app.lastFrame, 'LIVE');
    app.write('f');
    // "shop-failover" holds p (pause), f (failover) and r (resume); and an early Enter.
    for (const ch of `${RUNBOOK}\r`) app.write(ch);
    await waitForText(app.lastFrame, 'Starting');
    ready();
    const frame = await waitForText(app.lastFrame, `> ${RUNBOOK}`);
    expect(frame).toContain('typed before the prompt appeared');
    // The early Enter did not answer the prompt; nothing else was started or paused.
    expect(store.getState().prompt?.kind).toBe('typed-name');
    expect(store.getState().ui.pauseRequested).toBe(false);
    expect(
      store
        .getState()
        .log.map((l) => l.message)
        .join('\n'),
    ).not.toContain('already running');
    await press(app, KEYS.enter, 'Step 2/4');
  });

  it('a key read together with f starts the failover but never answers its confirmation', async () => {
    const { r: app, store } = setup({ mode: 'sandbox' });
    await waitForText(app.lastFrame, 'SANDBOX');
    app.write('f\r');
    await waitForText(app.lastFrame, 'Step 1/4');
    expect(store.getState().prompt?.kind).toBe('confirm');
    expect(store.getState().run.steps[0]?.state).toBe('pending');
    await press(app, KEYS.enter, 'Step 2/4');
  });
});

describe('safety: the rollback question takes the name the same way', () => {
  it('at 80x24: shown in full; the name typed right after b, then fixed with backspaces in one read, rolls back', async () => {
    const { r: app, store } = setup({ columns: 80, rows: 24 });
    await press(app, 'f', 'Type the runbook');
    await press(app, `${RUNBOOK}\r`, 'Step 2/4');
    for (let i = 2; i <= 4; i++) {
      await waitForText(app.lastFrame, `Step ${i}/4`);
      app.write(KEYS.enter);
    }
    await waitForText(app.lastFrame, 'Failover complete');
    app.write('b');
    for (const ch of `${RUNBOOK}zz`) app.write(ch);
    const frame = await waitForText(app.lastFrame, `> ${RUNBOOK}zz`);
    expect(flat(frame)).toContain(flat(`Type the runbook name (${RUNBOOK}) to roll back production.`));
    expect(flat(frame)).toContain(flat('Esc leave everything as it is'));
    app.write('\u007F\u007F\r');
    await waitForText(app.lastFrame, 'Rollback complete');
    expect(store.getState().run.outcome).toBe('rolled-back');
  });
});
