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

/** What visitors saw fail: 5xx answers plus connection errors and timeouts. */
export function failedOf(counts: TrafficCounts): number {
  return counts['5xx'] + counts.error;
}

export function classify(status: number | undefined): TrafficClass {
  if (status === undefined || status < 200 || status >= 600) return 'error';
  return `${Math.floor(status / 100)}xx` as TrafficClass;
}

/** Starts nothing: call `start()` on the result. */
export function createTrafficMonitor(options: TrafficOptions): TrafficMonitor {
  return new Traffic(options);
}

class Traffic implements TrafficMonitor {
  readonly #options: TrafficOptions;
  readonly #listeners = new Set<(sample: TrafficSample) => void>();
  readonly #history: TrafficSample[] = [];
  readonly #totals: Record<TrafficClass, number> = { ...EMPTY };
  readonly #inFlight = new Set<ClientRequest>();
  #bucket: Record<TrafficClass, number> = { ...EMPTY };
  #timers: NodeJS.Timeout[] = [];
  #agent: Agent | undefined;
  #budget = 0;
  /** Bumped by start() and stop(), so answers to an earlier run are not counted. */
  #generation = 0;

  constructor(options: TrafficOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#timers.length > 0;
  }

  start(): void {
    if (this.running) return;
    const gen = ++this.#generation;
    this.#agent = new Agent({ keepAlive: true, maxSockets: this.#maxInFlight() });
    this.#timers = [setInterval(() => this.#tick(gen), TICK_MS), setInterval(() => this.#flush(), 1000)];
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#generation += 1;
    const closing = [...this.#inFlight].map(
      (req) => new Promise<void>((resolve) => req.once('close', () => resolve())),
    );
    for (const req of this.#inFlight) req.destroy();
    this.#agent?.destroy();
    this.#agent = undefined;
    await Promise.all(closing);
  }

  subscribe(listener: (sample: TrafficSample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  totals(): TrafficTotals {
    const byClass = { ...this.#totals };
    return { total: sum(byClass), byClass, failed: failedOf(byClass) };
  }

  samples(): readonly TrafficSample[] {
    return [...this.#history];
  }

  #maxInFlight(): number {
    return this.#options.maxInFlight ?? 32;
  }

  #tick(gen: number): void {
    this.#budget += ((this.#options.rate ?? 20) * TICK_MS) / 1000;
    while (this.#budget >= 1) {
      this.#budget -= 1;
      if (this.#inFlight.size < this.#maxInFlight()) this.#send(gen);
    }
  }

  #record(cls: TrafficClass, gen: number): void {
    if (gen !== this.#generation) return;
    this.#totals[cls] += 1;
    this.#bucket[cls] += 1;
  }

  #send(gen: number): void {
    const url = this.#options.target();
    if (url === undefined) return this.#record('error', gen);
    let counted = false;
    const once = (cls: TrafficClass): void => {
      if (!counted) this.#record(cls, gen);
      counted = true;
    };
    const headers = { 'user-agent': 'hotspare-traffic' };
    const req = request(url, { agent: this.#agent, timeout: this.#options.timeoutMs ?? 5000, headers }, (res) => {
      res.resume();
      res.on('end', () => once(classify(res.statusCode)));
      res.on('error', () => once('error'));
    });
    this.#inFlight.add(req);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => once('error'));
    req.on('close', () => this.#inFlight.delete(req));
    req.end();
  }

  #flush(): void {
    const sample: TrafficSample = {
      second: this.#history.length,
      counts: { ...this.#bucket },
      total: sum(this.#bucket),
    };
    this.#bucket = { ...EMPTY };
    this.#history.push(sample);
    for (const listener of this.#listeners) listener(sample);
  }
}

function sum(counts: TrafficCounts): number {
  return counts['2xx'] + counts['3xx'] + counts['4xx'] + counts['5xx'] + counts.error;
}
