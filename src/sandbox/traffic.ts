import { Agent, request, type ClientRequest } from 'node:http';

export type TrafficClass = '2xx' | '3xx' | '4xx' | '5xx' | 'error';

export type TrafficCounts = Readonly<Record<TrafficClass, number>>;

/** Responses completed during one wall-clock second of a run (`second` counts from 0 at start()). */
export interface TrafficSample {
  readonly second: number;
  readonly counts: TrafficCounts;
  readonly total: number;
}

export interface TrafficTotals {
  readonly total: number;
  readonly byClass: TrafficCounts;
  /** 5xx plus connection errors and timeouts: what visitors saw fail. */
  readonly failed: number;
}

/**
 * Simulated visitors. Sends `rate` GETs per second over keep-alive connections with at most
 * `maxInFlight` outstanding (a tick that would exceed it sends nothing), never follows redirects (a
 * 3xx to the maintenance site counts as served), and classifies each response. stop() aborts what
 * is in flight (not counted) and resolves once every socket is closed.
 */
export interface TrafficMonitor {
  start(): void;
  stop(): Promise<void>;
  readonly running: boolean;
  /** Called once a second with that second's sample; returns the unsubscribe function. */
  subscribe(listener: (sample: TrafficSample) => void): () => void;
  totals(): TrafficTotals;
  /** Every completed second so far, oldest first. */
  samples(): readonly TrafficSample[];
}

export interface TrafficOptions {
  /** Requests per second (default 20). */
  readonly rate?: number | undefined;
  /** Where the next request goes (the front, or where DNS points); undefined counts as an error (no such host). */
  readonly target: () => string | undefined;
  readonly maxInFlight?: number | undefined;
  /** Per-request timeout in ms (default 5000); a timeout counts as an error. */
  readonly timeoutMs?: number | undefined;
}

const TICK_MS = 50;
const EMPTY: TrafficCounts = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, error: 0 };

export function classify(status: number | undefined): TrafficClass {
  if (status === undefined || status < 200 || status >= 600) return 'error';
  return `${Math.floor(status / 100)}xx` as TrafficClass;
}

export function createTrafficMonitor(options: TrafficOptions): TrafficMonitor {
  const rate = options.rate ?? 20;
  const maxInFlight = options.maxInFlight ?? 32;
  const listeners = new Set<(sample: TrafficSample) => void>();
  const history: TrafficSample[] = [];
  const totals: Record<TrafficClass, number> = { ...EMPTY };
  const inFlight = new Set<ClientRequest>();
  let bucket: Record<TrafficClass, number> = { ...EMPTY };
  let timers: NodeJS.Timeout[] = [];
  let agent: Agent | undefined;
  let budget = 0;
  let generation = 0;

  const record = (cls: TrafficClass, gen: number): void => {
    if (gen !== generation) return;
    totals[cls] += 1;
    bucket[cls] += 1;
  };

  const send = (gen: number): void => {
    const url = options.target();
    if (url === undefined) return record('error', gen);
    let counted = false;
    const once = (cls: TrafficClass): void => {
      if (!counted) record(cls, gen);
      counted = true;
    };
    const req = request(url, { agent, timeout: options.timeoutMs ?? 5000, headers: { 'user-agent': 'hotspare-traffic' } }, (res) => {
      res.resume();
      res.on('end', () => once(classify(res.statusCode)));
      res.on('error', () => once('error'));
    });
    inFlight.add(req);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => once('error'));
    req.on('close', () => inFlight.delete(req));
    req.end();
  };

  const tick = (gen: number): void => {
    budget += (rate * TICK_MS) / 1000;
    while (budget >= 1) {
      budget -= 1;
      if (inFlight.size < maxInFlight) send(gen);
    }
  };

  const flush = (): void => {
    const sample: TrafficSample = { second: history.length, counts: { ...bucket }, total: sum(bucket) };
    bucket = { ...EMPTY };
    history.push(sample);
    for (const listener of listeners) listener(sample);
  };

  const monitor: TrafficMonitor = {
    get running() {
      return timers.length > 0;
    },
    start() {
      if (timers.length > 0) return;
      generation += 1;
      const gen = generation;
      agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
      timers = [setInterval(() => tick(gen), TICK_MS), setInterval(flush, 1000)];
    },
    async stop() {
      if (timers.length === 0) return;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      generation += 1;
      const closing = [...inFlight].map((req) => new Promise<void>((resolve) => req.once('close', () => resolve())));
      for (const req of inFlight) req.destroy();
      agent?.destroy();
      agent = undefined;
      await Promise.all(closing);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    totals() {
      const byClass = { ...totals };
      return { total: sum(byClass), byClass, failed: byClass['5xx'] + byClass.error };
    },
    samples: () => [...history],
  };
  return monitor;
}

function sum(counts: TrafficCounts): number {
  return counts['2xx'] + counts['3xx'] + counts['4xx'] + counts['5xx'] + counts.error;
}
