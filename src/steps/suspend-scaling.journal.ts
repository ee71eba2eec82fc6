import * as z from 'zod';
import { stepJournal } from './journal-contract.js';

/** Compensation key of one group: `scaling:GROUP`. */
export const SCALING_KEY = 'scaling:';

/** What hotspare suspended in one group, and what was suspended already (left so by the undo). */
export const suspension = z.object({ suspendedByHotspare: z.array(z.string()), alreadySuspended: z.array(z.string()) });

/** suspend-scaling: one `scaling:GROUP` entry per group it suspended processes in; its output, the groups it looked at. */
export const suspendScalingJournal = stepJournal(
  z.object({}).catchall(suspension),
  z.object({ groups: z.array(z.string()) }).partial(),
);
