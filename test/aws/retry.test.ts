import { sampleRedirect } from '../helpers/redirect-config.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsPorts } from '../../src/aws/index.js';
import { useFakeAwsCredentials } from '../helpers/moto.js';

/**
 * An endpoint that answers every request with a 503: what an AWS outage or a lost answer looks
 * like to the SDK. It counts the requests per action.
 */
describe('the SDK retries reads, never a mutating call', () => {
  let server: Server;
  let endpoint: string;
  const seen = new Map<string, number>();

  beforeAll(async () => {
    useFakeAwsCredentials();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const action = /Action=([A-Za-z]+)/.exec(body)?.[1] ?? 'unknown';
        seen.set(action, (seen.get(action) ?? 0) + 1);
        res
          .writeHead(503, { 'content-type': 'text/xml' })
          .end(
            '<Response><Errors><Error><Code>ServiceUnavailable</Code><Message>down</Message></Error></Errors></Response>',
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends DescribeInstances up to maxAttempts times, RunInstances and TerminateInstances once', async () => {
    const ports = createAwsPorts({ region: 'us-east-1', endpointUrl: endpoint, maxAttempts: 3 });
    await expect(ports.compute.describeInstances({ ids: ['i-0123456789abcdef0'] })).rejects.toMatchObject({
      kind: 'external',
    });
    const spec = {
      imageId: 'ami-0123456789abcdef0',
      instanceType: 't3.micro',
      subnetId: 'subnet-0123456789abcdef0',
      securityGroupIds: ['sg-0123456789abcdef0'],
      redirect: sampleRedirect(),
      clientToken: 'hs-test',
      tags: { 'hotspare:run': 'r' },
    };
    // A 5xx on a mutating call leaves its outcome unknown: the steps read before they act again.
    await expect(ports.compute.runInstance(spec)).rejects.toMatchObject({ kind: 'external', outcomeUnknown: true });
    await expect(ports.compute.terminateInstances(['i-0123456789abcdef0'])).rejects.toMatchObject({ kind: 'external' });
    expect(Object.fromEntries(seen)).toEqual({ DescribeInstances: 3, RunInstances: 1, TerminateInstances: 1 });
  }, 60_000);
});
