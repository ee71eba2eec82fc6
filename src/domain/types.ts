import type { ImageInfo, InstanceInfo, ListenerInfo, SubnetNetwork, Target, TargetGroupInfo } from '../ports/index.js';
import type { ScalingGroup } from '../ports/scaling.js';
import type { SiteReadiness } from '../ports/site.js';

/**
 * The shapes every layer shares: what a run knows, what a step produced, and the API calls shown
 * before they run. Plain JSON, so the journal holds them as they are.
 */

/** JSON that can be journaled as it is. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };

/** What a step produced, journaled with its result; enough for its undo on its own. */
export type StepOutputs = { readonly [key: string]: Json | undefined };

/** One API call as shown before it runs and as journaled. */
export interface ApiCall {
  readonly service: 'elbv2' | 'ec2' | 'route53' | 'autoscaling' | 's3' | 'ssm' | 'http' | 'operator';
  readonly operation: string;
  readonly params: { readonly [key: string]: Json | undefined };
  /** A short human note ("repeated every 2 s until healthy"). */
  readonly note?: string | undefined;
}

/**
 * What the run knows about the account, read at its start and journaled, so rollback can work from
 * the journal alone. For `hotspare plan` without AWS access it holds the ALB defaults (`discovered: false`).
 */
export interface RunEnvironment {
  readonly discovered: boolean;
  readonly account?: string | undefined;
  readonly targetGroup: TargetGroupInfo;
  /** The web servers' targets as registered at the start (id, port, AZ). */
  readonly webTargets: readonly Target[];
  readonly webInstances: readonly InstanceInfo[];
  readonly listener?: ListenerInfo | undefined;
  /**
   * The Auto Scaling groups that register into the target group or own a web server, as read at the
   * start; `scalingReadError` says why they could not be read.
   */
  readonly scalingGroups?: readonly ScalingGroup[] | undefined;
  readonly scalingReadError?: string | undefined;
  /** The published maintenance site as read with the account (age, sampled pages); absent when not read. */
  readonly maintenanceSite?: SiteReadiness | undefined;
  /** Where a redirect instance would run, for runbooks that launch one (absent when not read). */
  readonly redirectLaunch?: RedirectLaunchEnvironment | undefined;
  /**
   * Instances registered in the target group that carry hotspare's tags (a redirect instance or a
   * spare), as read with the account: AWS's record of runs in effect, whatever the journal directory.
   */
  readonly hotspareTargets?: readonly HotspareTarget[] | undefined;
}

/** A registered target whose instance carries hotspare's tags (see `src/plan/hotspare-targets.ts`). */
export interface HotspareTarget {
  readonly id: string;
  readonly port?: number | undefined;
  /** `redirect`: launched by a run (`hotspare:run`); `spare`: a prepared spare (`hotspare:spare`). */
  readonly role: 'redirect' | 'spare';
  /** Its health in the target group when read. */
  readonly state: string;
  /** The run that launched it (`hotspare:run`); a spare's is its preparation's. */
  readonly runId?: string | undefined;
  /** Who started that run (`hotspare:started-by`, `user@host`), when tagged. */
  readonly startedBy?: string | undefined;
  /** When the instance was launched (ISO 8601), as EC2 says. */
  readonly launchTime?: string | undefined;
}

/** The redirect instance's image, instance type, subnet and prepared spares as read from the account. */
export interface RedirectLaunchEnvironment {
  readonly image?: ImageInfo | undefined;
  /** The instance type's architectures. */
  readonly architectures?: readonly string[] | undefined;
  readonly network?: SubnetNetwork | undefined;
  /** Spares prepared for this runbook (any config), as found. */
  readonly spares?: readonly InstanceInfo[] | undefined;
  /** Why the above could not be read (the plan says so; preflight fails on it). */
  readonly problem?: string | undefined;
}
