import type { EventSink } from '../../engine/events.js';
import { failedOf, type TrafficMonitor } from '../../sandbox/traffic.js';

/**
 * Feeds the sandbox's simulated visitors into the engine's event stream: a `traffic` event each
 * second and, with `summaries`, the running totals after each. Returns the unsubscribe function.
 */
export function feedTraffic(traffic: TrafficMonitor, emit: EventSink, summaries: boolean): () => void {
  return traffic.subscribe((s) => {
    const failed = failedOf(s.counts);
    emit({ type: 'traffic', sample: { second: s.second, ok: s.total - failed, failed } });
    if (summaries) {
      const totals = traffic.totals();
      emit({ type: 'traffic-summary', total: totals.total, failed: totals.failed });
    }
  });
}
