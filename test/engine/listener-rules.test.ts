import { describe, expect, it } from 'vitest';
import { EVERY_PATH } from '../../src/domain/listener-rules.js';
import { buildPlan } from '../../src/plan/build.js';
import type { ListenerRule } from '../../src/ports/index.js';
import { FakeWorld, fakeRunbook } from '../helpers/fake-ports.js';
import { journalIn, openFake, tempDir } from '../helpers/engine.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc';
const LISTENER_RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/1/2';

function apiRule(priority: number): ListenerRule {
  return {
    arn: `${LISTENER_RULE}/api${priority}`,
    priority,
    conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
    actions: [{ Type: 'forward', TargetGroupArn: TG }],
  };
}

const redirect = (rules?: 'cover' | 'leave') =>
  fakeRunbook([
    { type: 'set-listener-redirect', ...(rules === undefined ? {} : { rules }) },
    { type: 'verify-maintenance' },
  ]);

describe('listener strategies cover the rules that forward', () => {
  it('a rule ahead of every forwarding rule, with the maintenance action for every path; rollback deletes it and leaves the rules as they were', async () => {
    const world = new FakeWorld();
    const original = [
      apiRule(10),
      { ...apiRule(20), conditions: [{ Field: 'host-header', Values: ['api.example.com'] }] },
    ];
    world.rules = structuredClone(original);
    const { session } = await openFake(world, redirect(), tempDir());
    expect(session.plan.hazards.find((h) => h.code === 'rules-covered')?.message).toContain(
      'adds a rule at priority 1 ahead of 2 forwarding rule(s)',
    );
    expect(await session.failover()).toBe('failed-over');
    const cover = world.rules.find((r) => r.priority === 1);
    expect(cover?.conditions).toEqual(EVERY_PATH);
    expect(cover?.actions[0]?.['Type']).toBe('redirect');

    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual(original);
    expect(world.listenerActions).toEqual([{ Type: 'forward', TargetGroupArn: TG }]);
  });

  it("with no priority free ahead of them, replaces the forwarding rules' actions and restores them on rollback", async () => {
    const world = new FakeWorld();
    const original = [apiRule(1), apiRule(2)];
    world.rules = structuredClone(original);
    const { session, events } = await openFake(world, redirect(), tempDir());
    expect(await session.failover()).toBe('failed-over');
    expect(world.rules.map((r) => r.actions[0]?.['Type'])).toEqual(['redirect', 'redirect']);
    expect(
      events.some((e) => e.type === 'step-progress' && e.message.includes('replacing the actions of 2 rule(s)')),
    ).toBe(true);
    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual(original);
  });

  it('a lost CreateRule answer: the retry finds the rule it made instead of asking for the priority again', async () => {
    const world = new FakeWorld();
    world.rules = [apiRule(10)];
    world.loseNextAnswer('CreateRule');
    const dir = tempDir();
    const { session } = await openFake(world, redirect(), dir, {
      operator: { confirmStep: async () => 'run', onFailure: async () => 'retry', confirmRollback: async () => 'run' },
    });
    expect(await session.failover()).toBe('failed-over');
    expect(world.rules.filter((r) => r.priority === 1)).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'CreateRule')).toHaveLength(1);
    expect(await session.rollback()).toBe('rolled-back');
    expect(world.rules).toEqual([apiRule(10)]);
    expect(journalIn(dir).at(-1)).toMatchObject({ kind: 'rollback-finished', outcome: 'rolled-back' });
  });

  it('rules: leave changes only the default action, and the plan says which traffic stays on the origin', async () => {
    const world = new FakeWorld();
    world.rules = [apiRule(10)];
    const { session } = await openFake(world, redirect('leave'), tempDir());
    const hazard = session.plan.hazards.find((h) => h.code === 'rules-left-forwarding');
    expect(hazard).toMatchObject({ severity: 'danger' });
    expect(hazard?.message).toContain('priority 10 (path-pattern /api/*) -> forward to web-tg');
    expect(await session.failover()).toBe('failed-over');
    expect(world.rules).toEqual([apiRule(10)]);
  });

  it('the redirect instance strategy: a rule forwarding to another target group is named as traffic left on the origin', async () => {
    const world = new FakeWorld();
    world.rules = [
      {
        ...apiRule(5),
        actions: [
          {
            Type: 'forward',
            TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/def',
          },
        ],
      },
    ];
    const { session } = await openFake(
      world,
      fakeRunbook([
        { type: 'launch-redirect' },
        { type: 'register-redirect' },
        { type: 'wait-redirect-healthy' },
        { type: 'deregister-web' },
        { type: 'verify-maintenance' },
      ]),
      tempDir(),
    );
    const plan = buildPlan(session.runbook, session.env);
    expect(plan.hazards.find((h) => h.code === 'rules-left-forwarding')?.message).toContain('forward to api-tg');
  });
});
