import type { RedirectConfig } from '../ports/index.js';
import { apachePrelude, apacheSiteConfig, APACHE_OK_FILE } from './apache.js';
import { BUILTIN_SCRIPT, BUILTIN_UNIT, builtinServer, builtinUnit } from './builtin.js';
import { assertServableConfig, listenersOf, needsTls } from './config.js';
import { nginxConfig, TLS_CERT, TLS_KEY } from './nginx.js';
import { boundsLines, failureLines, installLines, selinuxLines } from './boot-script.js';
import { UsageError } from '../domain/errors.js';

/**
 * Cloud-init user data for the redirect server: a bash script that tells the OS family apart (dnf:
 * Amazon Linux 2023 and Fedora-likes; yum: Amazon Linux 2, nginx from amazon-linux-extras; apt:
 * Ubuntu and Debian), installs the server only when the image lacks it, makes a certificate at boot
 * for HTTPS (an ALB does not validate target certificates), writes the config and starts the
 * service. With `server: builtin` nothing is installed: the image's own python3 runs it.
 *
 * Safety: `redirect/config.ts` checks every value first; configs go through quoted heredocs (no
 * shell expansion) and every value sits inside double quotes in the server config.
 */

const HEREDOC = 'HOTSPARE_CONFIG_EOF';

/** EC2 refuses user data over 16 KB (before base64). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

export interface UserDataOptions {
  /** Prepare a spare: check the server answers the health check, then power off (the instance stops). */
  readonly spare?: boolean | undefined;
}

function writeFile(path: string, content: string, append = false): string[] {
  return [`cat ${append ? '>>' : '>'} ${path} <<'${HEREDOC}'`, content.replace(/\n$/, ''), HEREDOC];
}

function summary(c: RedirectConfig): string {
  const hc = c.healthCheck;
  return `# ${c.server}: ELB-HealthChecker GET ${hc.path} on ${hc.protocol} port ${hc.port} gets ${hc.status}; every other request gets ${c.statusCode} to ${c.targetUrl}`;
}

const DETECT = [
  'if command -v dnf >/dev/null 2>&1; then family=dnf',
  'elif command -v yum >/dev/null 2>&1; then family=yum',
  'elif command -v apt-get >/dev/null 2>&1; then family=apt',
  'else say "no dnf, yum or apt-get on this image: not a supported OS"; exit 1',
  'fi',
  'say "OS family: $family"',
];

/** Install a program's package unless the image has it; a preinstalled image must have it. */
function ensure(program: string, install: string[], preinstalled: boolean): string[] {
  if (preinstalled)
    return [
      `command -v ${program} >/dev/null 2>&1 || { say "${program} is not on this image (the runbook says it is preinstalled)"; exit 1; }`,
    ];
  return [`if ! command -v ${program} >/dev/null 2>&1; then`, ...install.map((l) => `  ${l}`), 'fi'];
}

function tlsLines(c: RedirectConfig): string[] {
  if (!needsTls(c)) return [];
  return [
    ...ensure('openssl', ['install_packages openssl'], c.preinstalled),
    'install -d -m 0755 /etc/hotspare',
    `[ -s ${TLS_KEY} ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=hotspare-redirect" -keyout ${TLS_KEY} -out ${TLS_CERT}`,
    `chmod 0600 ${TLS_KEY}`,
  ];
}

function nginxLines(c: RedirectConfig): string[] {
  const install = [
    'case "$family" in',
    '  yum) timeout "$step_limit" amazon-linux-extras install -y nginx1 || install_packages nginx ;;',
    '  *) install_packages nginx ;;',
    'esac',
  ];
  return [
    ...ensure('nginx', install, c.preinstalled),
    ...tlsLines(c),
    ...selinuxLines(listenersOf(c).map((l) => l.port)),
    ...writeFile('/etc/nginx/nginx.conf', nginxConfig(c)),
    'systemctl enable nginx',
    'systemctl restart nginx',
  ];
}

function apacheLines(c: RedirectConfig): string[] {
  const install = [
    'case "$family" in',
    '  apt) install_packages apache2 ;;',
    `  *) install_packages httpd${needsTls(c) ? ' mod_ssl' : ''} ;;`,
    'esac',
  ];
  const modSsl =
    needsTls(c) && !c.preinstalled
      ? ['if [ "$family" != apt ] && [ ! -e /etc/httpd/modules/mod_ssl.so ]; then install_packages mod_ssl; fi']
      : [];
  return [
    'case "$family" in',
    '  apt) program=apache2; service=apache2; conf=/etc/apache2/apache2.conf ;;',
    '  *) program=httpd; service=httpd; conf=/etc/httpd/conf/httpd.conf ;;',
    'esac',
    ...ensure('"$program"', install, c.preinstalled),
    ...modSsl,
    ...tlsLines(c),
    ...selinuxLines(listenersOf(c).map((l) => l.port)),
    `install -d -m 0755 ${APACHE_OK_FILE.replace(/\/[^/]+$/, '')}`,
    `printf 'ok\\n' > ${APACHE_OK_FILE}`,
    'case "$family" in',
    '  apt)',
    ...writeFile('"$conf"', apachePrelude('apt')),
    '    ;;',
    '  *)',
    ...writeFile('"$conf"', apachePrelude('dnf')),
    '    ;;',
    'esac',
    ...writeFile('"$conf"', apacheSiteConfig(c), true),
    'systemctl enable "$service"',
    'systemctl restart "$service"',
  ];
}

function builtinLines(c: RedirectConfig): string[] {
  return [
    'command -v python3 >/dev/null 2>&1 || { say "python3 is not on this image: use server nginx or apache, or an image with python3"; exit 1; }',
    ...tlsLines(c),
    `install -d -m 0755 ${BUILTIN_SCRIPT.replace(/\/[^/]+$/, '')}`,
    ...writeFile(BUILTIN_SCRIPT, builtinServer(c)),
    ...writeFile(BUILTIN_UNIT, builtinUnit()),
    'systemctl daemon-reload',
    'systemctl enable hotspare-redirect',
    'systemctl restart hotspare-redirect',
  ];
}

/** Spare only: wait until the server answers the checker as the target group expects, then power off. */
function spareLines(c: RedirectConfig): string[] {
  const hc = c.healthCheck;
  const url = `${hc.protocol.toLowerCase()}://127.0.0.1:${hc.port}${hc.path}`;
  return [
    'command -v curl >/dev/null 2>&1 || { say "curl is not on this image: the spare cannot check itself, so it does not power off"; exit 1; }',
    'code=none',
    'for _ in $(seq 1 60); do',
    `  code=$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' -A 'ELB-HealthChecker/2.0' ${url} || true)`,
    `  [ "$code" = "${hc.status}" ] && break`,
    '  sleep 1',
    'done',
    `[ "$code" = "${hc.status}" ] || { say "the server answers the health check with $code, not ${hc.status}: not powering off"; exit 1; }`,
    'say "spare ready; powering off until an incident starts it"',
    'systemctl poweroff',
  ];
}

/**
 * Render the user-data script (plain text; the EC2 adapter base64-encodes it). Throws a UsageError
 * for an unsafe URL or path, a bad port or status (see `assertServableConfig`), and for a script
 * over EC2's 16 KB limit (a very long maintenance URL or health-check path), so preflight and
 * `plan` refuse it before any launch instead of RunInstances.
 */
export function renderUserData(config: RedirectConfig, options: UserDataOptions = {}): string {
  assertServableConfig(config);
  const ports = listenersOf(config)
    .map((l) => `${l.protocol}:${l.port}`)
    .join(', ');
  const body =
    config.server === 'nginx'
      ? nginxLines(config)
      : config.server === 'apache'
        ? apacheLines(config)
        : builtinLines(config);
  const script = [
    '#!/bin/bash',
    '# hotspare redirect server',
    summary(config),
    'set -euo pipefail',
    'say() { echo "hotspare: $*"; }',
    ...failureLines(options.spare === true),
    ...boundsLines(),
    ...DETECT,
    ...installLines(),
    ...body,
    `say "redirect server (${config.server}) started on ${ports}"`,
    ...(options.spare === true ? spareLines(config) : []),
    '',
  ].join('\n');
  const bytes = Buffer.byteLength(script, 'utf8');
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new UsageError(
      `The redirect server's user data would be ${bytes} bytes; EC2 takes at most ${MAX_USER_DATA_BYTES} (16 KB, before base64).`,
      {
        code: 'UserDataTooLarge',
        nextSteps:
          "Shorten maintenance.url (it is written into the server's config several times), or the target group's health-check path.",
      },
    );
  }
  return script;
}
