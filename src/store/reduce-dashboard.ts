import type { EngineEvent } from '../engine/events.js';
import type { InstanceInfo } from '../ports/index.js';
import { PROBE_HISTORY, TRAFFIC_HISTORY, type DashboardState } from './state.js';

type DashboardEvent = Extract<EngineEvent, { type: 'targets' | 'probe' | 'traffic' | 'traffic-summary' }>;

/** Appends to a bounded history, dropping the oldest entries. */
export function appendCapped<T>(list: readonly T[], item: T, cap: number): readonly T[] {
  const next = list.length >= cap ? list.slice(list.length - cap + 1) : list.slice();
  next.push(item);
  return next;
}

function indexInstances(instances: readonly InstanceInfo[]): Readonly<Record<string, InstanceInfo>> {
  const byId: Record<string, InstanceInfo> = {};
  for (const instance of instances) byId[instance.id] = instance;
  return byId;
}

/** Folds one monitor event into the dashboard. Pure. */
export function reduceDashboard(dashboard: DashboardState, event: DashboardEvent): DashboardState {
  switch (event.type) {
    case 'targets':
      return {
        ...dashboard,
        targets: event.targets,
        instances: indexInstances(event.instances),
        listener: event.listener ?? dashboard.listener,
        updatedAt: event.at,
      };
    case 'probe':
      return {
        ...dashboard,
        probes: {
          ...dashboard.probes,
          [event.name]: appendCapped(dashboard.probes[event.name], event.result, PROBE_HISTORY),
        },
        maintenanceSite: event.site ?? dashboard.maintenanceSite,
      };
    case 'traffic':
      return { ...dashboard, traffic: appendCapped(dashboard.traffic, event.sample, TRAFFIC_HISTORY) };
    case 'traffic-summary':
      return { ...dashboard, trafficTotals: { total: event.total, failed: event.failed } };
  }
}
