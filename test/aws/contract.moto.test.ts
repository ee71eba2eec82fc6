import { createAwsPorts } from '../../src/aws/index.js';
import { portContract } from '../contract/ports.contract.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { attachScalingGroup, buildFixture, fixtureClients, FIXTURE_REGION } from './fixture.js';

portContract('aws adapters on moto', async () => {
  useFakeAwsCredentials();
  const moto: Moto = await startMoto();
  try {
    const fixture = await buildFixture(fixtureClients(moto.endpoint));
    await attachScalingGroup(moto.endpoint, fixture);
    const ports = createAwsPorts({ region: FIXTURE_REGION, endpointUrl: moto.endpoint });
    return { ports, runbook: fixture.runbook, cleanup: () => moto.stop() };
  } catch (error) {
    await moto.stop();
    throw error;
  }
});
