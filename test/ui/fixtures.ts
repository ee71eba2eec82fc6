import type { Mode, RunOutcome } from '../../src/engine/events.js';
import type { Operator } from '../../src/engine/operator.js';
import type { SessionActionOptions } from '../../src/engine/session-action.js';
import type { RunSummary } from '../../src/engine/run-summary.js';
import type { Session } from '../../src/engine/session-types.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import { RefusedError } from '../../src/domain/errors.js';
import type { TargetHealth } from '../../src/ports/index.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { RunEnvironment } from '../../src/domain/types.js';
import { createAppStore, type AppStore } from '../../src/store/app-store.js';
import { createStoreOperator } from '../../src/store/store-operator.js';

export const RUNBOOK = 'shop-failover';
const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef';

export function plannedStep(id: string, type: PlannedStep['type'], title: string, mutating = true): PlannedStep {
  const spec = type === 'manual' ? { type, id, text: 'Post on the status page' } : { type, id };
  return {
    id,
    type,
    title,
    spec: spec as PlannedStep['spec'],
    mutating,
    calls: [{ service: 'elbv2', operation: `Op${id.replace(/-/g, '')}`, params: { TargetGroupArn: 'web-tg' } }],
    undo: mutating ? [] : undefined,
    expectedSeconds: 5,
  };
}

export const PLAN: Plan = {
  runbook: RUNBOOK,
  steps: [
    plannedStep('launch-redirect', 'launch-redirect', 'Launch the redirect server'),
    plannedStep('register-redirect', 'register-redirect', 'Register it in the target group'),
    plannedStep('deregister-web', 'deregister-web', 'Deregister the web servers'),
    plannedStep('verify-maintenance', 'verify-maintenance', 'Verify the maintenance site', false),
  ],
  hazards: [{ code: 'single-web-target', severity: 'warning', message: 'Only one web server is registered' }],
  strategies: [
    {
      strategy: 'redirect-instance',
      title: 'Redirect instance',
      timeToMitigationSeconds: 90,
      dependsOnLoadBalancer: true,
      cost: 't3.micro',
      rollback: 'terminate',
      used: true,
    },
    {
      strategy: 'dns-failover',
      title: 'DNS failover',
      timeToMitigationSeconds: 300,
      dependsOnLoadBalancer: false,
      cost: 'none',
      rollback: 'UPSERT back',
      used: false,
    },
  ],
  expectedSeconds: 60,
};

export const ENV: RunEnvironment = {
  discovered: true,
  account: '123456789012',
  targetGroup: {
    arn: TG_ARN,
    name: 'web-tg',
    protocol: 'HTTP',
    port: 80,
    targetType: 'instance',
    healthCheck: {
      protocol: 'HTTP',
      port: 'traffic-port',
      intervalSeconds: 30,
      timeoutSeconds: 5,
      healthyThreshold: 5,
      unhealthyThreshold: 2,
    },
    deregistrationDelaySeconds: 300,
    loadBalancerArns: [],
  },
  webTargets: [{ id: 'i-0aaaaaaaaaaaaaaa1', port: 80, availabilityZone: 'us-east-1a' }],
  webInstances: [],
};

export const RUNBOOK_DOC = {
  name: RUNBOOK,
  region: 'us-east-1',
  site: { url: 'https://www.example.com/' },
  maintenance: { url: 'https://maint.example.com/', expectText: 'Back soon' },
  loadBalancer: { targetGroup: 'web-tg' },
  webServers: { instanceIds: ['i-0aaaaaaaaaaaaaaa1'] },
  steps: PLAN.steps.map((s) => s.spec),
} as unknown as Runbook;

export function targets(n: number): TargetHealth[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `i-${String(i).padStart(17, '0')}`,
    port: 80,
    availabilityZone: i % 2 === 0 ? 'us-east-1a' : 'us-east-1b',
    state: i % 7 === 3 ? 'unhealthy' : 'healthy',
    reason: i % 7 === 3 ? 'Target.FailedHealthChecks' : undefined,
  }));
}

export function newStore(mode: Mode = 'sandbox', color = true, quitHint?: string): AppStore {
  return createAppStore({ runbook: RUNBOOK, mode, region: 'us-east-1', color, quitHint });
}

export interface FakeSessionOptions {
  readonly mode?: Mode | undefined;
  /** Step id -> how many attempts fail before one succeeds. */
  readonly failures?: Readonly<Record<string, number>> | undefined;
  readonly unfinished?: RunSummary | undefined;
  /** Make failover() throw a RefusedError. */
  readonly refuse?: boolean | undefined;
  /** Make resume() throw a RefusedError (nothing to resume). */
  readonly refuseResume?: boolean | undefined;
  /** The plan to run (default PLAN). */
  readonly plan?: Plan | undefined;
  /** Awaited before a failover starts, like the engine's preflight reads. */
  readonly preflight?: Promise<void> | undefined;
}

export interface FakeSession extends Session {
  readonly commands: string[];
}

/** What the commands of the app need: no dry run, no hold, the fake clock. */
export function commandOptions(): SessionActionOptions {
  return { dryRun: false, holdSeconds: 0, clock: { now, sleep: () => Promise.resolve() }, log: () => undefined };
}

let clock = 1_700_000_000_000;
const now = (): number => (clock += 1000);

/**
 * A Session that behaves like the engine as far as the UI can tell: it asks the operator for each
 * step, emits the events the real engine emits, and rolls back in reverse.
 */
export function fakeSession(
  store: AppStore,
  options: FakeSessionOptions = {},
  operator: Operator = createStoreOperator(store),
): FakeSession {
  const emit = store.getState().dispatch;
  const mode = options.mode ?? 'sandbox';
  const runId = 'run-0001';
  const done: string[] = [];
  const failuresLeft = new Map(Object.entries(options.failures ?? {}));
  const commands: string[] = [];
  const plan = options.plan ?? PLAN;

  async function runStep(step: PlannedStep, attempt: number): Promise<'ok' | 'skip' | 'rollback' | 'stop'> {
    emit({ type: 'step-started', stepId: step.id, attempt, at: now() });
    const call = step.calls[0]!;
    emit({ type: 'call', stepId: step.id, phase: 'intent', call, at: now() });
    const left = failuresLeft.get(step.id) ?? 0;
    if (left > 0) {
      failuresLeft.set(step.id, left - 1);
      const error = {
        name: 'ExternalError',
        kind: 'external' as const,
        code: 'Throttling' as const,
        message: 'AWS is throttling requests',
        retryable: true,
        nextSteps: 'Wait and retry.',
      };
      emit({ type: 'call', stepId: step.id, phase: 'failed', call, error, at: now() });
      emit({ type: 'step-failed', stepId: step.id, attempt, error, at: now() });
      const decision = await operator.onFailure({ step, attempt, error });
      if (decision === 'retry') return runStep(step, attempt + 1);
      if (decision === 'skip') {
        emit({ type: 'step-skipped', stepId: step.id, reason: 'skipped by the operator', at: now() });
        return 'skip';
      }
      return decision;
    }
    emit({ type: 'call', stepId: step.id, phase: 'result', call, requestId: `req-${step.id}`, at: now() });
    if (step.type === 'verify-maintenance')
      emit({
        type: 'verification',
        stepId: step.id,
        holds: true,
        detail: 'maintenance page answers 200 with the marker',
        at: now(),
      });
    emit({ type: 'step-succeeded', stepId: step.id, outputs: {}, at: now() });
    done.push(step.id);
    return 'ok';
  }

  async function rollback(): Promise<RunOutcome> {
    commands.push('rollback');
    const toUndo = PLAN.steps.filter((s) => done.includes(s.id)).reverse();
    if (toUndo.length > 0) {
      const decision = await operator.confirmRollback({
        runId,
        steps: toUndo,
        webHealth: [],
        typeToConfirm: mode === 'live' ? RUNBOOK : undefined,
      });
      if (decision === 'stop') return finish('aborted');
    }
    emit({ type: 'rollback-started', runId, at: now() });
    for (const id of [...done].reverse()) {
      emit({ type: 'undo-started', stepId: id, at: now() });
      emit({ type: 'undo-succeeded', stepId: id, at: now() });
    }
    done.length = 0;
    emit({ type: 'run-finished', runId, outcome: 'rolled-back', at: now() });
    return 'rolled-back';
  }

  async function failover(resumed: boolean): Promise<RunOutcome> {
    emit({ type: 'run-started', runId, runbook: RUNBOOK, mode, at: now(), resumed });
    emit({ type: 'plan', steps: plan.steps, hazards: plan.hazards, strategies: plan.strategies });
    let typed = false;
    for (const [index, step] of plan.steps.entries()) {
      const typeToConfirm = mode === 'live' && step.mutating && !typed ? RUNBOOK : undefined;
      if (typeToConfirm !== undefined) typed = true;
      const decision = await operator.confirmStep({ step, index, total: plan.steps.length, typeToConfirm });
      if (decision === 'stop') return finish('aborted');
      if (decision === 'skip') {
        emit({ type: 'step-skipped', stepId: step.id, reason: 'skipped by the operator', at: now() });
        continue;
      }
      const result = await runStep(step, 1);
      if (result === 'stop') return finish('failed');
      if (result === 'rollback') {
        emit({ type: 'run-finished', runId, outcome: 'failed', at: now() });
        return rollback();
      }
    }
    return finish('failed-over');
  }

  function finish(outcome: RunOutcome): RunOutcome {
    emit({ type: 'run-finished', runId, outcome, at: now() });
    return outcome;
  }

  return {
    runbook: RUNBOOK_DOC,
    mode,
    env: ENV,
    plan,
    commands,
    unfinishedRun: () => options.unfinished,
    latestRun: () => options.unfinished,
    lockHolder: () => undefined,
    failover: async () => {
      commands.push('failover');
      if (options.refuse === true)
        throw new RefusedError('An unfinished run exists.', {
          code: 'UnfinishedRun',
          nextSteps: 'Resume it or roll it back first.',
        });
      if (options.preflight !== undefined) await options.preflight;
      return failover(false);
    },
    resume: async () => {
      commands.push('resume');
      if (options.refuseResume === true)
        throw new RefusedError('There is no unfinished run of this runbook to resume.', { code: 'NothingToResume' });
      return failover(true);
    },
    rollback,
    dryRun: async () => {
      commands.push('dry-run');
      return finish('dry-run-complete');
    },
    abandon: async () => {
      commands.push('abandon');
      return finish('abandoned');
    },
  };
}

export const UNFINISHED: RunSummary = {
  runId: 'run-0000',
  runbook: RUNBOOK,
  runbookFile: 'runbooks/shop.yaml',
  runbookSha256: 'abc',
  mode: 'sandbox',
  operator: { user: 'alice', host: 'ops-1', pid: 42 },
  purpose: 'failover',
  startedAt: 1_700_000_000_000,
  phase: 'stopped',
  steps: [
    { id: 'launch-redirect', type: 'launch-redirect', mutating: true, state: 'succeeded', attempt: 1, calls: [] },
    { id: 'register-redirect', type: 'register-redirect', mutating: true, state: 'pending', attempt: 0, calls: [] },
  ],
};

/** A call as long as a real RunInstances: wider than any terminal, so it must wrap to be read. */
export const RUN_INSTANCES = {
  service: 'ec2',
  operation: 'RunInstances',
  params: {
    ImageId: 'ami-0123456789abcdef0',
    InstanceType: 't3.micro',
    SubnetId: 'subnet-0123456789abcdef0',
    SecurityGroupIds: ['sg-0123456789abcdef0'],
    MinCount: 1,
    MaxCount: 1,
    ClientToken: 'hs-20261124T172242Z-bcad-launch-redirect-t3.micro',
    UserData: 'nginx: 302 every path to https://maintenance.example.com/ (health check / answers 200)',
    Tags: {
      Name: 'hotspare-redirect-shop-failover',
      'hotspare:run': '20261124T172242Z-bcad',
      'hotspare:step': 'launch-redirect',
    },
  },
} as const;

/** PLAN with real-sized titles and calls. */
export const LONG_PLAN: Plan = {
  ...PLAN,
  steps: [
    {
      ...plannedStep(
        'launch-redirect',
        'launch-redirect',
        'Launch the redirect instance (nginx, t3.micro) in subnet-0123456789abcdef0',
      ),
      calls: [
        {
          service: 'ec2',
          operation: 'DescribeInstances',
          params: { Filters: [{ Name: 'tag:hotspare:run', Values: ['20261124T172242Z-bcad'] }] },
          note: 'reuse an instance this run already launched',
        },
        RUN_INSTANCES,
        {
          service: 'ec2',
          operation: 'DescribeInstances',
          params: { InstanceIds: ['<launched>'] },
          note: 'every few seconds until running',
        },
      ],
    },
    {
      ...plannedStep(
        'register-redirect',
        'register-redirect',
        'Register the redirect instance in the target group web-tg on port 80',
      ),
    },
    {
      ...plannedStep(
        'deregister-web',
        'deregister-web',
        'Deregister 3 web server(s) from web-tg, once the redirect instance is healthy',
      ),
    },
    plannedStep('verify-maintenance', 'verify-maintenance', 'Verify the maintenance site is live', false),
  ],
};
