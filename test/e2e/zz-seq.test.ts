import { afterAll, beforeAll, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../reliability/helpers/fault-proxy.js';
import { newSite, siteCli, startMotoWorld, type MotoWorld } from '../reliability/helpers/moto-world.js';
import { join } from 'node:path';
let world: MotoWorld; let proxy: FaultProxy;
beforeAll(async () => { world = await startMotoWorld(); proxy = await startFaultProxy(world.moto.endpoint); });
afterAll(async () => { await proxy.close(); await world.stop(); });
it(`sequence`, async () => {
  const site = await newSite(world, ['suspend-scaling', 'launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web', 'verify-maintenance']);
  const journalDir = join(site.dir, 'j');
  const n0 = proxy.seen.length;
  const f = await siteCli(world, site, 'failover', { journalDir, endpoint: proxy.endpoint });
  const n1 = proxy.seen.length;
  const r = await siteCli(world, site, 'rollback', { journalDir, endpoint: proxy.endpoint });
  console.log('FAILOVER', f.status, proxy.seen.slice(n0, n1).length, proxy.seen.slice(n0, n1).join(' '));
  console.log('ROLLBACK', r.status, proxy.seen.slice(n1).length, proxy.seen.slice(n1).join(' '));
}, 120000);
