import { afterEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/domain/errors.js';
import { accessDenied, insufficientCapacity, throttled } from '../../src/domain/failures.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { get, launchRunning, launchSpecFor, sandboxFor, stopAll, targetGroupArn, waitFor } from './helpers.js';

const started: Sandbox[] = [];
afterEach(() => stopAll(started));

/** The error a call rejects with. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function sameFailure(actual: unknown, expected: ExternalError): void {
  expect(actual).toBeInstanceOf(ExternalError);
  const error = actual as ExternalError;
  expect({ code: error.code, message: error.message, retryable: error.retryable, nextSteps: error.nextSteps }).toEqual({
    code: expected.code,
    message: expected.message,
    retryable: expected.retryable,
    nextSteps: expected.nextSteps,
  });
}

describe('faults', () => {
  it('throttle: every third call of each Describe* operation is throttled (a retry of it goes through)', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['throttle'] });
    const { lb, compute } = sandbox.ports;
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const calls = [
      () => lb.describeTargetHealth(arn),
      () => lb.describeTargetHealth(arn),
      () => lb.describeListener(sandbox.runbook.loadBalancer.listener!),
      () => lb.describeTargetHealth(arn),
      () => lb.describeTargetHealth(arn),
      () => compute.describeInstances({}),
      () => compute.describeInstances({}),
      () => compute.describeInstances({}),
    ];
    const outcomes: unknown[] = [];
    for (const call of calls)
      outcomes.push(
        await call().then(
          () => 'ok',
          (error: unknown) => error,
        ),
      );
    // targetGroupArn() made the first DescribeTargetGroups call only: DescribeTargetHealth counts from 1 here.
    expect(outcomes.map((o) => (o === 'ok' ? 'ok' : (o as { code?: string }).code))).toEqual([
      'ok',
      'ok',
      'ok',
      'Throttling',
      'ok',
      'ok',
      'ok',
      'Throttling',
    ]);
    sameFailure(outcomes[3], throttled('DescribeTargetHealth'));
    sameFailure(outcomes[7], throttled('DescribeInstances'));
  });

  it('capacity: the primary instance type has none; a fallback type launches', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['capacity'] });
    const error = await failure(() => sandbox.ports.compute.runInstance(launchSpecFor(sandbox)));
    sameFailure(error, insufficientCapacity('t3.micro', 'us-east-1a'));
    const fallback = await sandbox.ports.compute.runInstance(launchSpecFor(sandbox, { instanceType: 't3a.micro' }));
    expect(fallback.instance.instanceType).toBe('t3a.micro');
  });

  it('access-denied: RegisterTargets is refused', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['access-denied'] });
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const id = await launchRunning(sandbox);
    const error = await failure(() => sandbox.ports.lb.registerTargets(arn, [{ id }]));
    sameFailure(error, accessDenied('elasticloadbalancing:RegisterTargets', arn));
  });

  it('redirect-unhealthy: redirect servers fail their health check and never turn healthy', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['redirect-unhealthy'] });
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    const id = await launchRunning(sandbox);
    await sandbox.ports.lb.registerTargets(arn, [{ id }]);
    const health = await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.find((t) => t.id === id)?.state === 'unhealthy',
    );
    expect(health.find((t) => t.id === id)).toMatchObject({ reason: 'Target.ResponseCodeMismatch' });
  });

  it('origin-500: the web servers answer 500 from the start and go unhealthy', async () => {
    const sandbox = await sandboxFor(started, 'sandbox', { faults: ['origin-500'] });
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    expect((await get(sandbox.runbook.site.url)).status).toBe(500);
    await waitFor(
      () => sandbox.ports.lb.describeTargetHealth(arn),
      (all) => all.every((t) => t.state === 'unhealthy'),
    );
    expect((await get(sandbox.runbook.site.url)).status).toBe(500);
  });

  it('with no faults nothing fails', async () => {
    const sandbox = await sandboxFor(started);
    const arn = await targetGroupArn(sandbox.ports, sandbox.runbook);
    for (let i = 0; i < 6; i += 1) await sandbox.ports.lb.describeTargetHealth(arn);
    const id = await launchRunning(sandbox);
    await expect(sandbox.ports.lb.registerTargets(arn, [{ id }])).resolves.toHaveProperty('requestId');
  });
});
