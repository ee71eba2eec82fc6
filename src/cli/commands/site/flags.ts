import { booleanFlag } from '../../args/flags.js';

/** `--wait` of site publish and refresh: one flag, one meaning. */
export const waitInvalidation = booleanFlag(
  'wait',
  'wait until the CloudFront invalidation of the changed paths has completed (at most 10 min; exit 4 if it has not)',
);
