import * as z from 'zod';
import { stepJournal } from './journal-contract.js';

/**
 * launch-redirect journals no compensation state (its undo finds the instance by the run's tags);
 * its outputs name the instance, from the RunInstances or StartInstances result on.
 */
export const launchRedirectJournal = stepJournal(
  z.object({}),
  z
    .object({
      instanceId: z.string(),
      instanceType: z.string().nullable(),
      imageId: z.string(),
      availabilityZone: z.string().nullable(),
      /** A prepared spare was started instead of a launch: undo stops it. */
      spare: z.boolean(),
    })
    .partial(),
);
