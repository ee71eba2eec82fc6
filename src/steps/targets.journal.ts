import * as z from 'zod';
import { stepJournal, targetJson } from './journal-contract.js';

/** register-redirect: the target it registers, journaled with the intent (an undo after a crash in flight knows it) and as its output. */
export const registerRedirectJournal = stepJournal(
  z.object({ targets: z.array(targetJson) }).partial(),
  z.object({ targets: z.array(targetJson) }).partial(),
);

/** deregister-web: the web targets it takes out of service, journaled once with the intent; no outputs. */
export const deregisterWebJournal = stepJournal(z.object({ targets: z.array(targetJson) }).partial(), z.object({}));
