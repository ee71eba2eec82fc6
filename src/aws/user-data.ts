import { UsageError } from '../ports/errors.js';
import type { RedirectConfig } from '../ports/index.js';

/**
 * Cloud-init user data for the redirect server (Amazon Linux 2023, dnf): nginx or Apache that answers
 * the health-check path with 200 "ok" and redirects every other request to the target URL exactly
 * (neither path nor query is carried over).
 *
 * Safety: the URL and the path are checked against a strict allowlist before anything is rendered,
 * so no value can carry shell syntax, a heredoc delimiter, a config-file quote, an nginx `$variable`,
 * or an Apache `%{expression}`. The config files are written through a quoted heredoc (no shell
 * expansion) and every value sits inside double quotes in the server config.
 */

const HEREDOC = 'HOTSPARE_CONFIG_EOF';

/** Characters allowed in a redirect URL: RFC 3986 unreserved and most reserved ones. Not `%`, `$`, `'`, `;`. */
const URL_CHARS = /^[A-Za-z0-9\-._~:/?#[\]@!&()*+,=]+$/;
const PATH_CHARS = /^\/[A-Za-z0-9\-._~/]*$/;

/** Throws a UsageError unless `url` is an absolute http(s) URL made of safe characters only. */
export function assertSafeRedirectUrl(url: string): void {
  const refuse = (why: string): never => {
    throw new UsageError(`The redirect URL ${JSON.stringify(url)} is not allowed: ${why}.`, {
      code: 'UnsafeRedirectUrl',
      nextSteps: 'Use a plain absolute URL such as https://maintenance.example.com/ (no spaces, quotes, $, ;, \\, braces or %-escapes).',
    });
  };
  if (!URL_CHARS.test(url)) refuse('it contains characters that are unsafe in a shell script or server config');
  if (!/^https?:\/\/[A-Za-z0-9[]/.test(url)) refuse('it must start with http:// or https:// and a host name');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('it is not a valid URL');
  }
  if (parsed.username !== '' || parsed.password !== '') refuse('it must not carry credentials');
}

function assertSafeConfig(redirect: RedirectConfig): void {
  assertSafeRedirectUrl(redirect.targetUrl);
  if (!PATH_CHARS.test(redirect.healthCheckPath) || redirect.healthCheckPath.includes('..')) {
    throw new UsageError(`The health-check path ${JSON.stringify(redirect.healthCheckPath)} is not allowed.`, {
      code: 'UnsafeHealthCheckPath',
      nextSteps: 'Use a plain path such as /health (letters, digits, - . _ ~ /).',
    });
  }
  if (!Number.isInteger(redirect.port) || redirect.port < 1 || redirect.port > 65535) {
    throw new UsageError(`The redirect server port ${redirect.port} is not a TCP port.`, { code: 'InvalidPort' });
  }
  if (redirect.statusCode !== 301 && redirect.statusCode !== 302) {
    throw new UsageError(`The redirect status ${String(redirect.statusCode)} must be 301 or 302.`, { code: 'InvalidStatusCode' });
  }
}

function nginxConfig(r: RedirectConfig): string {
  return [
    'user nginx;',
    'worker_processes auto;',
    'error_log /var/log/nginx/error.log;',
    'pid /run/nginx.pid;',
    'events { worker_connections 1024; }',
    'http {',
    '  access_log /var/log/nginx/access.log;',
    '  server {',
    `    listen ${r.port} default_server;`,
    `    listen [::]:${r.port} default_server;`,
    `    location = ${r.healthCheckPath} { default_type text/plain; return 200 "ok\\n"; }`,
    `    location / { return ${r.statusCode} "${r.targetUrl}"; }`,
    '  }',
    '}',
  ].join('\n');
}

function apacheConfig(r: RedirectConfig): string {
  const pathRegex = r.healthCheckPath.replace(/[.~-]/g, (c) => `\\${c}`);
  return [
    ...(r.port === 80 ? [] : [`Listen ${r.port}`]),
    `<VirtualHost *:${r.port}>`,
    '  DocumentRoot "/var/www/hotspare"',
    `  Alias "${r.healthCheckPath}" "/var/www/hotspare/health.txt"`,
    `  <LocationMatch "^(?!${pathRegex}$)">`,
    `    Redirect ${r.statusCode} "${r.targetUrl}"`,
    '  </LocationMatch>',
    '</VirtualHost>',
  ].join('\n');
}

function writeFile(path: string, content: string): string[] {
  return [`cat > ${path} <<'${HEREDOC}'`, content, HEREDOC];
}

/**
 * Render the user-data shell script (plain text; the EC2 adapter base64-encodes it).
 * Throws a UsageError for an unsafe URL, path, port or status code.
 */
export function renderUserData(redirect: RedirectConfig): string {
  assertSafeConfig(redirect);
  const head = ['#!/bin/bash', '# hotspare redirect server', 'set -euo pipefail'];
  const body =
    redirect.server === 'nginx'
      ? ['dnf install -y nginx', ...writeFile('/etc/nginx/nginx.conf', nginxConfig(redirect)), 'systemctl enable --now nginx']
      : [
          'dnf install -y httpd',
          'rm -f /etc/httpd/conf.d/welcome.conf',
          'mkdir -p /var/www/hotspare',
          "printf 'ok\\n' > /var/www/hotspare/health.txt",
          ...writeFile('/etc/httpd/conf.d/hotspare.conf', apacheConfig(redirect)),
          'systemctl enable --now httpd',
        ];
  return [...head, ...body, ''].join('\n');
}
