import type { RedirectConfig, RedirectListener } from '../ports/index.js';
import { HEALTH_CHECKER_AGENT_PREFIX, listenersOf } from './config.js';

/** Where the user data puts the certificate made at boot for HTTPS target groups. */
export const TLS_CERT = '/etc/hotspare/tls.crt';
export const TLS_KEY = '/etc/hotspare/tls.key';

/**
 * The whole `/etc/nginx/nginx.conf` for the redirect server, the same on every OS (no `user`
 * line: each distribution's build picks its own unprivileged user). It follows
 * `redirect/decision.ts`: maps derive the raw path and query from `$request_uri` and tell the
 * health checker apart; each port's server block answers the checker (on the health-check port
 * only) and redirects everyone else. Values are safe: `redirect/config.ts` checked them.
 */
export function nginxConfig(config: RedirectConfig): string {
  const healthKey = `11${config.healthCheck.path}`;
  return [
    '# hotspare redirect server (nginx). Generated: every answer follows src/redirect/decision.ts.',
    'worker_processes auto;',
    'error_log /var/log/nginx/error.log;',
    'pid /run/nginx.pid;',
    'events { worker_connections 1024; }',
    'http {',
    '  access_log /var/log/nginx/access.log;',
    '  server_tokens off;',
    // Longer than the ALB's 60 s idle timeout, as AWS advises: the ALB, not the target, closes idle connections.
    '  keepalive_timeout 75s;',
    '  default_type text/plain;',
    '  # The raw path and query, as the client sent them ($uri would be decoded).',
    '  map $request_uri $hotspare_path { default "/"; "~^(?<p>/[^?]*)" $p; }',
    '  map $request_uri $hotspare_query { default ""; "~^/[^?]*\\?(?<q>.+)$" "?$q"; }',
    `  map $http_user_agent $hotspare_checker { default 0; "~^${HEALTH_CHECKER_AGENT_PREFIX}" 1; }`,
    '  map $request_method $hotspare_get { default 0; GET 1; HEAD 1; }',
    `  map "$hotspare_checker$hotspare_get$hotspare_path" $hotspare_health { default 0; "${healthKey}" 1; }`,
    ...listenersOf(config).flatMap((l) => serverBlock(config, l)),
    '}',
    '',
  ].join('\n');
}

function serverBlock(config: RedirectConfig, listener: RedirectListener): string[] {
  const ssl = listener.protocol === 'HTTPS' ? ' ssl' : '';
  return [
    '  server {',
    `    listen ${listener.port}${ssl} default_server;`,
    `    listen [::]:${listener.port}${ssl} default_server;`,
    ...(ssl === '' ? [] : [`    ssl_certificate ${TLS_CERT};`, `    ssl_certificate_key ${TLS_KEY};`]),
    ...(listener.port === config.healthCheck.port ? [`    if ($hotspare_health) { ${healthReturn(config)} }`] : []),
    `    return ${config.statusCode} "${visitorLocation(config)}";`,
    '  }',
  ];
}

function healthReturn(config: RedirectConfig): string {
  const status = config.healthCheck.status;
  if (status >= 300 && status < 400) return `return ${status} "${config.targetUrl}";`;
  return status === 200 ? 'return 200 "ok\\n";' : `return ${status};`;
}

function visitorLocation(config: RedirectConfig): string {
  const base = config.keepPath ? `${config.targetUrl.replace(/\/$/, '')}$hotspare_path` : config.targetUrl;
  return config.keepQuery ? `${base}$hotspare_query` : base;
}
