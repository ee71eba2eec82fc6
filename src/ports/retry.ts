import { HotspareError } from './errors.js';
import type { Clock, Ports } from './index.js';

/** Told about each retry, so throttling shows as progress rather than silence. */
export type OnRetry = (message: string) => void;

/**
 * Run a read again when it fails with a retryable error (throttling, network), up to `attempts`
 * times with a doubling delay. Reads only: a mutation is never retried blindly.
 */
export async function retryRead<T>(clock: Clock, read: () => Promise<T>, attempts = 4, delayMs = 500, onRetry?: OnRetry): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (error) {
      if (i >= attempts || !(error instanceof HotspareError) || !error.retryable) throw error;
      const wait = delayMs * 2 ** (i - 1);
      onRetry?.(`${error.message} Retrying in ${wait / 1000} s.`);
      await clock.sleep(wait);
    }
  }
}

const READS = {
  lb: ['describeTargetGroup', 'describeTargetHealth', 'describeListener'],
  compute: ['describeInstances', 'checkLaunch', 'describeImage', 'describeInstanceType', 'describeSubnetNetwork'],
  dns: ['getRecord', 'getChange', 'hasHostedZone'],
} as const;

function wrap<T extends object>(target: T, methods: readonly string[], clock: Clock, onRetry?: OnRetry): T {
  const wrapped: Record<string, unknown> = {};
  for (const name of methods) {
    const fn = (target as Record<string, unknown>)[name];
    if (typeof fn === 'function') wrapped[name] = (...args: unknown[]) => retryRead(clock, () => (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args), 4, 500, onRetry);
  }
  return new Proxy(target, {
    get: (t, key) => {
      if (typeof key === 'string' && key in wrapped) return wrapped[key];
      const value: unknown = Reflect.get(t, key);
      // Methods of class-based ports must run with the port itself as `this` (private fields).
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/**
 * The same ports with every read retried on throttling and network errors (see `retryRead`), so a
 * busy account slows a step down instead of failing it. Mutations pass through untouched.
 */
export function withRetriedReads(ports: Ports, onRetry?: OnRetry): Ports {
  return {
    ...ports,
    lb: wrap(ports.lb, READS.lb, ports.clock, onRetry),
    compute: wrap(ports.compute, READS.compute, ports.clock, onRetry),
    dns: wrap(ports.dns, READS.dns, ports.clock, onRetry),
  };
}
