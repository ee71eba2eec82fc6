import * as z from 'zod';
import { listenerAction, stepJournal } from './journal-contract.js';

/**
 * set-listener-redirect and set-listener-fixed-response: the listener's default actions before the
 * change, and the rule cover's (listener-rules.ts): the cover rule about to be created, or each
 * forwarding rule's actions under `rule:ARN` when no priority was free; the staff bypass's
 * (listener-bypass.ts): `bypass` before its rules are created, `bypassRuleArns` after.
 */
export const listenerJournal = stepJournal(
  z
    .object({
      listenerArn: z.string(),
      previousActions: z.array(listenerAction),
      coverRule: z.object({ listenerArn: z.string(), priority: z.number(), action: listenerAction }),
      bypass: z.object({ listenerArn: z.string(), targetGroupArn: z.string(), cidrs: z.array(z.string()) }),
    })
    .partial()
    .catchall(z.array(listenerAction)),
  z
    .object({
      listenerArn: z.string(),
      action: listenerAction,
      coverRuleArn: z.string(),
      bypassRuleArns: z.array(z.string()),
    })
    .partial(),
);
