import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, FIXTURE_REGION } from '../aws/fixture.js';
import { requireBuiltCli } from '../helpers/cli.js';
import { describeRun, runCli } from '../reliability/helpers/cli.js';
import { motoView } from '../reliability/helpers/invariants.js';
import { startMotoWorld, type MotoWorld } from '../reliability/helpers/moto-world.js';

/**
 * EC2 refuses user data over 16 KB. A redirect server whose user data would be larger (a very long
 * maintenance URL: it is written into the server's config several times) is refused before any
 * launch, with the size and what to shorten, by the built CLI against moto (which, unlike EC2,
 * would accept it).
 */
let world: MotoWorld;

beforeAll(async () => {
  requireBuiltCli();
  world = await startMotoWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('the 16 KB user-data limit (built CLI, moto)', () => {
  for (const server of ['builtin', 'nginx'] as const) {
    it(`a ${server} redirect server whose user data would be over 16 KB is refused before anything is launched`, async () => {
      const maintenanceUrl = `${world.site.maintenanceUrl}${'m'.repeat(9000)}/`;
      const fixture = await buildFixture(world.clients, { siteUrl: world.site.siteUrl, maintenanceUrl, server });
      const runbookFile = join(world.work, `long-url-${server}.yaml`);
      writeFileSync(runbookFile, stringify(fixture.runbook));
      const run = await runCli(
        [
          'failover',
          runbookFile,
          '--yes',
          '--headless',
          '--endpoint-url',
          world.moto.endpoint,
          '--region',
          FIXTURE_REGION,
          '--journal-dir',
          join(world.work, `journal-${server}`),
        ],
        { home: world.work },
      );
      expect(run.status, describeRun(run)).toBe(2);
      expect(run.stderr, describeRun(run)).toMatch(
        /hotspare: The redirect server's user data would be \d+ bytes; EC2 takes at most 16384 \(16 KB, before base64\)\./,
      );
      expect(run.stderr, describeRun(run)).toContain('next: Shorten maintenance.url');
      expect(await motoView(world.clients, fixture).runInstances()).toEqual([]);
    }, 60_000);
  }
});
