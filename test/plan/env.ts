import { loadRunbook } from '../../src/runbook/load.js';
import { runbookSchema, type Runbook } from '../../src/runbook/schema.js';
import type { ListenerInfo } from '../../src/ports/index.js';
import type { RunEnvironment } from '../../src/domain/types.js';

export const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/example-web-tg/73e2d6bc24d8a067';
export const LISTENER_ARN =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/example-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';

export interface EnvOptions {
  readonly intervalSeconds?: number;
  readonly deregistrationDelaySeconds?: number;
  readonly webIds?: readonly string[];
  readonly listener?: ListenerInfo;
}

/** An environment as `discoverEnvironment` would read it from an account whose settings are not the ALB defaults. */
export function discoveredEnv(opts: EnvOptions = {}): RunEnvironment {
  const webIds = opts.webIds ?? ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2'];
  return {
    discovered: true,
    account: '123456789012',
    targetGroup: {
      arn: TG_ARN,
      name: 'example-web-tg',
      protocol: 'HTTP',
      port: 8080,
      targetType: 'instance',
      healthCheck: {
        protocol: 'HTTP',
        path: '/healthz',
        port: 'traffic-port',
        intervalSeconds: opts.intervalSeconds ?? 10,
        timeoutSeconds: 5,
        healthyThreshold: 3,
        unhealthyThreshold: 2,
      },
      deregistrationDelaySeconds: opts.deregistrationDelaySeconds ?? 30,
      loadBalancerArns: [
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/example-alb/50dc6c495c0c9188',
      ],
    },
    webTargets: webIds.map((id, i) => ({
      id,
      port: 8080,
      availabilityZone: i % 2 === 0 ? 'us-east-1a' : 'us-east-1b',
    })),
    webInstances: [],
    listener: opts.listener,
  };
}

export async function shipped(name: 'classic-order' | 'emergency-mode'): Promise<Runbook> {
  return (await loadRunbook(`runbooks/${name}.yaml`)).runbook;
}

export async function good(name: 'instance-ids' | 'listener-redirect' | 'dns'): Promise<Runbook> {
  return (await loadRunbook(`test/fixtures/runbooks/good/${name}.yaml`)).runbook;
}

/** A runbook with other steps (and optionally other settings), validated as a file would be. */
export function withSteps(base: Runbook, steps: Runbook['steps'], patch: Partial<Runbook> = {}): Runbook {
  return runbookSchema.parse({ ...base, ...patch, steps });
}

/** When each planned step starts, in seconds from the start of the run. */
export function startTimes(seconds: readonly number[]): number[] {
  let t = 0;
  return seconds.map((s) => {
    const start = t;
    t += s;
    return start;
  });
}
