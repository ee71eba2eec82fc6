import { ALWAYS } from '../args/flags.js';
import { defineGroup } from '../args/tree.js';
import { abandon } from './abandon.js';
import { arm } from './arm.js';
import { completion } from './completion.js';
import { dashboard } from './dashboard.js';
import { disarm } from './disarm.js';
import { drill } from './drill.js';
import { failover } from './failover.js';
import { help } from './help.js';
import { iamPolicy } from './iam-policy.js';
import { plan } from './plan.js';
import { prepare } from './prepare.js';
import { resume } from './resume.js';
import { rollback } from './rollback.js';
import { runs } from './runs.js';
import { site } from './site/index.js';
import { status } from './status.js';
import { timeline } from './timeline.js';
import { validate } from './validate.js';

/**
 * Every command of hotspare, in the order `hotspare --help` lists them: the one tree that parsing,
 * help, "did you mean" and shell completion walk. A runbook with no command word opens the dashboard.
 */
export const ROOT = defineGroup({
  name: 'hotspare',
  summary: 'keep the site up on its worst day',
  details: 'hotspare — keep the site up on its worst day',
  children: [
    validate,
    plan,
    failover,
    resume,
    rollback,
    abandon,
    status,
    drill,
    runs,
    timeline,
    iamPolicy,
    prepare,
    arm,
    disarm,
    site,
    help,
    completion,
  ],
  fallback: dashboard,
  flags: ALWAYS,
});
