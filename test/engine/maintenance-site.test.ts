import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { maintenanceWatcher } from '../../src/engine/maintenance-watch.js';
import { openSession } from '../../src/engine/session.js';
import type { ReadinessRequest, SiteInspector, SiteReadiness, SiteReadinessState } from '../../src/ports/site.js';
import { buildPlan } from '../../src/plan/build.js';
import { discoverEnvironment } from '../../src/plan/environment.js';
import { maintenanceHazards } from '../../src/plan/maintenance-hazards.js';
import { EMERGENCY_STEPS, FakeClock, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { ME, ScriptedOperator, tempDir } from '../helpers/engine.js';

const runbook = fakeRunbook(EMERGENCY_STEPS);

function readiness(state: SiteReadinessState, at = 0): SiteReadiness {
  return {
    state,
    summary: `the copy is ${state}`,
    maxAgeHours: 24,
    ageHours: state === 'stale' ? 30 : 2,
    pages: [],
    at,
  };
}

/** An inspector that answers `state` and records what it was asked. */
function inspector(state: () => SiteReadinessState): SiteInspector & { requests: ReadinessRequest[] } {
  const requests: ReadinessRequest[] = [];
  return { requests, readiness: (r) => (requests.push(r), Promise.resolve(readiness(state()))) };
}

/** What `hotspare plan` shows: the environment read with the maintenance site. */
async function planHazards(state: SiteReadinessState) {
  const world = new FakeWorld();
  const env = await discoverEnvironment(
    runbook,
    { ...world.ports(), site: inspector(() => state) },
    { maintenanceSite: true },
  );
  return { env, hazards: buildPlan(runbook, env).hazards };
}

async function open(state: SiteReadinessState) {
  const world = new FakeWorld();
  const events: EngineEvent[] = [];
  const site = inspector(() => state);
  const session = await openSession({
    loaded: { runbook, file: 'runbooks/fake.yaml', sha256: 'f'.repeat(64) },
    runbook,
    ports: { ...world.ports(), site },
    mode: 'sandbox',
    journalDir: tempDir(),
    emit: (e) => events.push(e),
    operator: new ScriptedOperator(),
    identity: ME,
    pollIntervalMs: 2000,
    healthyTimeoutMs: 300_000,
  });
  return { session, events, site };
}

const warnings = (events: readonly EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));

describe('the maintenance site in plan, preflight and verification', () => {
  it('a stale copy is a plan warning and a preflight warning, and does not stop the failover', async () => {
    const planned = await planHazards('stale');
    expect(planned.hazards.map((h) => [h.code, h.severity])).toContainEqual(['maintenance-stale', 'warning']);
    expect(planned.env.maintenanceSite?.state).toBe('stale');
    const { session, events, site } = await open('stale');
    // The session does not read it on opening (the dashboard's first frame must not wait): preflight does.
    expect(session.env.maintenanceSite).toBeUndefined();
    expect(await session.failover()).toBe('failed-over');
    expect(warnings(events)).toContain('preflight maintenance site: the copy is stale');
    expect(site.requests[0]).toMatchObject({
      url: runbook.maintenance.url,
      maxAgeHours: 24,
      samplePages: 3,
      expectText: runbook.maintenance.expectText,
    });
  });

  it('a broken copy is a danger in the plan, and verify-maintenance does not hold', async () => {
    expect((await planHazards('broken')).hazards[0]).toMatchObject({ code: 'maintenance-broken', severity: 'danger' });
    const { session, events } = await open('broken');
    expect(await session.failover()).toBe('failed');
    const failed = events.find((e) => e.type === 'step-failed');
    expect(failed).toMatchObject({ stepId: 'verify-maintenance' });
    const progress = events.flatMap((e) =>
      e.type === 'step-progress' && e.stepId === 'verify-maintenance' ? [e.message] : [],
    );
    expect(progress.some((m) => m.includes('pages: the copy is broken'))).toBe(true);
  });

  it('a fresh copy adds no hazard and no warning', async () => {
    expect((await planHazards('fresh')).hazards.filter((h) => h.code.startsWith('maintenance-'))).toEqual([]);
    const { session, events } = await open('fresh');
    expect(await session.failover()).toBe('failed-over');
    expect(warnings(events).filter((w) => w.includes('maintenance'))).toEqual([]);
  });

  it('a dry run shows the maintenance site among the preflight checks, as a warning when not fresh', async () => {
    const { session, events } = await open('missing');
    expect(await session.dryRun('failover')).toBe('dry-run-complete');
    expect(warnings(events)).toContain('preflight maintenance site: the copy is missing');
  });

  it('maps each state to its hazard', () => {
    const env = (state: SiteReadinessState) => ({
      discovered: true,
      targetGroup: {} as never,
      webTargets: [],
      webInstances: [],
      maintenanceSite: readiness(state),
    });
    expect(maintenanceHazards(env('fresh'))).toEqual([]);
    expect(maintenanceHazards(env('missing')).map((h) => h.code)).toEqual(['maintenance-missing']);
    expect(maintenanceHazards({ ...env('fresh'), maintenanceSite: undefined })).toEqual([]);
  });
});

describe('maintenanceWatcher (the dashboard)', () => {
  it('reads the manifest only (no pages) at most once a minute, and warns once when the copy turns stale', async () => {
    const clock = new FakeClock();
    const events: EngineEvent[] = [];
    let state: SiteReadinessState = 'fresh';
    const site = inspector(() => state);
    const world = new FakeWorld();
    const watch = maintenanceWatcher({
      ports: { ...world.ports(), clock, site },
      runbook,
      emit: (e) => events.push(e),
    });
    expect((await watch())?.state).toBe('fresh');
    state = 'stale';
    expect((await watch())?.state).toBe('fresh');
    expect(site.requests).toHaveLength(1);
    expect(site.requests[0]?.samplePages).toBe(0);
    clock.t += 60_000;
    expect((await watch())?.state).toBe('stale');
    clock.t += 60_000;
    await watch();
    expect(site.requests).toHaveLength(3);
    expect(warnings(events)).toEqual(['Maintenance site: the copy is stale']);
  });

  it('answers undefined without an inspector', async () => {
    const world = new FakeWorld();
    expect(await maintenanceWatcher({ ports: world.ports(), runbook, emit: () => undefined })()).toBeUndefined();
  });
});
