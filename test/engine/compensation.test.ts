import { describe, expect, it } from 'vitest';
import { accessDenied } from '../../src/domain/failures.js';
import { summarize } from '../../src/engine/run-summary.js';
import { EMERGENCY_STEPS, FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, ScriptedOperator, tempDir } from '../helpers/engine.js';

/** Retry each failed step once, then answer 'stop'. */
function retryOnce(): ScriptedOperator {
  const seen = new Set<string>();
  return new ScriptedOperator(
    () => 'run',
    (r) => {
      if (seen.has(r.step.id)) return 'stop';
      seen.add(r.step.id);
      return 'retry';
    },
  );
}

const FORWARD = [
  { Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc' },
];

describe('compensation state is recorded once, from the first attempt', () => {
  it('listener: a retry after ModifyListener went through still restores the original actions on rollback', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const runbook = fakeRunbook([{ type: 'set-listener-redirect' }]);
    const { session } = await openFake(world, runbook, dir, { operator: retryOnce() });
    // Let the step's own read of the listener through, then fail its read-back once (after the change).
    world.failNext('DescribeListeners', accessDenied('elasticloadbalancing:DescribeListeners'), 1, 1);
    expect(await session.failover()).toBe('failed-over');
    expect(world.listenerActions[0]?.['Type']).toBe('redirect');
    const step = summarize(journalIn(dir)).steps[0]!;
    expect(step.attempt).toBe(2);
    expect(step.outputs?.['previousActions']).toEqual(FORWARD);

    expect(await session.rollback()).toBe('rolled-back');
    expect(world.listenerActions).toEqual(FORWARD);
  });

  it('DNS: a retry after the UPSERT went through still restores the original record on rollback', async () => {
    const world = new FakeWorld();
    const original = {
      name: 'www.example.com',
      type: 'CNAME',
      ttl: 60,
      values: ['web-alb.us-east-1.elb.amazonaws.com'],
    };
    world.records.set('www.example.com|CNAME', original);
    const dir = tempDir();
    const { session } = await openFake(world, fakeRunbook([{ type: 'dns-failover' }]), dir, { operator: retryOnce() });
    world.failNext('GetChange', accessDenied('route53:GetChange'), 1);
    expect(await session.failover()).toBe('failed-over');
    expect(world.records.get('www.example.com|CNAME')?.values).toEqual(['maintenance.example.com']);
    expect(summarize(journalIn(dir)).steps[0]?.outputs?.['previous']).toEqual(original);

    expect(await session.rollback()).toBe('rolled-back');
    expect(world.records.get('www.example.com|CNAME')).toEqual(original);
  });

  it('deregister-web: a retry that finds nothing left in service still re-registers every web server on rollback', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, fakeRunbook(EMERGENCY_STEPS), dir, { operator: retryOnce() });
    // The deregistration goes through; the wait's first poll fails, so the step is retried.
    let armed = false;
    world.onCall = (operation) => {
      if (operation !== 'DeregisterTargets' || armed) return;
      armed = true;
      world.failNext('DescribeTargetHealth', accessDenied('elasticloadbalancing:DescribeTargetHealth'), 1);
    };
    expect(await session.failover()).toBe('failed-over');
    const records = journalIn(dir);
    const deregister = summarize(records).steps.find((s) => s.id === 'deregister-web')!;
    expect(deregister.attempt).toBe(2);
    // The second attempt had nothing left to deregister: one DeregisterTargets in all.
    expect(records.filter((r) => r.kind === 'intent' && r.call.operation === 'DeregisterTargets')).toHaveLength(1);
    expect(deregister.outputs?.['targets']).toHaveLength(2);

    expect(await session.rollback()).toBe('rolled-back');
    for (const id of world.webIds()) expect(world.targets.get(id)?.state).toBe('healthy');
  });
});
