import { describe, expect, it } from 'vitest';
import { buildPlan, PLAN_RUN_ID } from '../../src/plan/build.js';
import type { PlannedStep } from '../../src/plan/types.js';
import type { ApiCall } from '../../src/domain/types.js';
import { discoveredEnv, good, shipped, TG_ARN, withSteps } from './env.js';

const RUN_ID = '20261121T084100Z-3f9a';

function calls(step: PlannedStep | undefined, operation: string): ApiCall[] {
  return (step?.calls ?? []).filter((c) => c.operation === operation);
}

function stepOf(steps: readonly PlannedStep[], type: PlannedStep['type']): PlannedStep {
  const step = steps.find((s) => s.type === type);
  if (step === undefined) throw new Error(`no ${type} step`);
  return step;
}

describe('buildPlan', () => {
  it('keeps the runbook order, ids and types, and sums the expected time', async () => {
    const runbook = await shipped('emergency-mode');
    const plan = buildPlan(runbook, discoveredEnv(), RUN_ID);
    expect(plan.runbook).toBe('emergency-mode');
    expect(plan.steps.map((s) => s.id)).toEqual([
      'suspend-scaling',
      'launch-redirect',
      'register-redirect',
      'wait-redirect-healthy',
      'deregister-web',
      'verify-maintenance',
      'manual',
    ]);
    expect(plan.steps.map((s) => s.mutating)).toEqual([true, true, true, false, true, false, false]);
    expect(plan.expectedSeconds).toBe(plan.steps.reduce((t, s) => t + s.expectedSeconds, 0));
  });

  it('uses explicit step ids', async () => {
    const plan = buildPlan(await good('listener-redirect'), discoveredEnv());
    expect(plan.steps.map((s) => s.id)).toEqual([
      'set-listener-redirect',
      'verify-maintenance',
      'tell-support',
      'fixed-page',
      'deregister-web',
    ]);
  });

  it('gives every mutating step undo calls, and read-only steps none to make', async () => {
    const runbooks = [
      await shipped('classic-order'),
      await shipped('emergency-mode'),
      await good('listener-redirect'),
      await good('dns'),
      await good('instance-ids'),
    ];
    const types = new Set<string>();
    for (const runbook of runbooks) {
      for (const step of buildPlan(runbook, discoveredEnv()).steps) {
        types.add(step.type);
        if (step.mutating) {
          expect(step.undo, `${runbook.name}/${step.id}`).toBeDefined();
          expect(step.undo!.length, `${runbook.name}/${step.id}`).toBeGreaterThan(0);
        } else {
          expect(step.undo, `${runbook.name}/${step.id}`).toEqual([]);
        }
        expect(step.calls.length, `${runbook.name}/${step.id}`).toBeGreaterThan(0);
      }
    }
    // every step type was looked at
    expect(types.size).toBe(10);
  });

  it('deregisters exactly the web targets from the exact target group (as the API takes them: no zone for instance targets), and undoes it by registering them back', async () => {
    const env = discoveredEnv({ webIds: ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'] });
    const deregister = stepOf(buildPlan(await shipped('classic-order'), env).steps, 'deregister-web');
    expect(calls(deregister, 'DeregisterTargets')).toEqual([
      {
        service: 'elbv2',
        operation: 'DeregisterTargets',
        params: {
          TargetGroupArn: TG_ARN,
          Targets: [
            { Id: 'i-0aaaaaaaaaaaaaaa1', Port: 8080 },
            { Id: 'i-0bbbbbbbbbbbbbbb2', Port: 8080 },
          ],
        },
      },
    ]);
    expect(deregister.undo![0]).toMatchObject({ operation: 'RegisterTargets', params: { TargetGroupArn: TG_ARN } });
    expect((deregister.undo![0]!.params['Targets'] as { Id: string }[]).map((t) => t.Id)).toEqual([
      'i-0aaaaaaaaaaaaaaa1',
      'i-0bbbbbbbbbbbbbbb2',
    ]);
    expect(deregister.title).toBe('Deregister 2 web server(s) from example-web-tg');
  });

  it('registers the redirect instance on the target group port, and deregisters it on undo', async () => {
    const register = stepOf(
      buildPlan(await shipped('emergency-mode'), discoveredEnv(), RUN_ID).steps,
      'register-redirect',
    );
    expect(register.calls).toEqual([
      {
        service: 'elbv2',
        operation: 'RegisterTargets',
        params: {
          TargetGroupArn: TG_ARN,
          Targets: [{ Id: '<redirect instance>', Port: 8080, AvailabilityZone: undefined }],
        },
      },
    ]);
    expect(register.undo).toEqual([
      {
        service: 'elbv2',
        operation: 'DeregisterTargets',
        params: { TargetGroupArn: TG_ARN, Targets: [{ Id: '<redirect instance>' }] },
      },
    ]);
  });

  it('launches the instance type, then each fallback type, each with its own ClientToken', async () => {
    const runbook = await shipped('emergency-mode');
    const launch = stepOf(buildPlan(runbook, discoveredEnv(), RUN_ID).steps, 'launch-redirect');
    const runs = calls(launch, 'RunInstances');
    expect(runs.map((c) => c.params['InstanceType'])).toEqual(['t3.micro', 't3a.micro', 't2.micro']);
    expect(runs.map((c) => c.params['ClientToken'])).toEqual([
      `hs-${RUN_ID}-launch-redirect-t3.micro`,
      `hs-${RUN_ID}-launch-redirect-t3a.micro`,
      `hs-${RUN_ID}-launch-redirect-t2.micro`,
    ]);
    for (const token of runs.map((c) => String(c.params['ClientToken']))) expect(token.length).toBeLessThanOrEqual(64);
    expect(runs.map((c) => c.note)).toEqual([
      'when no prepared spare is ready',
      'only if the type before has no capacity',
      'only if the type before has no capacity',
    ]);
    expect(runs[0]!.params).toMatchObject({
      ImageId: 'ami-0123456789abcdef0',
      SubnetId: 'subnet-0123456789abcdef0',
      SecurityGroupIds: ['sg-0123456789abcdef0'],
      MinCount: 1,
      MaxCount: 1,
      Tags: { Name: 'hotspare-redirect-emergency-mode', 'hotspare:run': RUN_ID, 'hotspare:step': 'launch-redirect' },
    });
    // the redirect server answers the target group's health check on its path and port, and only the checker
    expect(String(runs[0]!.params['UserData'])).toBe(
      'builtin: ELB-HealthChecker GET /healthz on HTTP:8080 gets 200; every other request gets 302 to https://maintenance.example.com/',
    );
    expect(calls(launch, 'StartInstances')).toEqual([
      {
        service: 'ec2',
        operation: 'StartInstances',
        params: { InstanceIds: ['<spare>'] },
        note: 'when a spare for this config is ready: nothing is launched',
      },
    ]);
    expect(launch.undo?.map((c) => c.operation)).toEqual(['DescribeInstances', 'TerminateInstances', 'StopInstances']);
    expect(launch.undo?.[0]?.params).toEqual({ Filters: [{ Name: 'tag:hotspare:run', Values: [RUN_ID] }] });
    expect(launch.undo?.[2]).toEqual({
      service: 'ec2',
      operation: 'StopInstances',
      params: { InstanceIds: ['<spare>'] },
      note: 'a started spare: stopped, ready for next time',
    });
  });

  it('uses the placeholder run id when planning before a run', async () => {
    const launch = stepOf(buildPlan(await shipped('classic-order'), discoveredEnv()).steps, 'launch-redirect');
    expect(calls(launch, 'RunInstances')[0]!.params['ClientToken']).toBe(`hs-${PLAN_RUN_ID}-launch-redirect-t3.micro`);
    expect(calls(launch, 'DescribeInstances')[0]!.params['Filters']).toEqual([
      { Name: 'tag:hotspare:run', Values: [PLAN_RUN_ID] },
      { Name: 'tag:hotspare:step', Values: ['launch-redirect'] },
    ]);
  });

  it('instance-ids: the fallback types, the key pair and the 301', async () => {
    const runbook = await good('instance-ids');
    const launch = stepOf(buildPlan(runbook, discoveredEnv(), RUN_ID).steps, 'launch-redirect');
    const runs = calls(launch, 'RunInstances');
    expect(runs.map((c) => c.params['InstanceType'])).toEqual(['m5.large', 'm5a.large', 'm6i.large']);
    expect(runs.every((c) => c.params['KeyName'] === 'ops')).toBe(true);
    expect(new Set(runs.map((c) => c.params['ClientToken'])).size).toBe(3);
    expect(String(runs[0]!.params['UserData'])).toContain(
      'apache: ELB-HealthChecker GET /healthz on HTTP:8080 gets 200; every other request gets 301 to https://status.example.org/maintenance?from=shop',
    );
  });

  it('points the listener at the maintenance host, and restores the discovered actions on undo', async () => {
    const runbook = await good('listener-redirect');
    const original = [{ Type: 'forward', TargetGroupArn: TG_ARN }];
    const listener = {
      arn: runbook.loadBalancer.listener!,
      loadBalancerArn: 'arn:lb',
      port: 443,
      protocol: 'HTTPS',
      defaultActions: original,
      rules: [],
    };
    const step = stepOf(buildPlan(runbook, discoveredEnv({ listener })).steps, 'set-listener-redirect');
    const modify = calls(step, 'ModifyListener');
    expect(modify).toEqual([
      {
        service: 'elbv2',
        operation: 'ModifyListener',
        params: {
          ListenerArn:
            'arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2',
          DefaultActions: [
            {
              Type: 'redirect',
              RedirectConfig: {
                Protocol: 'HTTPS',
                Host: 'maintenance.example.net',
                Port: '443',
                Path: '/#{path}',
                Query: '#{query}',
                StatusCode: 'HTTP_301',
              },
            },
          ],
        },
      },
    ]);
    expect(calls(step, 'DescribeListeners')[0]!.params).toEqual({ ListenerArns: [runbook.loadBalancer.listener] });
    expect(step.undo).toEqual([
      {
        service: 'elbv2',
        operation: 'ModifyListener',
        params: { ListenerArn: runbook.loadBalancer.listener, DefaultActions: original },
      },
    ]);
    expect(step.title).toBe('Point the listener at maintenance.example.net (HTTP_301)');
  });

  it('without a discovered listener, undo restores the journaled actions', async () => {
    const runbook = await good('listener-redirect');
    const step = stepOf(buildPlan(runbook, discoveredEnv()).steps, 'set-listener-fixed-response');
    expect(calls(step, 'ModifyListener')[0]!.params['DefaultActions']).toEqual([
      {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Down for maintenance' },
      },
    ]);
    expect(step.undo!.at(-1)!.params['DefaultActions']).toBe('<the journaled original actions>');
    // The rules were not read: the plan says a cover rule may be created, and deleted on rollback.
    expect(step.calls.map((c) => c.operation)).toEqual([
      'DescribeRules',
      'CreateRule',
      'DescribeListeners',
      'ModifyListener',
    ]);
    expect(step.undo!.map((c) => c.operation)).toEqual(['DeleteRule', 'ModifyListener']);
  });

  it('without keepPath the redirect goes to the maintenance URL and its own port, path and query', async () => {
    const base = await good('listener-redirect');
    const runbook = withSteps(base, [{ type: 'set-listener-redirect' }], {
      maintenance: { ...base.maintenance, url: 'http://m.example.net:8080/down?src=alb' },
    });
    const step = stepOf(buildPlan(runbook, discoveredEnv()).steps, 'set-listener-redirect');
    expect(calls(step, 'ModifyListener')[0]!.params['DefaultActions']).toEqual([
      {
        Type: 'redirect',
        RedirectConfig: {
          Protocol: 'HTTP',
          Host: 'm.example.net',
          Port: '8080',
          Path: '/down',
          Query: 'src=alb',
          StatusCode: 'HTTP_302',
        },
      },
    ]);
  });

  it('upserts the DNS record in the hosted zone, and undoes with the journaled record', async () => {
    const runbook = await good('dns');
    const step = stepOf(buildPlan(runbook, discoveredEnv()).steps, 'dns-failover');
    expect(calls(step, 'ChangeResourceRecordSets')).toEqual([
      {
        service: 'route53',
        operation: 'ChangeResourceRecordSets',
        params: {
          HostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ',
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: 'www.example.com.au',
                Type: 'CNAME',
                TTL: 60,
                ResourceRecords: [{ Value: 'maintenance.example.com.au.s3-website-ap-southeast-2.amazonaws.com' }],
              },
            },
          ],
        },
      },
    ]);
    expect(step.undo).toEqual([
      {
        service: 'route53',
        operation: 'ChangeResourceRecordSets',
        params: {
          HostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ',
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: '<the journaled previous record>' }],
        },
      },
    ]);
  });

  it('a manual step is a checklist item for the operator', async () => {
    const step = stepOf(buildPlan(await shipped('emergency-mode'), discoveredEnv()).steps, 'manual');
    expect(step.calls).toEqual([
      {
        service: 'operator',
        operation: 'Checklist',
        params: { text: 'Post "We are under heavy load; back soon" on the status page' },
      },
    ]);
    expect(step.title).toBe('Post "We are under heavy load; back soon" on the status page');
  });

  it('a drained deregistration takes the deregistration delay', async () => {
    const runbook = await good('instance-ids');
    const plan = buildPlan(runbook, discoveredEnv({ deregistrationDelaySeconds: 120 }));
    expect(stepOf(plan.steps, 'deregister-web').expectedSeconds).toBe(120);
    expect(calls(stepOf(plan.steps, 'deregister-web'), 'DescribeTargetHealth')[0]!.note).toContain(
      'deregistration delay',
    );
  });
});
