import { afterEach, describe, expect, it } from 'vitest';
import { listJournals, readJournal } from '../../src/engine/journal.js';
import { summarize } from '../../src/engine/run-summary.js';
import { openSession } from '../../src/engine/session.js';
import { timelineMarkdown } from '../../src/cli/commands/timeline.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createAppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { createStoreOperator } from '../../src/store/store-operator.js';
import { App } from '../../src/ui/App.js';
import { ME, tempDir } from '../helpers/engine.js';
import { KEYS, press, renderInk, waitForFrame, type Rendered } from '../helpers/ink.js';
import { sandboxFor, stopAll } from '../sandbox/helpers.js';
import { pause } from '../helpers/wait.js';

/**
 * Declining a rollback after a completed failover changes nothing: the dashboard keeps showing the
 * finished failover (not "Run stopped"), the journal still says failed over, and the timeline has
 * no stop in it. The real engine and the dashboard on the sandbox.
 */
const started: Sandbox[] = [];
let r: Rendered | undefined;
afterEach(async () => {
  r?.unmount();
  await stopAll(started);
});

describe('declining a rollback in the dashboard (sandbox)', () => {
  it('b then n after a failover leaves the finished failover on screen and in the journal', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { speed: 200 });
    const journalDir = tempDir();
    const store = createAppStore({ runbook: sandbox.runbook.name, mode: 'sandbox', region: 'us-east-1' });
    const session = await openSession({
      loaded: { runbook: sandbox.runbook, file: 'runbooks/sandbox.yaml', sha256: 'f'.repeat(64) },
      runbook: sandbox.runbook,
      ports: sandbox.ports,
      mode: 'sandbox',
      journalDir,
      emit: store.getState().dispatch,
      operator: createStoreOperator(store),
      identity: ME,
      pollIntervalMs: sandbox.pollIntervalMs,
      healthyTimeoutMs: sandbox.healthyTimeoutMs,
    });
    const commandOptions = { dryRun: false, holdSeconds: 0, clock: sandbox.ports.clock, log: () => undefined };
    r = renderInk(
      <StoreProvider store={store}>
        <App
          session={session}
          command="failover"
          yes={false}
          commandOptions={commandOptions}
          onExit={() => undefined}
        />
      </StoreProvider>,
      { columns: 200, rows: 60 },
    );
    const app = r;
    // Every step confirmed with Enter (the manual step too: a person is there), until the end.
    for (;;) {
      const frame = await waitForFrame(app.lastFrame, (f) => /Run it\?|Done\?|Failover complete/.test(f), 20_000);
      if (frame.includes('Failover complete')) break;
      app.write(KEYS.enter);
      await pause(30);
    }
    const finishedAt = store.getState().run.finishedAt;

    await press(app, 'b', 'Roll back run');
    app.write('n');
    await waitForFrame(app.lastFrame, (f) => !f.includes('Roll back run'));
    // The engine's answer to "no" has landed: the session is idle again.
    await waitForFrame(app.lastFrame, () => !store.getState().ui.busy);
    const declined = await waitForFrame(app.lastFrame, (f) => f.includes('Rollback not confirmed: nothing was undone'));
    expect(declined).not.toContain('Run stopped');
    expect(declined).toContain('press b to roll back');
    expect(store.getState().run).toMatchObject({ phase: 'finished', outcome: 'failed-over', finishedAt });

    const journal = listJournals(journalDir).at(-1)!;
    const records = readJournal(journal).records;
    expect(summarize(records).phase).toBe('failed-over');
    expect(timelineMarkdown(records)).not.toMatch(/aborted|stopped/i);
  }, 60_000);
});
