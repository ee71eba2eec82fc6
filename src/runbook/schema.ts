import * as z from 'zod';
import { appendProblem, redirectUrlProblem, unsafeRedirectUrlMessage } from '../redirect/url.js';
import { dnsFailoverProblem, httpsUrlProblem, maintenanceCloudFront } from './maintenance-https.js';
import { ALIAS_EXPECTED, parseCidr, parseFailoverValue } from './formats.js';

// A command parses a runbook and a few journals once: interpreting the schemas costs less than
// compiling them first (zod's JIT), by tens of milliseconds a command (docs/performance.md).
z.config({ jitless: true });

/** kebab-case: step ids and runbook names. */
const kebab = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case name (lowercase letters, digits and single dashes)');

const httpUrl = z
  .string()
  .url('an absolute URL such as https://www.example.com/')
  // Only judge the scheme of a string that is a URL at all, so a bare host name gets one message, not two.
  .refine((u) => !URL.canParse(u) || /^https?:\/\//i.test(u), 'expected an http:// or https:// URL');

/**
 * The maintenance URL goes into the redirect server's configuration and the listener's redirect:
 * refused here, with the live launch's own words, when it could not go there safely.
 */
const maintenanceUrl = httpUrl.superRefine((url, ctx) => {
  if (!URL.canParse(url) || !/^https?:\/\//i.test(url)) return;
  const problem = redirectUrlProblem(url);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: unsafeRedirectUrlMessage(url, problem) });
  const https = httpsUrlProblem(url);
  if (https !== undefined) ctx.addIssue({ code: 'custom', message: https });
});

/** An AMI id, or an SSM parameter EC2 resolves at launch (hotspare resolves it first, to check the image). */
const imageRef = z
  .string()
  .regex(
    /^(ami-[0-9a-f]{8,17}|resolve:ssm:\/?[A-Za-z0-9_.\-/]+(:[A-Za-z0-9_.-]+)?)$/,
    'an id like ami-0123456789abcdef0, or resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  );

/** Route 53 hosted zone ids: up to 32 upper-case letters and digits (moto's do not start with Z, and need not). */
const hostedZoneId = z
  .string()
  .regex(/^(\/hostedzone\/)?[A-Z0-9]{1,32}$/, 'a hosted zone id such as Z0123456789ABCDEFGHIJ');

const awsId = (prefix: string): z.ZodString =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `an id like ${prefix}-0123456789abcdef0`);

/** A source CIDR block for the staff bypass. */
const cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (parsed.kind === 'problem')
    ctx.addIssue({ code: 'custom', message: `expected ${parsed.expected}, got "${value}"` });
});

const sitePath = z.string().regex(/^\/[^\s]*$/, 'a path starting with /, such as /search');

/** How `hotspare site refresh` makes and publishes the maintenance site, and when it is too old. */
const maintenanceSiteFields = {
  /** The live site to copy (default: site.url). */
  sourceUrl: httpUrl.optional(),
  /** The S3 bucket the copy is published to. */
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)')
    .optional(),
  /** Paths that stay on the live site (search, login, cart): links to them stay absolute. */
  dynamicPrefixes: z.array(sitePath).optional(),
  /** Pages nothing links to that the copy must have. */
  startPaths: z.array(sitePath).optional(),
  /** A notice put at the top of every copied page. */
  banner: z.string().min(1).max(500).optional(),
  /** Warn when the published copy is older than this (default 24). */
  maxAgeHours: z.number().positive().max(8760).optional(),
  /** For an https:// URL: the CloudFront distribution and certificate (all optional; see maintenance-https.ts). */
  cloudfront: maintenanceCloudFront.optional(),
};

// ---- The maintenance copy: crawl limits and form policy (`maintenance.crawl`, `maintenance.forms`) ----

/** How far `site snapshot`/`refresh` may crawl; every limit has a default (see src/site/limits.ts). */
const siteCrawlLimits = z.strictObject({
  maxDepth: z.number().int().min(0).max(100).optional(),
  maxPages: z.number().int().positive().max(1_000_000).optional(),
  maxAssets: z.number().int().positive().max(1_000_000).optional(),
  maxMegabytes: z.number().positive().max(1_000_000).optional(),
  maxHops: z.number().int().min(0).max(20).optional(),
  maxSeconds: z.number().int().positive().max(86_400).optional(),
  concurrency: z.number().int().positive().max(32).optional(),
});

const formPolicyName = z.enum(
  ['origin', 'notice', 'service'],
  'one of origin (left pointing at the origin, with a warning), notice (replaced by a notice) or service (posted to serviceUrl)',
);

/** One form rule: the first whose conditions all hold applies. */
const siteFormRule = z
  .strictObject({
    page: sitePath.optional(),
    action: sitePath.optional(),
    form: z
      .string()
      .regex(/^(#[^\s]+|\[name=[^\]]+\])$/, 'a form as #id or [name=NAME]')
      .optional(),
    method: z.enum(['get', 'post']).optional(),
    policy: formPolicyName,
    notice: z.string().min(1).max(500).optional(),
    serviceUrl: httpUrl.optional(),
  })
  .refine((r) => r.policy !== 'service' || r.serviceUrl !== undefined, {
    message: 'policy service needs serviceUrl: the hosted form service the form posts to',
    path: ['serviceUrl'],
  });

/** What forms become in the copy (defaults: POST forms replaced by a notice, GET forms left on the origin). */
const siteFormPolicy = z
  .strictObject({
    post: formPolicyName.optional(),
    get: formPolicyName.optional(),
    notice: z.string().min(1).max(500).optional(),
    serviceUrl: httpUrl.optional(),
    rules: z.array(siteFormRule).optional(),
  })
  .refine((f) => (f.post !== 'service' && f.get !== 'service') || f.serviceUrl !== undefined, {
    message: 'a default policy of service needs serviceUrl',
    path: ['serviceUrl'],
  });

const maintenanceCopyFields = {
  crawl: siteCrawlLimits.optional(),
  forms: siteFormPolicy.optional(),
  /** Hosts the source URL may redirect to, besides http/https and www (an SSO front, a CDN host). */
  allowRedirectHosts: z
    .array(z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'a host name, with :port if not the default'))
    .optional(),
};

// ---- end of the maintenance copy block ----

export const STEP_TYPES = [
  'suspend-scaling',
  'launch-redirect',
  'register-redirect',
  'wait-redirect-healthy',
  'deregister-web',
  'verify-maintenance',
  'set-listener-redirect',
  'set-listener-fixed-response',
  'dns-failover',
  'manual',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

const stepBase = { id: kebab.optional() };

const stepSchemas = [
  z.strictObject({ type: z.literal('suspend-scaling'), ...stepBase }),
  z.strictObject({ type: z.literal('launch-redirect'), ...stepBase }),
  z.strictObject({ type: z.literal('register-redirect'), ...stepBase }),
  z.strictObject({
    type: z.literal('wait-redirect-healthy'),
    ...stepBase,
    /** Give up after this long (seconds). */
    timeoutSeconds: z.number().int().positive().max(3600).optional(),
  }),
  z.strictObject({
    type: z.literal('deregister-web'),
    ...stepBase,
    /** Also wait until the deregistration delay has passed and the targets are gone. */
    waitForDrain: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('verify-maintenance'),
    ...stepBase,
    /** Also require the public site URL to redirect to the maintenance site (default true). */
    expectSiteRedirect: z.boolean().optional(),
    timeoutSeconds: z.number().int().positive().max(3600).optional(),
  }),
  z.strictObject({
    type: z.literal('set-listener-redirect'),
    ...stepBase,
    statusCode: z.enum(['HTTP_301', 'HTTP_302']).optional(),
    /** Keep the request's path and query on the maintenance host (default false: go to its root). */
    keepPath: z.boolean().optional(),
    /** `cover` (default): the listener's forwarding rules get the maintenance action too; `leave`: only the default action changes. */
    rules: z.enum(['cover', 'leave']).optional(),
  }),
  z.strictObject({
    type: z.literal('set-listener-fixed-response'),
    ...stepBase,
    statusCode: z.number().int().min(200).max(599).optional(),
    contentType: z.enum(['text/plain', 'text/html', 'application/json']).optional(),
    body: z.string().max(1024).optional(),
    rules: z.enum(['cover', 'leave']).optional(),
  }),
  z.strictObject({ type: z.literal('dns-failover'), ...stepBase }),
  z.strictObject({ type: z.literal('manual'), ...stepBase, text: z.string().min(1, 'the checklist text') }),
] as const;

export const stepSchema = z.discriminatedUnion('type', stepSchemas);
export type StepSpec = z.infer<typeof stepSchema>;
export type StepSpecOf<T extends StepType> = Extract<StepSpec, { type: T }>;

export const runbookSchema = z
  .strictObject({
    name: kebab,
    description: z.string().optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1'),
    site: z.strictObject({
      url: httpUrl,
      expectText: z.string().optional(),
    }),
    maintenance: z.strictObject({
      url: maintenanceUrl,
      expectText: z.string().min(1, 'the marker text the maintenance page carries'),
      ...maintenanceSiteFields,
      ...maintenanceCopyFields,
    }),
    loadBalancer: z.strictObject({
      targetGroup: z.string().min(1, 'a target group name or ARN'),
      listener: z
        .string()
        .regex(/^arn:aws[\w-]*:elasticloadbalancing:[^:]+:\d{12}:listener\//, 'a listener ARN')
        .optional(),
      /**
       * Source CIDRs (the office, the VPN) that keep reaching the origin while a listener strategy
       * is in effect: listener rules forwarding them to the target group, created before the
       * maintenance action and deleted on rollback (five CIDRs a rule; see src/domain/staff-bypass.ts).
       */
      staffBypass: z
        .array(cidr)
        .min(1, 'at least one CIDR block, or no staffBypass')
        .max(100, 'at most 100 CIDR blocks (20 rules of 5)')
        .refine((list) => new Set(list).size === list.length, 'each CIDR block once')
        .optional(),
    }),
    webServers: z
      .strictObject({
        instanceIds: z.array(awsId('i')).min(1).optional(),
        tags: z.record(z.string(), z.string()).optional(),
      })
      .refine((w) => (w.instanceIds === undefined) !== (w.tags === undefined), {
        message: 'expected exactly one of instanceIds or tags',
      }),
    redirectServer: z
      .strictObject({
        /** Default: the latest Amazon Linux 2023 for the instance type's architecture (through SSM). */
        imageId: imageRef.optional(),
        instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an instance type such as t3.micro'),
        subnetId: awsId('subnet'),
        securityGroupIds: z.array(awsId('sg')).min(1),
        keyName: z.string().optional(),
        /** builtin (default): the image's python3, nothing installed; nginx or apache: installed at boot unless preinstalled. */
        server: z.enum(['builtin', 'nginx', 'apache']).optional(),
        statusCode: z.literal([301, 302]),
        /** Append the request's path to the maintenance URL (default false). */
        keepPath: z.boolean().optional(),
        /** Append the request's query string (default false). */
        keepQuery: z.boolean().optional(),
        /** The image already carries nginx or Apache (a baked image): install nothing, need no way out. */
        preinstalled: z.boolean().optional(),
        fallbackInstanceTypes: z.array(z.string()).optional(),
        /** Seconds from RunInstances to the server answering; used by the planner. */
        bootSeconds: z.number().int().positive().max(900).optional(),
      })
      .optional(),
    dns: z
      .strictObject({
        hostedZoneId,
        recordName: z.string().min(1),
        type: z.enum(['CNAME', 'A', 'AAAA']),
        /** For CNAME: a host name. For A/AAAA: `alias:<zone-id>:<dns-name>` (a CloudFront distribution: zone Z2FDTNDATAQYW2) or an address. */
        failoverValue: z
          .string()
          .min(1)
          .superRefine((value, ctx) => {
            const parsed = parseFailoverValue(value);
            if (parsed.kind === 'problem')
              ctx.addIssue({ code: 'custom', message: `expected ${parsed.expected}, got "${value}"` });
          }),
        ttl: z.number().int().min(0).max(172800),
      })
      .optional(),
    /**
     * `hotspare arm`: a Route 53 health check on the live site and a PRIMARY/SECONDARY failover
     * pair for dns.recordName (see src/domain/failover-timing.ts for how long it takes).
     */
    armed: z
      .strictObject({
        healthCheck: z.strictObject({
          /** Default: the path of site.url. */
          path: sitePath.optional(),
          /** Default: the port of site.url. */
          port: z.number().int().min(1).max(65535).optional(),
          /** Default: from site.url's scheme. */
          protocol: z.enum(['HTTP', 'HTTPS']).optional(),
          /** Text only the live site carries, within its first 5,120 bytes (default site.expectText). */
          searchString: z.string().min(1).max(255).optional(),
          /** Route 53's RequestInterval: 10 (fast) or 30 (standard, the default). */
          intervalSeconds: z.literal([10, 30]).optional(),
          /** Consecutive failures before a checker calls the site unhealthy (default 3). */
          failureThreshold: z.number().int().min(1).max(10).optional(),
        }),
        /** The SECONDARY's alias target (alias:ZONE-ID:DNS-NAME); default: dns.failoverValue. */
        secondary: z.string().optional(),
      })
      .optional(),
    /** How hotspare waits: poll interval and default timeouts. */
    polling: z
      .strictObject({
        intervalSeconds: z.number().positive().max(60).optional(),
        healthyTimeoutSeconds: z.number().int().positive().max(3600).optional(),
      })
      .optional(),
    steps: z.array(stepSchema).min(1, 'at least one step'),
  })
  .superRefine((rb, ctx) => {
    const rs = rb.redirectServer;
    const append =
      rs === undefined ? undefined : appendProblem(rb.maintenance.url, rs.keepPath ?? false, rs.keepQuery ?? false);
    if (rs !== undefined && append !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['redirectServer', rs.keepPath === true ? 'keepPath' : 'keepQuery'],
        message: unsafeRedirectUrlMessage(rb.maintenance.url, append),
      });
    }
    const failover = rb.dns === undefined ? undefined : dnsFailoverProblem(rb.site.url, rb.dns.failoverValue);
    if (failover !== undefined && rb.steps.some((s) => s.type === 'dns-failover'))
      ctx.addIssue({ code: 'custom', path: ['dns', 'failoverValue'], message: failover });
    for (const p of armedProblems(rb)) ctx.addIssue({ code: 'custom', ...p });
    const seen = new Set<string>();
    rb.steps.forEach((step, i) => {
      const id = step.id ?? step.type;
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i],
          message: `duplicate step id "${id}": give the step an explicit unique id`,
        });
      }
      seen.add(id);
      const needs = requirementOf(step.type);
      if (needs === 'redirectServer' && rb.redirectServer === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i],
          message: `step ${step.type} needs a redirectServer section`,
        });
      }
      if (needs === 'listener' && rb.loadBalancer.listener === undefined) {
        ctx.addIssue({ code: 'custom', path: ['steps', i], message: `step ${step.type} needs loadBalancer.listener` });
      }
      if (needs === 'dns' && rb.dns === undefined) {
        ctx.addIssue({ code: 'custom', path: ['steps', i], message: `step ${step.type} needs a dns section` });
      }
    });
  });

export type Runbook = z.infer<typeof runbookSchema>;

type ArmedInput = Pick<Runbook, 'armed' | 'dns' | 'site' | 'maintenance'>;

/** What `armed` needs from the rest of the runbook: a zone and a name, a marker only the live site has, an alias secondary. */
function armedProblems(rb: ArmedInput): { path: (string | number)[]; message: string }[] {
  const armed = rb.armed;
  if (armed === undefined) return [];
  const out: { path: (string | number)[]; message: string }[] = [];
  if (rb.dns === undefined)
    out.push({
      path: ['armed'],
      message: 'armed needs a dns section (hostedZoneId, recordName) for the failover records',
    });
  const marker = armed.healthCheck.searchString ?? rb.site.expectText;
  if (marker === undefined)
    out.push({
      path: ['armed', 'healthCheck'],
      message: 'armed.healthCheck needs searchString (or site.expectText): text only the live site carries',
    });
  else if (rb.maintenance.expectText.includes(marker) || marker.includes(rb.maintenance.expectText))
    out.push({
      path:
        armed.healthCheck.searchString === undefined
          ? ['site', 'expectText']
          : ['armed', 'healthCheck', 'searchString'],
      message: `the health check's marker "${marker}" overlaps the maintenance marker "${rb.maintenance.expectText}": the check would pass on the maintenance copy and never fail over`,
    });
  const secondary = armed.secondary ?? rb.dns?.failoverValue;
  if (secondary !== undefined && parseFailoverValue(secondary).kind !== 'alias')
    out.push({
      path: armed.secondary === undefined ? ['dns', 'failoverValue'] : ['armed', 'secondary'],
      message: `the armed SECONDARY must be an alias (${ALIAS_EXPECTED}), got "${secondary}"`,
    });
  return out;
}

function requirementOf(type: StepType): 'redirectServer' | 'listener' | 'dns' | undefined {
  switch (type) {
    case 'launch-redirect':
      return 'redirectServer';
    case 'set-listener-redirect':
    case 'set-listener-fixed-response':
      return 'listener';
    case 'dns-failover':
      return 'dns';
    case 'suspend-scaling':
    case 'register-redirect':
    case 'wait-redirect-healthy':
    case 'deregister-web':
    case 'verify-maintenance':
    case 'manual':
      return undefined;
  }
}

/** The id a step goes by: its explicit `id`, else its type. */
export function stepIdOf(step: StepSpec): string {
  return step.id ?? step.type;
}
