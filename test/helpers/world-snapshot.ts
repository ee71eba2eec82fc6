import { FakeWorld } from './fake-ports.js';

/**
 * The fake world of a fixture journal (`test/fixtures/journals/*`: `world-before.json`,
 * `world-after.json`), as JSON: what the world held when the journal was written.
 */
export interface WorldSnapshot {
  readonly now: number;
  readonly seq: number;
  readonly instances: readonly (Record<string, unknown> & {
    id: string;
    state: string;
    tags: Record<string, string>;
  })[];
  readonly targets: readonly { id: string; port: number; az: string; state: string; since: number }[];
  readonly rules: FakeWorld['rules'];
  readonly listenerActions: FakeWorld['listenerActions'];
  readonly records: readonly [string, unknown][];
  readonly changes: readonly [string, number][];
  readonly groups: readonly { name: string; instanceIds: string[]; targetGroupArns: string[]; suspended: string[] }[];
}

/** A fake world holding exactly what the snapshot says. */
export function restoreWorld(s: WorldSnapshot): FakeWorld {
  const world = new FakeWorld(0);
  world.clock.t = s.now;
  (world as unknown as { seq: number }).seq = s.seq;
  for (const i of s.instances) world.instances.set(i.id, structuredClone(i) as never);
  for (const t of s.targets) world.targets.set(t.id, structuredClone(t) as never);
  world.rules = structuredClone(s.rules);
  world.listenerActions = structuredClone(s.listenerActions);
  for (const [k, v] of s.records) world.records.set(k, structuredClone(v) as never);
  for (const [k, v] of s.changes) world.changes.set(k, v);
  for (const g of s.groups) world.groups.set(g.name, { ...structuredClone(g), suspended: new Set(g.suspended) });
  return world;
}

/** What the world holds now, as a snapshot. */
export function snapshotOf(world: FakeWorld): WorldSnapshot {
  return JSON.parse(
    JSON.stringify({
      now: world.clock.now(),
      seq: (world as unknown as { seq: number }).seq,
      instances: [...world.instances.values()],
      targets: [...world.targets.values()],
      rules: world.rules,
      listenerActions: world.listenerActions,
      records: [...world.records.entries()],
      changes: [...world.changes.entries()],
      groups: [...world.groups.values()].map((g) => ({ ...g, suspended: [...g.suspended].sort() })),
    }),
  ) as WorldSnapshot;
}

/**
 * What a failover changes and a rollback must give back, comparable between worlds: the live
 * instances and their states, the targets in service, the listener, its rules, the DNS records and
 * the processes each Auto Scaling group has suspended.
 */
export function effects(world: FakeWorld | WorldSnapshot): unknown {
  const w = world instanceof FakeWorld ? snapshotOf(world) : world;
  return {
    instances: w.instances
      .filter((i) => i.state !== 'terminated' && i.state !== 'shutting-down')
      .map((i) => `${i.id} ${i.state}`)
      .sort(),
    inService: w.targets
      .filter((t) => t.state !== 'draining')
      .map((t) => `${t.id}:${t.port} ${t.state}`)
      .sort(),
    listener: w.listenerActions,
    rules: [...w.rules].sort((a, b) => a.priority - b.priority),
    records: [...w.records].sort(([a], [b]) => a.localeCompare(b)),
    groups: w.groups.map((g) => `${g.name}: ${[...g.suspended].sort().join(',')}`).sort(),
  };
}
