import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/engine/session.js';
import { createAppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { createStoreOperator } from '../../src/store/store-operator.js';
import { App } from '../../src/ui/App.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { ME, tempDir } from '../helpers/engine.js';
import { KEYS, press, renderInk, waitForText, type Rendered } from '../helpers/ink.js';
import { pause } from '../helpers/wait.js';

let r: Rendered | undefined;
afterEach(() => r?.unmount());

/** The dashboard on the real engine, in live mode, against the in-memory account. */
async function liveApp(world: FakeWorld) {
  const runbook = fakeRunbook(EMERGENCY_STEPS);
  const store = createAppStore({ runbook: runbook.name, mode: 'live', region: 'us-east-1' });
  const session = await openSession({
    loaded: { runbook, file: 'runbooks/fake.yaml', sha256: 'f'.repeat(64) },
    runbook,
    ports: world.ports(),
    mode: 'live',
    journalDir: tempDir(),
    emit: store.getState().dispatch,
    operator: createStoreOperator(store),
    identity: ME,
    pollIntervalMs: 2000,
    healthyTimeoutMs: 300_000,
  });
  const commandOptions = { dryRun: false, holdSeconds: 0, clock: world.clock, log: () => undefined };
  r = renderInk(
    <StoreProvider store={store}>
      <App session={session} command="dashboard" yes={false} commandOptions={commandOptions} onExit={() => undefined} />
    </StoreProvider>,
    { columns: 200, rows: 60 },
  );
  return { app: r, runbook, store };
}

/** Type a name into the prompt's input once it is there (its key handler subscribes after the first frame). */
async function typeName(app: Rendered, name: string): Promise<void> {
  await pause(50);
  for (const ch of name) app.write(ch);
  await waitForText(app.lastFrame, `> ${name}`);
}

async function failOver(app: Rendered, name: string): Promise<void> {
  await press(app, 'f', 'type the name, Enter run');
  await typeName(app, name);
  await press(app, KEYS.enter, 'Step 2/5');
  await press(app, KEYS.enter, 'Step 4/5');
  await press(app, KEYS.enter, 'Failover complete');
}

describe('rollback from the live dashboard', () => {
  it('asks first: what will be undone with its calls, the web servers now, the name typed, then each undo', async () => {
    const world = new FakeWorld();
    const { app, runbook, store } = await liveApp(world);
    await failOver(app, runbook.name);
    const mutationsBefore = world.calls.filter((c) =>
      /^(RegisterTargets|DeregisterTargets|TerminateInstances)$/.test(c),
    ).length;

    const asked = await press(app, 'b', 'Roll back run');
    expect(asked).toContain('Traffic goes back to the web servers');
    expect(asked).toContain('↶ deregister-web');
    expect(asked).toContain('elbv2 RegisterTargets');
    expect(asked).toContain('ec2 TerminateInstances');
    expect(asked).toMatch(/web i-0+1: draining/);
    expect(asked).toContain(`Type the runbook name (${runbook.name}) to roll back production`);
    // Nothing is undone while the question is up, and a wrong answer changes nothing.
    await typeName(app, 'y');
    app.write(KEYS.enter);
    await waitForText(app.lastFrame, `That is not "${runbook.name}"`);
    expect(world.calls.filter((c) => /^(RegisterTargets|DeregisterTargets|TerminateInstances)$/.test(c)).length).toBe(
      mutationsBefore,
    );

    app.write(KEYS.backspace);
    await typeName(app, runbook.name);
    await press(app, KEYS.enter, 'Undo 1/3');
    expect(app.lastFrame()).toContain('Undo it?');
    await press(app, KEYS.enter, 'Undo 2/3');
    await press(app, KEYS.enter, 'Undo 3/3');
    await press(app, KEYS.enter, 'Rollback complete');
    expect(store.getState().run.outcome).toBe('rolled-back');
    for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
  });

  it('Esc at the question leaves everything as it is', async () => {
    const world = new FakeWorld();
    const { app, runbook, store } = await liveApp(world);
    await failOver(app, runbook.name);
    const callsBefore = world.calls.length;
    await press(app, 'b', 'Roll back run');
    await press(app, KEYS.escape, 'Rollback not confirmed: nothing was undone');
    expect(
      world.calls.slice(callsBefore).filter((c) => /^(RegisterTargets|DeregisterTargets|TerminateInstances)$/.test(c)),
    ).toEqual([]);
    expect(store.getState().prompt).toBeUndefined();
  });

  it('warns when the web servers still registered fail their health checks', async () => {
    const world = new FakeWorld();
    const { app, runbook } = await liveApp(world);
    await failOver(app, runbook.name);
    // A web server back in the group (another operator) and failing its checks.
    const web = world.webIds()[0]!;
    world.targets.set(web, { id: web, port: 80, az: 'us-east-1a', state: 'unhealthy', since: world.clock.now() });
    const asked = await press(app, 'b', 'Roll back run');
    expect(asked).toContain('fail their health checks');
    expect(asked).toContain(`web ${web}: unhealthy`);
  });
});
