import type { Runbook } from '../../src/runbook/schema.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { portContract } from '../contract/ports.contract.js';
import { shipped } from './helpers.js';

/** The shipped sandbox runbook plus a CNAME failover, so the DNS part of the contract runs too. */
async function contractRunbook(): Promise<Runbook> {
  const runbook = await shipped('sandbox');
  return {
    ...runbook,
    dns: {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      recordName: 'www.sandbox.invalid',
      type: 'CNAME',
      failoverValue: 'maintenance.sandbox.invalid',
      ttl: 60,
    },
  };
}

portContract('sandbox', async () => {
  const sandbox = await startSandbox(await contractRunbook(), { speed: 100 });
  return { ports: sandbox.ports, runbook: sandbox.runbook, cleanup: () => sandbox.stop() };
});

portContract('sandbox (web servers named by id)', async () => {
  const base = await contractRunbook();
  const runbook: Runbook = { ...base, webServers: { instanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] } };
  const sandbox = await startSandbox(runbook, { speed: 100 });
  return { ports: sandbox.ports, runbook: sandbox.runbook, cleanup: () => sandbox.stop() };
});
