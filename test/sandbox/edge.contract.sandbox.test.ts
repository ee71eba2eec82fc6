import { afterAll } from 'vitest';
import { websiteOrigin } from '../../src/site/provision.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { edgeContract } from '../contract/edge.contract.js';
import { sandboxFor, stopAll } from './helpers.js';

const started: Sandbox[] = [];
afterAll(() => stopAll(started));

// The same contract the AWS adapters keep on moto: the sandbox's ACM, CloudFront and zones cannot drift from it.
edgeContract('sandbox', async () => {
  const sandbox = await sandboxFor(started, 'sandbox', { speed: 100 });
  const zone = (await sandbox.edge.zones.findZoneFor('maintenance.sandbox.invalid'))!;
  return {
    edge: sandbox.edge,
    dns: sandbox.ports.dns,
    zone,
    originDomain: websiteOrigin('maintenance.sandbox.invalid', 'us-east-1'),
    cleanup: () => sandbox.stop(),
  };
});
