import { describe, expect, it } from 'vitest';
import { EVERY_PATH } from '../../src/domain/listener-rules.js';
import type { ListenerRule } from '../../src/ports/index.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, tempDir } from '../helpers/engine.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc';
const LISTENER_RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/1/2';
const OFFICE = ['203.0.113.0/24', '198.51.100.0/25'];

function apiRule(priority: number): ListenerRule {
  return {
    arn: `${LISTENER_RULE}/api${priority}`,
    priority,
    conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
    actions: [{ Type: 'forward', TargetGroupArn: TG }],
  };
}

function withBypass(steps: Runbook['steps'], cidrs: readonly string[] = OFFICE): Runbook {
  const base = fakeRunbook(steps);
  return { ...base, loadBalancer: { ...base.loadBalancer, staffBypass: [...cidrs] } };
}

const listenerRedirect = (cidrs?: readonly string[]) =>
  withBypass([{ type: 'set-listener-redirect' }, { type: 'verify-maintenance' }], cidrs);

function sourceIps(rule: ListenerRule | undefined): unknown {
  return (rule?.conditions[0]?.['SourceIpConfig'] as { Values?: unknown } | undefined)?.Values;
}

describe('staff bypass on the listener strategies', () => {
  it('a source-ip rule forwarding to the web target group is created before the redirect, ahead of the cover; rollback deletes it last', async () => {
    const world = new FakeWorld();
    world.rules = [apiRule(10)];
    const { session } = await openFake(world, listenerRedirect(), tempDir());
    expect(session.plan.hazards.find((h) => h.code === 'staff-bypass')?.message).toContain(
      'first adds 1 rule(s) at priority 1 forwarding 203.0.113.0/24, 198.51.100.0/25 to web-tg',
    );
    expect(session.plan.hazards.find((h) => h.code === 'rules-covered')?.message).toContain(
      'adds a rule at priority 2',
    );
    expect(await session.failover()).toBe('failed-over');

    const bypass = world.rules.find((r) => r.priority === 1);
    expect(bypass?.conditions).toEqual([{ Field: 'source-ip', SourceIpConfig: { Values: OFFICE } }]);
    expect(bypass?.actions).toEqual([{ Type: 'forward', TargetGroupArn: TG }]);
    const cover = world.rules.find((r) => r.priority === 2);
    expect(cover?.conditions).toEqual(EVERY_PATH);
    expect(world.listenerActions[0]?.['Type']).toBe('redirect');
    const mutations = world.calls.filter((c) => ['CreateRule', 'ModifyListener', 'DeleteRule'].includes(c));
    expect(mutations).toEqual(['CreateRule', 'CreateRule', 'ModifyListener']);

    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual([apiRule(10)]);
    expect(world.listenerActions).toEqual([{ Type: 'forward', TargetGroupArn: TG }]);
    const undo = world.calls.filter((c) => ['CreateRule', 'ModifyListener', 'DeleteRule'].includes(c)).slice(3);
    expect(undo).toEqual(['DeleteRule', 'ModifyListener', 'DeleteRule']);
  });

  it('more CIDRs than one rule may match (5, AWS) take one rule per five, all deleted on rollback', async () => {
    const world = new FakeWorld();
    const cidrs = Array.from({ length: 7 }, (_, i) => `10.${i}.0.0/16`);
    const { session } = await openFake(world, listenerRedirect(cidrs), tempDir());
    expect(await session.failover()).toBe('failed-over');
    expect(world.rules.map((r) => [r.priority, sourceIps(r)])).toEqual([
      [1, cidrs.slice(0, 5)],
      [2, cidrs.slice(5)],
    ]);
    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual([]);
  });

  it('a lost CreateRule answer: the retry finds the bypass rule it made instead of creating a second', async () => {
    const world = new FakeWorld();
    world.loseNextAnswer('CreateRule');
    const dir = tempDir();
    const { session } = await openFake(world, listenerRedirect(), dir, {
      operator: { confirmStep: async () => 'run', onFailure: async () => 'retry', confirmRollback: async () => 'run' },
    });
    expect(await session.failover()).toBe('failed-over');
    expect(world.rules).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'CreateRule')).toHaveLength(1);
    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual([]);
    expect(journalIn(dir).at(-1)).toMatchObject({ kind: 'rollback-finished', outcome: 'rolled-back' });
  });

  it('the journal carries the bypass (listener, target group, CIDRs) before the first CreateRule is sent', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, listenerRedirect(), dir);
    expect(await session.failover()).toBe('failed-over');
    const intent = journalIn(dir).find((r) => r.kind === 'intent' && r.call.operation === 'CreateRule');
    expect(intent?.kind === 'intent' ? intent.before : undefined).toMatchObject({
      bypass: { listenerArn: fakeRunbook([]).loadBalancer.listener, targetGroupArn: TG, cidrs: OFFICE },
    });
  });

  it('rollback after the bypass rule was deleted by hand still restores the listener and says so', async () => {
    const world = new FakeWorld();
    const dir = tempDir();
    const { session } = await openFake(world, listenerRedirect(), dir);
    expect(await session.failover()).toBe('failed-over');
    world.rules = [];
    const { session: again, events } = await openFake(world, listenerRedirect(), dir);
    expect(await again.rollback()).toBe('rolled-back');
    expect(world.listenerActions).toEqual([{ Type: 'forward', TargetGroupArn: TG }]);
    const undone = events.find((e) => e.type === 'undo-succeeded');
    expect(undone?.type === 'undo-succeeded' ? undone.detail : undefined).toContain(
      'the staff bypass rules were already gone',
    );
  });

  it('the redirect-instance strategy cannot offer it: plan says so', async () => {
    const world = new FakeWorld();
    const runbook = withBypass([
      { type: 'launch-redirect' },
      { type: 'register-redirect' },
      { type: 'wait-redirect-healthy' },
      { type: 'deregister-web' },
      { type: 'verify-maintenance' },
    ]);
    const { session } = await openFake(world, runbook, tempDir());
    const hazard = session.plan.hazards.find((h) => h.code === 'staff-bypass-unavailable');
    expect(hazard?.severity).toBe('warning');
    expect(hazard?.message).toContain('the redirect instance replaces the web servers in the target group');
    expect(session.plan.steps.flatMap((s) => s.calls).some((c) => c.operation === 'CreateRule')).toBe(false);
  });

  it('plan shows the CreateRule with the CIDRs before the ModifyListener, and the DeleteRule in the undo', async () => {
    const world = new FakeWorld();
    const { session } = await openFake(world, listenerRedirect(), tempDir());
    const step = session.plan.steps[0]!;
    expect(step.calls.map((c) => c.operation)).toEqual([
      'CreateRule',
      'DescribeRules',
      'DescribeListeners',
      'ModifyListener',
    ]);
    expect(step.calls[0]?.params).toMatchObject({
      Priority: 1,
      Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: OFFICE } }],
    });
    expect(step.undo?.map((c) => c.operation)).toEqual(['ModifyListener', 'DeleteRule']);
  });

  it('plan warns when a forwarding rule holds priority 1 (its actions are replaced: staff get maintenance there too)', async () => {
    const world = new FakeWorld();
    world.rules = [apiRule(1)];
    const { session } = await openFake(world, listenerRedirect(), tempDir());
    const warning = session.plan.hazards.find((h) => h.code === 'staff-bypass' && h.severity === 'warning');
    expect(warning?.message).toContain(
      'staff requests they match get maintenance too: priority 1 (path-pattern /api/*)',
    );
  });

  it('plan names the rules quota: a listener that would hold more than 100 rules is a danger', async () => {
    const world = new FakeWorld();
    const rule = (i: number): ListenerRule => ({
      ...apiRule(i + 10),
      arn: `${LISTENER_RULE}/r${i}`,
      actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
    world.rules = Array.from({ length: 99 }, (_, i) => rule(i));
    const at = await openFake(world, listenerRedirect(), tempDir());
    expect(at.session.plan.hazards.some((h) => h.code === 'staff-bypass' && h.severity === 'danger')).toBe(false);
    world.rules.push(rule(99));
    const over = await openFake(world, listenerRedirect(), tempDir());
    const danger = over.session.plan.hazards.find((h) => h.code === 'staff-bypass' && h.severity === 'danger');
    expect(danger?.message).toContain('This listener would hold 101 rules');
  });

  it('plan says verify-maintenance sees the origin from inside a bypassed network (unless it does not check the site)', async () => {
    const world = new FakeWorld();
    const checks = await openFake(world, listenerRedirect(), tempDir());
    const hazard = checks.session.plan.hazards.find(
      (h) => h.stepId === 'verify-maintenance' && h.code === 'staff-bypass',
    );
    expect(hazard?.message).toContain(
      'if its public address is in 203.0.113.0/24, 198.51.100.0/25 it reaches the origin',
    );
    const runbook = withBypass([
      { type: 'set-listener-redirect' },
      { type: 'verify-maintenance', expectSiteRedirect: false },
    ]);
    const quiet = await openFake(world, runbook, tempDir());
    expect(quiet.session.plan.hazards.some((h) => h.stepId === 'verify-maintenance')).toBe(false);
  });
});
