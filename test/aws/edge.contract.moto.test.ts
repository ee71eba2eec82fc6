import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { createAwsPorts } from '../../src/aws/index.js';
import { bareHostedZoneId } from '../../src/domain/dns-name.js';
import { edgeContract } from '../contract/edge.contract.js';
import { startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';

edgeContract('aws adapters on moto', async () => {
  useFakeAwsCredentials();
  // moto issues a requested certificate this many seconds after the request.
  process.env['MOTO_ACM_VALIDATION_WAIT'] = '1';
  const moto: Moto = await startMoto();
  try {
    const route53 = new Route53Client({ region: 'us-east-1', endpoint: moto.endpoint });
    const zone = await route53.send(
      new CreateHostedZoneCommand({ Name: 'shop.example.com', CallerReference: 'contract' }),
    );
    await route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'contract-parent' }));
    route53.destroy();
    // The runbook's region is elsewhere: ACM and CloudFront are used in us-east-1 all the same.
    const ports = createAwsPorts({ region: 'eu-west-1', endpointUrl: moto.endpoint });
    return {
      edge: ports.edge,
      dns: ports.dns,
      zone: { id: bareHostedZoneId(zone.HostedZone?.Id ?? ''), name: 'shop.example.com' },
      originDomain: 'maintenance.shop.example.com.s3-website-eu-west-1.amazonaws.com',
      cleanup: () => moto.stop(),
    };
  } catch (error) {
    await moto.stop();
    throw error;
  }
});
