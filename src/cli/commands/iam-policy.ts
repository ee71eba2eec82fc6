import { UsageError } from '../../domain/errors.js';
import { ALWAYS, booleanFlag, json } from '../args/flags.js';
import { defineCommand } from '../args/tree.js';
import { jsonText } from '../output/json-out.js';

/** `hotspare iam-policy RUNBOOK`: the least-privilege policy document. */
export const iamPolicy = defineCommand({
  name: 'iam-policy',
  args: { usage: 'RUNBOOK', kind: 'runbook', max: 1 },
  summary: 'the least-privilege IAM policy the runbook needs',
  details:
    'Prints the least-privilege IAM policy document the runbook needs (indented; one line with --json): the failover and rollback calls and the reads of plan, preflight and the dashboard (for an https:// maintenance URL, its CloudFront distribution and ACM certificate, read-only). With --site, also what the site commands need: publish to the bucket, the CloudFront invalidation, and `site provision` (certificate, distribution, DNS records).',
  flags: { json, site: booleanFlag('site', 'also the site commands: publish, invalidation, provision'), ...ALWAYS },
  run: async ({ args, flags, io }) => {
    const file = args[0];
    if (file === undefined)
      throw new UsageError('Name a runbook: hotspare iam-policy RUNBOOK', { code: 'MissingRunbook' });
    const { runbook } = await (await import('../../runbook/load.js')).loadRunbook(file);
    const { iamPolicyFor } = await import('../../aws/index.js');
    io.out(jsonText(iamPolicyFor(runbook, { site: flags.site }), flags.json ? undefined : 2));
    return 0;
  },
});
