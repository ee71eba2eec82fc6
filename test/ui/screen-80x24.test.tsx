import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../src/domain/types.js';
import type { Session } from '../../src/engine/session-types.js';
import type { Plan, PlannedStep } from '../../src/plan/types.js';
import type { InstanceInfo, TargetHealth } from '../../src/ports/index.js';
import type { AppStore } from '../../src/store/app-store.js';
import { StoreProvider } from '../../src/store/context.js';
import { App } from '../../src/ui/App.js';
import { KEYS, renderInk, waitForFrame, waitForText, type Rendered } from '../helpers/ink.js';
import { commandOptions, ENV, fakeSession, newStore, PLAN } from './fixtures.js';

/**
 * The whole dashboard at 80x24 (and 120x40): the summary keeps counts and states whole, the targets
 * a question depends on stay on screen, ARNs are never cut mid-word, and the completion headline is
 * a line of its own.
 */

const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-web-tg/0123456789abcdef';
const WEB = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3'];
const REDIRECT = 'i-0bbbbbbbbbbbbbbb1';

function step(id: string, type: PlannedStep['type'], title: string, params: ApiCall['params']): PlannedStep {
  return {
    id,
    type,
    title,
    spec: { type, id } as PlannedStep['spec'],
    mutating: true,
    calls: [{ service: 'elbv2', operation: `Op${id.replace(/-/g, '')}`, params }],
    undo: [],
    expectedSeconds: 5,
  };
}

const STEPS: Plan['steps'] = [
  { ...step('suspend-scaling', 'suspend-scaling', 'Suspend Auto Scaling of shop-production-web-asg', {}) },
  step('register-redirect', 'register-redirect', 'Register the redirect instance in shop-web-tg', {
    TargetGroupArn: TG_ARN,
    Targets: [{ Id: REDIRECT, Port: 80 }],
  }),
  {
    ...step('deregister-web', 'deregister-web', 'Deregister 3 web server(s) from shop-web-tg', {
      TargetGroupArn: TG_ARN,
      Targets: WEB.map((Id) => ({ Id, Port: 80 })),
    }),
    calls: [
      {
        service: 'elbv2',
        operation: 'DeregisterTargets',
        params: { TargetGroupArn: TG_ARN, Targets: WEB.map((Id) => ({ Id, Port: 80 })) },
      },
      { service: 'elbv2', operation: 'DescribeTargetHealth', params: { TargetGroupArn: TG_ARN } },
    ],
  },
  { ...PLAN.steps[3]!, id: 'verify-maintenance' },
];

const WEB_INSTANCES: InstanceInfo[] = WEB.map((id, i) => ({
  id,
  state: 'running',
  availabilityZone: 'us-east-1a',
  tags: { Name: `shop-production-web-server-${i + 1}` },
}));
const REDIRECT_INSTANCE: InstanceInfo = {
  id: REDIRECT,
  state: 'running',
  availabilityZone: 'us-east-1a',
  tags: { Name: 'hotspare-redirect-shop-failover', 'hotspare:run': 'run-0001', 'hotspare:step': 'launch-redirect' },
};

function feed(store: AppStore, redirect: boolean): void {
  const targets: TargetHealth[] = [
    ...WEB.map((id) => ({ id, port: 80, availabilityZone: 'us-east-1a', state: 'healthy' as const })),
    ...(redirect ? [{ id: REDIRECT, port: 80, availabilityZone: 'us-east-1a', state: 'healthy' as const }] : []),
  ];
  store.getState().dispatch({
    type: 'targets',
    targets,
    instances: [...WEB_INSTANCES, ...(redirect ? [REDIRECT_INSTANCE] : [])],
    listener: {
      arn: 'l',
      loadBalancerArn: 'lb',
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ Type: 'forward', TargetGroupArn: TG_ARN }],
    },
    at: Date.now(),
  });
  store.getState().dispatch({ type: 'traffic-summary', total: 1234567, failed: 89012 });
  store.getState().dispatch({ type: 'traffic', sample: { second: 1, ok: 180, failed: 12 } });
}

let r: Rendered | undefined;
afterEach(() => r?.unmount());

function start(columns: number, rows: number): { store: AppStore; r: Rendered } {
  const store = newStore();
  const plan: Plan = { ...PLAN, steps: STEPS };
  const session = fakeSession(store, { plan });
  store.getState().dispatch({
    type: 'environment',
    env: {
      ...ENV,
      webInstances: WEB_INSTANCES,
      scalingGroups: [
        {
          name: 'shop-production-web-asg',
          desired: 3,
          min: 3,
          max: 12,
          instanceIds: WEB,
          targetGroupArns: [TG_ARN],
          suspended: [],
        },
      ],
    },
  });
  feed(store, false);
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
    { columns, rows },
  );
  return { store, r };
}

const lines = (frame: string): string[] => frame.split('\n');

/** The summary lines (from `Targets` to the column header) joined: counts and states whole. */
function summaryOf(frame: string): string {
  const all = lines(frame);
  const from = all.findIndex((l) => l.startsWith('Targets '));
  const to = all.findIndex((l) => l.startsWith('TARGET '));
  expect(from).toBeGreaterThanOrEqual(0);
  expect(to).toBeGreaterThan(from);
  return all.slice(from, to).join(' · ');
}

describe('the dashboard at the sizes operators use (ink)', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`${columns}x${rows}: whole counts and states, the question's targets, whole ARNs, the headline`, async () => {
      const { store, r: app } = start(columns, rows);
      const idle = await waitForText(app.lastFrame, 'f failover');
      for (const l of lines(idle)) expect(l.length).toBeLessThanOrEqual(columns);
      expect(summaryOf(idle)).toMatch(/ASG \S+ 3\/12 will be frozen/);
      expect(idle).toMatch(/total 1234567, failed 89012\s*$/m);

      app.write('f');
      await waitForText(app.lastFrame, 'Step 1/4');
      app.write(KEYS.enter);
      await waitForText(app.lastFrame, 'Step 2/4');
      feed(store, true);
      app.write(KEYS.enter);
      const asked = await waitForFrame(app.lastFrame, (f) => f.includes('Step 3/4') && f.includes(REDIRECT));
      // The redirect instance and the three web servers the question removes, all on screen.
      for (const id of [REDIRECT, ...WEB]) expect(asked).toMatch(new RegExp(`^${id} .* healthy\\s*$`, 'm'));
      expect(asked).not.toContain('more below');
      expect(summaryOf(asked)).toMatch(/web 3\/3 healthy · redirect 1\/1 healthy/);
      expect(summaryOf(asked)).toMatch(/ASG \S+ 3\/12 frozen/);
      expect(asked).toMatch(/total 1234567, failed 89012\s*$/m);
      // The target group's ARN whole on one line, shortened to its type, name and id.
      expect(asked).toContain('"TargetGroupArn":"arn:…:targetgroup/shop-web-tg/0123456789abcdef"');
      for (const l of lines(asked)) expect(l).not.toMatch(/arn:[^"\s]*$/);

      app.write(KEYS.enter);
      await waitForText(app.lastFrame, 'Step 4/4');
      app.write(KEYS.enter);
      const done = await waitForText(app.lastFrame, 'press b to roll back');
      expect(done).toMatch(/^Failover complete — maintenance site is live\s*$/m);
      expect(done).toMatch(/^press b to roll back\s*$/m);
      expect(done).toContain('✓ verify-maintenance: maintenance page answers 200 with the marker');
      expect(summaryOf(done)).toMatch(/ASG \S+ 3\/12 frozen/);
      for (const l of lines(done)) expect(l.length).toBeLessThanOrEqual(columns);
    });
  }
});
