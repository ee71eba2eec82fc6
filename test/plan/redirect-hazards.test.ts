import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build.js';
import { assumedEnvironment } from '../../src/plan/environment.js';
import type { Hazard, Plan } from '../../src/plan/types.js';
import type { InstanceInfo, SubnetNetwork } from '../../src/ports/index.js';
import { redirectConfigFor } from '../../src/redirect/config.js';
import type { Runbook } from '../../src/runbook/schema.js';
import { redirectChoiceOf } from '../../src/steps/redirect-server.js';
import { CHECKED_TAG, spareTags } from '../../src/steps/spare.js';
import type { RunEnvironment } from '../../src/domain/types.js';
import { discoveredEnv, shipped, withSteps } from './env.js';

const PRIVATE: SubnetNetwork = {
  subnetId: 'subnet-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  mapPublicIpOnLaunch: false,
  routeTableId: 'rtb-0123456789abcdef0',
  routes: [{ destination: '10.0.0.0/16', target: 'local', state: 'active' }],
  gatewayEndpoints: [],
};
const NAT: SubnetNetwork = {
  ...PRIVATE,
  routes: [...PRIVATE.routes, { destination: '0.0.0.0/0', target: 'nat-0123456789abcdef0', state: 'active' }],
};
const AL2023 = {
  id: 'ami-0123456789abcdef0',
  name: 'al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64',
  architecture: 'x86_64',
  platform: 'linux' as const,
};

function env(
  network: SubnetNetwork,
  patch: Partial<NonNullable<RunEnvironment['redirectLaunch']>> = {},
): RunEnvironment {
  return {
    ...discoveredEnv(),
    redirectLaunch: { image: AL2023, architectures: ['x86_64'], network, spares: [], ...patch },
  };
}

async function runbook(server: 'builtin' | 'nginx' | 'apache', extra: Record<string, unknown> = {}): Promise<Runbook> {
  const base = await shipped('emergency-mode');
  return withSteps(base, base.steps, { redirectServer: { ...base.redirectServer!, server, ...extra } });
}

const codes = (plan: Plan): [Hazard['code'], Hazard['severity']][] =>
  plan.hazards.filter((h) => h.code !== 'single-web-target').map((h) => [h.code, h.severity]);

describe('plan: the redirect instance and its way out', () => {
  it('nginx in a subnet with no route out is a danger, before anything runs', async () => {
    const plan = buildPlan(await runbook('nginx'), env(PRIVATE));
    const h = plan.hazards.find((x) => x.code === 'no-way-out');
    expect(h).toMatchObject({ severity: 'danger', stepId: 'launch-redirect' });
    expect(h?.message).toContain(
      'subnet-0123456789abcdef0 has no route out: rtb-0123456789abcdef0 has no 0.0.0.0/0 route to a NAT or internet gateway',
    );
    expect(h?.message).toContain('server: builtin');
  });

  it('no danger with a NAT gateway, with the builtin server, or with a preinstalled image', async () => {
    expect(codes(buildPlan(await runbook('nginx'), env(NAT)))).toEqual([]);
    expect(codes(buildPlan(await runbook('builtin'), env(PRIVATE)))).toEqual([]);
    expect(codes(buildPlan(await runbook('apache', { preinstalled: true }), env(PRIVATE)))).toEqual([]);
  });

  it('an internet gateway without public IPs is no way out; with them it is', async () => {
    const igw: SubnetNetwork = {
      ...PRIVATE,
      routes: [...PRIVATE.routes, { destination: '0.0.0.0/0', target: 'igw-0123456789abcdef0', state: 'active' }],
    };
    expect(buildPlan(await runbook('nginx'), env(igw)).hazards.find((h) => h.code === 'no-way-out')?.message).toContain(
      'MapPublicIpOnLaunch is off',
    );
    expect(codes(buildPlan(await runbook('nginx'), env({ ...igw, mapPublicIpOnLaunch: true })))).toEqual([]);
  });

  it('an S3 gateway endpoint is a way out for Amazon Linux, not for Ubuntu', async () => {
    const s3 = { ...PRIVATE, gatewayEndpoints: ['com.amazonaws.us-east-1.s3'] };
    expect(codes(buildPlan(await runbook('nginx'), env(s3)))).toEqual([]);
    const ubuntu = { ...AL2023, name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250101' };
    expect(codes(buildPlan(await runbook('nginx'), env(s3, { image: ubuntu })))).toEqual([['no-way-out', 'danger']]);
  });

  it('a spare prepared for this config needs no way out; one for another config is reported', async () => {
    const rb = await runbook('nginx');
    const config = redirectConfigFor(discoveredEnv().targetGroup, redirectChoiceOf(rb));
    const checked = { ...spareTags(rb.name, config), [CHECKED_TAG]: '2026-12-03T03:00:00.000Z' };
    const spare: InstanceInfo = { id: 'i-0spare00000000001', state: 'stopped', tags: checked };
    expect(codes(buildPlan(rb, env(PRIVATE, { spares: [spare] })))).toEqual([['spare', 'info']]);
    const stale: InstanceInfo = {
      ...spare,
      tags: spareTags(rb.name, { ...config, targetUrl: 'https://old.example.com/' }),
    };
    expect(codes(buildPlan(rb, env(NAT, { spares: [stale] })))).toEqual([['spare', 'warning']]);
  });

  it('a spare that never passed its self-check (untagged) is not ready, and the plan says why', async () => {
    const rb = await runbook('nginx');
    const config = redirectConfigFor(discoveredEnv().targetGroup, redirectChoiceOf(rb));
    for (const state of ['running', 'stopped'] as const) {
      const spare: InstanceInfo = { id: 'i-0spare00000000002', state, tags: spareTags(rb.name, config) };
      const plan = buildPlan(rb, env(PRIVATE, { spares: [spare] }));
      const hazards = plan.hazards.filter((h) => h.code === 'spare' || h.code === 'no-way-out');
      expect(hazards.map((h) => [h.code, h.severity])).toEqual([
        ['spare', 'warning'],
        ['no-way-out', 'danger'],
      ]);
      expect(hazards[0]?.message).toBe(
        `i-0spare00000000002 (${state}) never passed its self-check (hotspare prepare did not finish): it is not ready and will not be used. Run hotspare prepare again to wait for it, or terminate it: aws ec2 terminate-instances --instance-ids i-0spare00000000002`,
      );
    }
  });

  it('a Windows image, or one for another architecture, is a danger', async () => {
    expect(
      buildPlan(
        await runbook('builtin'),
        env(NAT, { image: { ...AL2023, platform: 'windows', name: 'Windows_Server-2022' } }),
      ).hazards.find((h) => h.code === 'redirect-image')?.message,
    ).toContain('is a Windows image');
    expect(
      buildPlan(await runbook('builtin'), env(NAT, { architectures: ['arm64'] })).hazards.find(
        (h) => h.code === 'redirect-image',
      )?.message,
    ).toContain('built for x86_64, but t3.micro runs arm64');
  });

  it('a matcher no server can satisfy is a danger', async () => {
    const base = discoveredEnv();
    const odd = {
      ...env(NAT),
      targetGroup: { ...base.targetGroup, healthCheck: { ...base.targetGroup.healthCheck, matcher: '201' } },
    };
    expect(
      buildPlan(await runbook('builtin'), odd).hazards.find((h) => h.code === 'redirect-unservable')?.message,
    ).toContain('matcher "201" accepts no status');
  });

  it('without the account read: says nginx needs a way out; the builtin server does not', async () => {
    const nginx = await runbook('nginx');
    expect(codes(buildPlan(nginx, assumedEnvironment(nginx)))).toContainEqual(['needs-way-out', 'info']);
    const builtin = await runbook('builtin');
    expect(codes(buildPlan(builtin, assumedEnvironment(builtin))).map(([c]) => c)).not.toContain('needs-way-out');
  });

  it('says what the checker and visitors get on the AWS default path /, not "answers 200"', async () => {
    const rb = await runbook('nginx');
    const launch = buildPlan(rb, assumedEnvironment(rb)).steps.find((s) => s.type === 'launch-redirect')!;
    const userData = String(launch.calls.find((c) => c.operation === 'RunInstances')?.params['UserData']);
    expect(userData).toBe(
      'nginx: ELB-HealthChecker GET / on HTTP:80 gets 200; every other request gets 302 to https://maintenance.example.com/',
    );
  });
});
