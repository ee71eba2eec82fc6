import * as z from 'zod';
import { stepJournal } from './journal-contract.js';

/** A DNS record as journaled (ports' DnsRecord). */
const dnsRecord = z.looseObject({
  name: z.string(),
  type: z.string(),
  ttl: z.number().optional(),
  values: z.array(z.string()).optional(),
  aliasTarget: z
    .looseObject({ hostedZoneId: z.string(), dnsName: z.string(), evaluateTargetHealth: z.boolean() })
    .optional(),
  setIdentifier: z.string().optional(),
  healthCheckId: z.string().optional(),
});

/** dns-failover: the record before the change (`null`: there was none), and the record it wrote. */
export const dnsFailoverJournal = stepJournal(
  z.object({ hostedZoneId: z.string(), previous: dnsRecord.nullable() }).partial(),
  z.object({ hostedZoneId: z.string(), record: dnsRecord, changeId: z.string() }).partial(),
);
