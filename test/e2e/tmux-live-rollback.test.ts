import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildFixture, fixtureClients, FIXTURE_REGION, type Fixture } from '../aws/fixture.js';
import { tempDir } from '../helpers/engine.js';
import { flat, terminal } from '../helpers/tmux.js';
import { MARKER, startLocalSite, type LocalSite } from '../helpers/local-site.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { pause } from '../helpers/wait.js';

/**
 * The LIVE dashboard against moto in a real terminal: a rollback is asked for like a failover (what
 * will be undone, the web servers, the runbook's name typed, each undo confirmed) and nothing is
 * undone before that.
 */

const BIN = join(process.cwd(), 'dist/cli/bin.js');
const term = terminal('live');
const { send, screen, waitFor } = term;

describe('rollback from the LIVE dashboard against moto (tmux)', () => {
  let moto: Moto;
  let fixture: Fixture;
  let runbookFile: string;
  let site: LocalSite | undefined;

  beforeAll(async () => {
    useFakeAwsCredentials();
    moto = await startMoto();
    site = await startLocalSite();
    const { siteUrl, maintenanceUrl } = site;
    fixture = await buildFixture(fixtureClients(moto.endpoint), {
      siteUrl,
      maintenanceUrl,
      expectText: MARKER,
      steps: ['launch-redirect', 'register-redirect', 'wait-redirect-healthy', 'deregister-web', 'verify-maintenance'],
    });
    runbookFile = join(tempDir('hotspare-live-'), 'live.yaml');
    writeFileSync(runbookFile, stringify({ ...fixture.runbook, polling: { intervalSeconds: 0.5 } }));
  });

  afterAll(async () => {
    term.close();
    await site?.close();
    await moto?.stop();
  });

  async function targets(): Promise<string[]> {
    const out = await fixtureClients(moto.endpoint).elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: fixture.targetGroupArn }),
    );
    return (out.TargetHealthDescriptions ?? [])
      .filter((d) => d.TargetHealth?.State !== 'draining')
      .map((d) => d.Target?.Id ?? '')
      .sort();
  }

  it('b asks first, with the undo calls and the name to type; then each undo is confirmed', async () => {
    const name = fixture.runbook.name;
    const environment = `AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=${FIXTURE_REGION} AWS_EC2_METADATA_DISABLED=true`;
    const command = `env -u CI -u CONTINUOUS_INTEGRATION -u AWS_PROFILE ${environment} node ${BIN} ${runbookFile} --endpoint-url ${moto.endpoint} --journal-dir ${tempDir('hotspare-live-journal-')}; echo EXITED $?; sleep 60`;
    term.start(command, 140, 45);
    await waitFor((s) => s.includes('LIVE') && /f.failover/.test(s), 'the live dashboard');

    send('f');
    await waitFor((s) => flat(s).includes(flat(`Type the runbook name (${name})`)), 'the typed-name question');
    send('-l', name);
    send('Enter');
    await waitFor(
      (s) => s.includes('Failover complete'),
      'the failover',
      60_000,
      (s) => {
        if (/Run it\?|Done\?/.test(s)) send('Enter');
      },
    );
    const during = await targets();
    expect(during).toHaveLength(1);
    expect(fixture.webInstanceIds).not.toContain(during[0]);

    send('b');
    const asked = await waitFor((s) => s.includes('Roll back run'), 'the rollback question');
    expect(flat(asked)).toContain(flat('Traffic goes back to the web servers'));
    expect(flat(asked)).toContain(flat(`Type the runbook name (${name}) to roll back production`));
    expect(asked).toContain('elbv2 RegisterTargets');
    // Nothing is undone while the question is up.
    await pause(1500);
    expect(await targets()).toEqual(during);

    send('-l', name);
    send('Enter');
    const undo = await waitFor((s) => /Undo 1\/\d+/.test(s), 'the first undo confirmation');
    expect(undo).toContain('Undo it?');
    await waitFor(
      (s) => s.includes('Rollback complete'),
      'the rollback',
      60_000,
      (s) => {
        if (/Undo it\?/.test(s)) send('Enter');
      },
    );
    expect(await targets()).toEqual([...fixture.webInstanceIds].sort());

    send('q');
    await waitFor(
      (s) => s.includes('EXITED'),
      'the process to exit',
      10_000,
      (s) => {
        if (/quit\?/i.test(s)) send('y');
      },
    );
    expect(screen()).toContain('EXITED 0');
  }, 180_000);
});
