import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maintenanceRefreshKey } from '../../src/cli/sandbox/maintenance-key.js';
import { httpsProvisionKey } from '../../src/cli/sandbox/provision-key.js';
import { startMonitor, type Monitor } from '../../src/engine/monitor.js';
import { openSession } from '../../src/engine/session.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createAppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { createStoreOperator } from '../../src/store/store-operator.js';
import { App } from '../../src/ui/App.js';
import { ME, tempDir } from '../helpers/engine.js';
import { renderInk, stripAnsi, type Rendered } from '../helpers/ink.js';
import { flat } from '../helpers/tmux.js';
import { waitUntil } from '../helpers/wait.js';
import { sandboxFor, stopAll } from './helpers.js';

const started: Sandbox[] = [];
let r: Rendered | undefined;
let monitor: Monitor | undefined;
afterEach(async () => {
  monitor?.stop();
  r?.unmount();
  await stopAll(started);
});

describe('the https:// maintenance site on the sandbox dashboard', () => {
  it('shows the hazard of a host with no distribution; h provisions it and the row follows to ready', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['no-distribution'], speed: 100 });
    await sandbox.maintenanceReady;
    const journalDir = tempDir();
    const store = createAppStore({ runbook: sandbox.runbook.name, mode: 'sandbox', region: 'us-east-1' });
    const dispatch = store.getState().dispatch;
    const session = await openSession({
      loaded: { runbook: sandbox.runbook, file: 'runbooks/sandbox.yaml', sha256: 'f'.repeat(64) },
      runbook: sandbox.runbook,
      ports: sandbox.ports,
      mode: 'sandbox',
      journalDir,
      emit: dispatch,
      operator: createStoreOperator(store),
      identity: ME,
      pollIntervalMs: sandbox.pollIntervalMs,
      healthyTimeoutMs: sandbox.healthyTimeoutMs,
    });
    monitor = startMonitor({
      ports: sandbox.ports,
      runbook: sandbox.runbook,
      env: session.env,
      emit: dispatch,
      intervalMs: sandbox.pollIntervalMs,
      readinessIntervalMs: 60_000 / sandbox.speed,
    });
    const extraKeys = [maintenanceRefreshKey(sandbox, dispatch), httpsProvisionKey(sandbox, dispatch, journalDir)];
    const commandOptions = { dryRun: false, holdSeconds: 0, clock: sandbox.ports.clock, log: () => undefined };
    r = renderInk(
      <StoreProvider store={store}>
        <App
          session={session}
          command="dashboard"
          yes={false}
          extraKeys={extraKeys}
          commandOptions={commandOptions}
          onExit={() => undefined}
        />
      </StoreProvider>,
      { columns: 200, rows: 60 },
    );
    const app = r;
    const flatFrame = (): string => flat(stripAnsi(app.lastFrame() ?? ''));
    const until = (what: string, ok: (f: string) => boolean, timeoutMs = 20_000) =>
      waitUntil(flatFrame, ok, { what, timeoutMs });

    // The hazard: the row says what is wrong, the log why and what to do.
    await until('the HTTPS hazard', (f) => f.includes('✗maintenancesitebrokenHTTPS✗certificaterefused,nodistribution'));
    const logged = (): string =>
      store
        .getState()
        .log.map((l) => l.message)
        .join('\n');
    expect(logged()).toContain(
      'No CloudFront distribution with maintenance.sandbox.invalid as an alternate domain name',
    );
    expect(flatFrame()).toContain(flat('Run `hotspare site provision RUNBOOK` ahead of the outage'));

    app.write('h');
    await until(
      'the provisioning to finish',
      (f) => /maintenance\.sandbox\.invalidisservedbydistributionE[A-Z0-9]+/.test(f),
      30_000,
    );
    expect(logged()).toContain('Maintenance HTTPS 1/5: Request an ACM certificate for maintenance.sandbox.invalid');
    expect(logged()).toMatch(/Maintenance HTTPS: certificate PENDING_VALIDATION/);
    // The row follows: the new distribution deploys, then it is ready.
    const ready = await until('HTTPS ready', (f) => /snapshot\d+minoldHTTPS✓cert\d+d,Deployed/.test(f), 30_000);
    expect(ready).not.toContain('maintenancesitebroken');
    const records = readFileSync(join(journalDir, 'provision', 'sandbox-drill.jsonl'), 'utf8');
    expect(records).toContain('CreateDistribution');
    expect(statSync(join(journalDir, 'provision', 'sandbox-drill.jsonl')).mode & 0o777).toBe(0o600);

    // A second press changes nothing.
    app.write('h');
    await until('nothing to change', (f) =>
      f.includes(flat('Maintenance HTTPS: nothing to change for maintenance.sandbox.invalid.')),
    );
    expect((await sandbox.edge.distributions.listDistributions()).length).toBe(1);
  });
});
