import * as z from 'zod';
import { stepJournal } from './journal-contract.js';

/** wait-redirect-healthy: the instance found healthy. */
export const waitRedirectHealthyJournal = stepJournal(z.object({}), z.object({ instanceId: z.string() }).partial());

/** verify-maintenance: what the probes saw. */
export const verifyMaintenanceJournal = stepJournal(
  z.object({}),
  z
    .object({
      maintenanceStatus: z.number().nullable(),
      siteStatus: z.number().nullable(),
      siteLocation: z.string().nullable(),
      detail: z.string(),
    })
    .partial(),
);

/** manual: the operator's acknowledgement. */
export const manualJournal = stepJournal(z.object({}), z.object({ acknowledged: z.boolean() }).partial());
