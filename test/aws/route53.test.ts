import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDns } from '../../src/aws/route53.js';

const mock = mockClient(Route53Client);
const dns = createDns(new Route53Client({ region: 'us-east-1' }));

beforeEach(() => mock.reset());

describe('getRecord', () => {
  it('matches name (case and trailing dot aside) and type exactly', async () => {
    mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        { Name: 'www.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'alb.example.net' }] },
      ],
    });
    expect(await dns.getRecord('Z1', 'WWW.example.com', 'CNAME')).toEqual({
      name: 'www.example.com',
      type: 'CNAME',
      ttl: 300,
      values: ['alb.example.net'],
    });
    expect(mock.commandCalls(ListResourceRecordSetsCommand)[0]?.args[0].input).toMatchObject({
      StartRecordName: 'WWW.example.com',
      StartRecordType: 'CNAME',
    });
  });

  it('does not take the next record in order for a missing one', async () => {
    mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [{ Name: 'xyz.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] }],
    });
    expect(await dns.getRecord('Z1', 'www.example.com', 'A')).toBeUndefined();
  });

  it('reads alias records and decodes escaped wildcard names', async () => {
    mock.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: '\\052.example.com.',
          Type: 'A',
          AliasTarget: { HostedZoneId: 'Z35', DNSName: 'alb.amazonaws.com.', EvaluateTargetHealth: true },
        },
      ],
    });
    expect(await dns.getRecord('Z1', '*.example.com', 'A')).toEqual({
      name: '*.example.com',
      type: 'A',
      aliasTarget: { hostedZoneId: 'Z35', dnsName: 'alb.amazonaws.com.', evaluateTargetHealth: true },
    });
  });
});

describe('changes', () => {
  it('upserts one record and returns the bare change id, status and request id', async () => {
    mock.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C123', Status: 'PENDING', SubmittedAt: new Date() },
      $metadata: { requestId: 'req-1' },
    });
    const change = await dns.upsertRecord('Z1', {
      name: 'www.example.com',
      type: 'CNAME',
      ttl: 60,
      values: ['m.example.com'],
    });
    expect(change).toEqual({ changeId: 'C123', status: 'PENDING', requestId: 'req-1' });
    expect(mock.commandCalls(ChangeResourceRecordSetsCommand)[0]?.args[0].input.ChangeBatch?.Changes).toEqual([
      {
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: 'www.example.com',
          Type: 'CNAME',
          TTL: 60,
          ResourceRecords: [{ Value: 'm.example.com' }],
        },
      },
    ]);
  });

  it('reports a change INSYNC only when Route 53 says so', async () => {
    mock
      .on(GetChangeCommand)
      .resolvesOnce({ ChangeInfo: { Id: 'C1', Status: 'PENDING', SubmittedAt: new Date() } })
      .resolves({ ChangeInfo: { Id: 'C1', Status: 'INSYNC', SubmittedAt: new Date() } });
    expect(await dns.getChange('C1')).toBe('PENDING');
    expect(await dns.getChange('C1')).toBe('INSYNC');
  });
});
