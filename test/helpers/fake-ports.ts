import type {
  Clock,
  Compute,
  DnsRecord,
  InstanceInfo,
  LaunchSpec,
  ListenerAction,
  ListenerRule,
  Ports,
  ProbeRequest,
  ProbeResult,
  Target,
  TargetGroupInfo,
  TargetState,
} from '../../src/ports/index.js';
import { ExternalError } from '../../src/domain/errors.js';
import { invalidTarget, notFound, unreachable } from '../../src/domain/failures.js';
import type { Runbook } from '../../src/runbook/schema.js';
import type { AutoScaling } from '../../src/ports/scaling.js';

/** A clock whose sleep advances time at once: engine tests run no real timers. */
export class FakeClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 21, 3, 0, 0)) {}
  now(): number {
    return this.t;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Error('aborted');
    this.t += ms;
    await Promise.resolve();
  }
}

interface FakeTarget {
  id: string;
  port: number;
  az: string;
  state: TargetState;
  since: number;
}

/** Timings of the fake world, in ms of fake time. */
export const FAKE = { boot: 20_000, healthy: 15_000, drain: 30_000, insync: 5_000 } as const;

/**
 * An in-memory account with just enough behaviour for the engine: instances boot, registered
 * targets turn healthy, deregistered ones drain, DNS changes sync. `failures` makes the next N calls
 * of an operation throw; `hang` makes an operation take effect and never answer (a crash in flight).
 */
export class FakeWorld {
  readonly clock = new FakeClock();
  readonly calls: string[] = [];
  readonly failures = new Map<string, { error: Error; times: number; skip: number }>();
  readonly hang = new Set<string>();
  /** Operations that take effect and then lose their answer (a reset connection): they throw a retryable error. */
  readonly loseAnswer = new Map<string, number>();
  /** Whether RunInstances honours ClientToken (AWS does; moto and some emulators do not). */
  honourClientToken = true;
  /** Told of each call as it arrives, before it takes effect: tests arm faults from here. */
  onCall: ((operation: string) => void) | undefined;
  readonly instances = new Map<string, InstanceInfo & { bootAt: number; token: string }>();
  readonly targets = new Map<string, FakeTarget>();
  /** The listener's rules (none unless a test adds some). */
  rules: ListenerRule[] = [];
  listenerActions: ListenerAction[] = [
    { Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc' },
  ];
  readonly records = new Map<string, DnsRecord>();
  readonly changes = new Map<string, number>();
  maintenanceUp = true;
  private seq = 0;

  readonly tg: TargetGroupInfo = {
    arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc',
    name: 'web-tg',
    protocol: 'HTTP',
    port: 80,
    targetType: 'instance',
    healthCheck: {
      protocol: 'HTTP',
      path: '/health',
      port: 'traffic-port',
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    },
    deregistrationDelaySeconds: 30,
    loadBalancerArns: [],
  };

  constructor(webCount = 2) {
    for (let i = 1; i <= webCount; i++) {
      const id = `i-0000000000000000${i}`;
      this.instances.set(id, {
        id,
        state: 'running',
        tags: { role: 'web', Name: `web-${i}` },
        availabilityZone: 'us-east-1a',
        bootAt: 0,
        token: '',
      });
      this.targets.set(id, { id, port: 80, az: 'us-east-1a', state: 'healthy', since: 0 });
    }
  }

  /** Make `times` calls of `operation` throw `error`, after letting `skip` calls through. */
  failNext(operation: string, error: Error, times = 1, skip = 0): void {
    this.failures.set(operation, { error, times, skip });
  }

  /** The next `times` calls of `operation` take effect and then fail as if the connection was reset. */
  loseNextAnswer(operation: string, times = 1): void {
    this.loseAnswer.set(operation, times);
  }

  private answer(operation: string): void {
    const left = this.loseAnswer.get(operation) ?? 0;
    if (left <= 0) return;
    this.loseAnswer.set(operation, left - 1);
    throw unreachable('the fake endpoint (connection reset)');
  }

  private call(operation: string): void {
    this.calls.push(operation);
    this.onCall?.(operation);
    this.tick();
    const f = this.failures.get(operation);
    if (f !== undefined && f.skip > 0) f.skip--;
    else if (f !== undefined && f.times > 0) {
      f.times--;
      throw f.error;
    }
  }

  /** Advance every lifecycle to the fake clock's now. */
  tick(): void {
    const now = this.clock.now();
    for (const inst of this.instances.values()) {
      if (inst.state === 'pending' && now >= inst.bootAt) Object.assign(inst, { state: 'running' });
    }
    for (const t of [...this.targets.values()]) {
      const running = this.instances.get(t.id)?.state === 'running';
      if (t.state === 'initial' && running && now - Math.max(t.since, this.instances.get(t.id)!.bootAt) >= FAKE.healthy)
        Object.assign(t, { state: 'healthy', since: now });
      if (t.state === 'draining' && now - t.since >= FAKE.drain) this.targets.delete(t.id);
    }
  }

  webIds(): string[] {
    return [...this.instances.values()].filter((i) => i.tags['role'] === 'web').map((i) => i.id);
  }

  /** Auto Scaling groups by name (none unless a test adds one). */
  readonly groups = new Map<
    string,
    { name: string; instanceIds: string[]; targetGroupArns: string[]; suspended: Set<string> }
  >();

  /** A group owning the web servers, attached to the target group, with `suspended` processes already suspended. */
  addGroup(name: string, suspended: readonly string[] = []): void {
    this.groups.set(name, {
      name,
      instanceIds: this.webIds(),
      targetGroupArns: [this.tg.arn],
      suspended: new Set(suspended),
    });
  }

  ports(): Ports {
    return {
      lb: this.lb(),
      compute: this.compute(),
      dns: this.dns(),
      scaling: this.scaling(),
      probe: { check: (r) => Promise.resolve(this.probe(r)) },
      clock: this.clock,
    };
  }

  private scaling(): AutoScaling {
    const group = (name: string) => {
      const g = this.groups.get(name);
      if (g === undefined) throw notFound('Auto Scaling Group', name);
      return g;
    };
    return {
      describeGroups: async () => {
        this.call('DescribeAutoScalingGroups');
        return [...this.groups.values()].map((g) => ({
          name: g.name,
          desired: g.instanceIds.length,
          min: 1,
          max: 10,
          instanceIds: [...g.instanceIds],
          targetGroupArns: [...g.targetGroupArns],
          suspended: [...g.suspended],
        }));
      },
      suspendProcesses: async (name, processes) => {
        this.call('SuspendProcesses');
        for (const p of processes) group(name).suspended.add(p);
        this.answer('SuspendProcesses');
        return { requestId: `req-${++this.seq}` };
      },
      resumeProcesses: async (name, processes) => {
        this.call('ResumeProcesses');
        for (const p of processes) group(name).suspended.delete(p);
        this.answer('ResumeProcesses');
        return { requestId: `req-${++this.seq}` };
      },
    };
  }

  private lb(): Ports['lb'] {
    return {
      describeTargetGroup: async (ref) => {
        this.call('DescribeTargetGroups');
        if (ref !== this.tg.name && ref !== this.tg.arn) throw notFound('Target Group', ref);
        return this.tg;
      },
      describeTargetHealth: async () => {
        this.call('DescribeTargetHealth');
        // As ELBv2 reports a target whose instance is not running: unused, Target.InvalidState.
        const stopped = (id: string): boolean => ['stopping', 'stopped'].includes(this.instances.get(id)?.state ?? '');
        return [...this.targets.values()].map((t) =>
          stopped(t.id)
            ? {
                id: t.id,
                port: t.port,
                availabilityZone: t.az,
                state: 'unused' as const,
                reason: 'Target.InvalidState',
              }
            : { id: t.id, port: t.port, availabilityZone: t.az, state: t.state },
        );
      },
      registerTargets: async (_arn, targets) => {
        this.call('RegisterTargets');
        for (const t of targets) this.register(t);
        this.answer('RegisterTargets');
        return { requestId: `req-${++this.seq}` };
      },
      deregisterTargets: async (_arn, targets) => {
        this.call('DeregisterTargets');
        for (const t of targets) {
          const cur = this.targets.get(t.id);
          if (cur !== undefined && cur.state !== 'draining')
            Object.assign(cur, { state: 'draining', since: this.clock.now() });
        }
        this.answer('DeregisterTargets');
        return { requestId: `req-${++this.seq}` };
      },
      describeListener: async (arn) => {
        this.call('DescribeListeners');
        return {
          arn,
          loadBalancerArn: 'arn:lb',
          port: 80,
          protocol: 'HTTP',
          defaultActions: structuredClone(this.listenerActions),
        };
      },
      setListenerDefaultActions: async (_arn, actions) => {
        this.call('ModifyListener');
        this.listenerActions = structuredClone([...actions]);
        this.answer('ModifyListener');
        return { requestId: `req-${++this.seq}` };
      },
      describeRules: async () => (
        this.call('DescribeRules'), structuredClone([...this.rules].sort((a, b) => a.priority - b.priority))
      ),
      createRule: async (listenerArn, priority, conditions, actions) => {
        this.call('CreateRule');
        if (this.rules.some((r) => r.priority === priority))
          throw new ExternalError(`Priority '${priority}' is currently in use`, {
            code: 'AwsError',
            awsCode: 'PriorityInUse',
          });
        const ruleArn = `${listenerArn.replace(':listener/', ':listener-rule/')}/r${++this.seq}`;
        this.rules.push({
          arn: ruleArn,
          priority,
          conditions: structuredClone([...conditions]),
          actions: structuredClone([...actions]),
        });
        this.answer('CreateRule');
        return { requestId: `req-${this.seq}`, ruleArn };
      },
      deleteRule: async (ruleArn) => {
        this.call('DeleteRule');
        const i = this.rules.findIndex((r) => r.arn === ruleArn);
        if (i < 0) throw notFound('Rule', ruleArn);
        this.rules.splice(i, 1);
        this.answer('DeleteRule');
        return { requestId: `req-${++this.seq}` };
      },
      setRuleActions: async (ruleArn, actions) => {
        this.call('ModifyRule');
        const rule = this.rules.find((r) => r.arn === ruleArn);
        if (rule === undefined) throw notFound('Rule', ruleArn);
        this.rules[this.rules.indexOf(rule)] = { ...rule, actions: structuredClone([...actions]) };
        this.answer('ModifyRule');
        return { requestId: `req-${++this.seq}` };
      },
    };
  }

  private register(t: Target): void {
    const inst = this.instances.get(t.id);
    if (inst === undefined || inst.state === 'terminated') throw invalidTarget(`${t.id} is not a running instance`);
    const cur = this.targets.get(t.id);
    if (cur?.state === 'healthy') return;
    this.targets.set(t.id, {
      id: t.id,
      port: t.port ?? 80,
      az: 'us-east-1a',
      state: 'initial',
      since: this.clock.now(),
    });
  }

  private compute(): Compute {
    return {
      describeInstances: async (q) => {
        this.call('DescribeInstances');
        return [...this.instances.values()]
          .filter((i) => q.ids === undefined || q.ids.includes(i.id))
          .filter((i) => Object.entries(q.tags ?? {}).every(([k, v]) => i.tags[k] === v))
          .filter((i) => q.liveOnly === false || (i.state !== 'terminated' && i.state !== 'shutting-down'))
          .map(({ bootAt: _b, token: _t, ...info }) => info);
      },
      runInstance: (spec) => this.run(spec),
      checkLaunch: async () => {
        this.call('RunInstances(DryRun)');
      },
      describeImage: async (ref) => {
        this.call('DescribeImages');
        const id = ref.startsWith('resolve:ssm:') ? 'ami-0a1b2c3d4e5f60718' : ref;
        return {
          id,
          name: 'al2023-ami-2023.6-kernel-6.1-x86_64',
          architecture: 'x86_64',
          platform: 'linux',
          resolvedFrom: ref.startsWith('resolve:ssm:') ? ref.slice(12) : undefined,
        };
      },
      describeInstanceType: async (instanceType) => {
        this.call('DescribeInstanceTypes');
        return { instanceType, architectures: ['x86_64'] };
      },
      describeSubnetNetwork: async (subnetId) => {
        this.call('DescribeSubnets');
        return {
          subnetId,
          vpcId: 'vpc-0123456789abcdef0',
          mapPublicIpOnLaunch: false,
          routes: [{ destination: '0.0.0.0/0', target: 'nat-0123456789abcdef0' }],
          gatewayEndpoints: [],
        };
      },
      startInstances: async (ids) => {
        this.call('StartInstances');
        for (const id of ids) {
          const inst = this.instances.get(id);
          if (inst?.state === 'stopped')
            this.instances.set(id, { ...inst, state: 'pending', bootAt: this.clock.now() + FAKE.boot });
        }
        return { requestId: `req-${++this.seq}` };
      },
      stopInstances: async (ids) => {
        this.call('StopInstances');
        for (const id of ids) {
          const inst = this.instances.get(id);
          if (inst !== undefined && inst.state !== 'terminated') this.instances.set(id, { ...inst, state: 'stopped' });
        }
        return { requestId: `req-${++this.seq}` };
      },
      tagInstances: async (ids, tags) => {
        this.call('CreateTags');
        for (const id of ids) {
          const inst = this.instances.get(id);
          if (inst !== undefined) this.instances.set(id, { ...inst, tags: { ...inst.tags, ...tags } });
        }
        return { requestId: `req-${++this.seq}` };
      },
      terminateInstances: async (ids) => {
        this.call('TerminateInstances');
        for (const id of ids) {
          const inst = this.instances.get(id);
          if (inst !== undefined) this.instances.set(id, { ...inst, state: 'terminated' });
        }
        this.answer('TerminateInstances');
        return { requestId: `req-${++this.seq}` };
      },
    };
  }

  private async run(spec: LaunchSpec) {
    this.call('RunInstances');
    const existing = this.honourClientToken
      ? [...this.instances.values()].find((i) => i.token === spec.clientToken)
      : undefined;
    const id = existing?.id ?? `i-${(0xabc000 + ++this.seq).toString(16).padStart(17, '0')}`;
    if (existing === undefined) {
      this.instances.set(id, {
        id,
        state: 'pending',
        instanceType: spec.instanceType,
        tags: { ...spec.tags },
        availabilityZone: 'us-east-1a',
        bootAt: this.clock.now() + FAKE.boot,
        token: spec.clientToken,
      });
    }
    if (this.hang.has('RunInstances')) return new Promise<never>(() => undefined);
    this.answer('RunInstances');
    const inst = this.instances.get(id)!;
    return {
      instance: { id, state: inst.state, tags: inst.tags, instanceType: spec.instanceType },
      requestId: `req-${this.seq}`,
    };
  }

  private dns(): Ports['dns'] {
    const key = (name: string, type: string): string => `${name.replace(/\.$/, '').toLowerCase()}|${type}`;
    const change = (): { changeId: string; status: 'PENDING'; requestId: string } => {
      const changeId = `C${++this.seq}`;
      this.changes.set(changeId, this.clock.now() + FAKE.insync);
      return { changeId, status: 'PENDING', requestId: `req-${this.seq}` };
    };
    return {
      getRecord: async (_z, name, type) => (
        this.call('ListResourceRecordSets'), structuredClone(this.records.get(key(name, type)))
      ),
      upsertRecord: async (_z, r) => (
        this.call('ChangeResourceRecordSets'), this.records.set(key(r.name, r.type), structuredClone(r)), change()
      ),
      deleteRecord: async (_z, r) => (
        this.call('ChangeResourceRecordSets'), this.records.delete(key(r.name, r.type)), change()
      ),
      getChange: async (id) => (
        this.call('GetChange'), this.clock.now() >= (this.changes.get(id) ?? 0) ? 'INSYNC' : 'PENDING'
      ),
      hasHostedZone: async () => true,
    };
  }

  /** What visitors see: a redirect while a non-web target is healthy, the site while web targets are. */
  private probe(r: ProbeRequest): ProbeResult {
    this.tick();
    const at = this.clock.now();
    if (r.url.includes('maintenance')) {
      return this.maintenanceUp
        ? { url: r.url, at, status: 200, latencyMs: 5, markerFound: true }
        : { url: r.url, at, status: 503, latencyMs: 5, markerFound: false };
    }
    if (this.listenerActions[0]?.['Type'] === 'redirect')
      return { url: r.url, at, status: 302, location: 'https://maintenance.example.com/', latencyMs: 3 };
    const healthy = [...this.targets.values()].filter((t) => t.state === 'healthy');
    if (healthy.some((t) => !this.webIds().includes(t.id))) {
      return { url: r.url, at, status: 302, location: 'https://maintenance.example.com/', latencyMs: 3 };
    }
    return healthy.length > 0
      ? { url: r.url, at, status: 200, latencyMs: 4, markerFound: false }
      : { url: r.url, at, status: 503, latencyMs: 1 };
  }
}

/** A runbook matching the fake world. */
export function fakeRunbook(steps: Runbook['steps'], extra: Partial<Runbook> = {}): Runbook {
  return {
    name: 'fake-drill',
    region: 'us-east-1',
    site: { url: 'https://www.example.com/' },
    maintenance: { url: 'https://maintenance.example.com/', expectText: 'back soon' },
    loadBalancer: {
      targetGroup: 'web-tg',
      listener: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2',
    },
    webServers: { tags: { role: 'web' } },
    redirectServer: {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      fallbackInstanceTypes: ['t3a.micro'],
      subnetId: 'subnet-0123456789abcdef0',
      securityGroupIds: ['sg-0123456789abcdef0'],
      server: 'nginx',
      statusCode: 302,
    },
    dns: {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'www.example.com',
      type: 'CNAME',
      failoverValue: 'maintenance.example.com',
      ttl: 60,
    },
    steps,
    ...extra,
  };
}

export const EMERGENCY_STEPS: Runbook['steps'] = [
  { type: 'launch-redirect' },
  { type: 'register-redirect' },
  { type: 'wait-redirect-healthy' },
  { type: 'deregister-web' },
  { type: 'verify-maintenance' },
];
