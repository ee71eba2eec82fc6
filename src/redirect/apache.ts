import type { RedirectConfig, RedirectListener } from '../ports/index.js';
import { HEALTH_CHECKER_AGENT_PREFIX, listenersOf } from './config.js';
import { TLS_CERT, TLS_KEY } from './nginx.js';

/** The file Apache serves to answer the checker with 200 (mod_rewrite cannot make a 200 by itself). */
export const APACHE_OK_FILE = '/var/www/hotspare/ok.txt';

/** The OS families the user data tells apart; Apache's layout differs between them. */
export type OsFamily = 'dnf' | 'yum' | 'apt';

/**
 * The start of Apache's main config for one OS family: server root, the distribution's modules
 * (plus mod_rewrite and mod_ssl when they are not among them), user, pid and log files. The user
 * data writes it over the main config file, so nothing else of the distribution's configuration
 * (welcome pages, default sites, a second `Listen 443`) is read.
 */
export function apachePrelude(family: OsFamily): string {
  if (family === 'apt') {
    return [
      'ServerRoot "/etc/apache2"',
      'IncludeOptional mods-enabled/*.load',
      'IncludeOptional mods-enabled/*.conf',
      ...ensureModule('rewrite_module', '/usr/lib/apache2/modules/mod_rewrite.so'),
      ...ensureModule('ssl_module', '/usr/lib/apache2/modules/mod_ssl.so'),
      'User www-data',
      'Group www-data',
      'PidFile /var/run/apache2/apache2.pid',
      'ErrorLog /var/log/apache2/error.log',
      'DefaultRuntimeDir /var/run/apache2',
      'Mutex file:/var/lock/apache2 default',
      '',
    ].join('\n');
  }
  return [
    'ServerRoot "/etc/httpd"',
    // Loads the MPM, mod_systemd (the unit is Type=notify), mod_rewrite, and mod_ssl once installed.
    'IncludeOptional conf.modules.d/*.conf',
    ...ensureModule('rewrite_module', 'modules/mod_rewrite.so'),
    'User apache',
    'Group apache',
    'PidFile /run/httpd/httpd.pid',
    'ErrorLog /var/log/httpd/error_log',
    '',
  ].join('\n');
}

function ensureModule(name: string, file: string): string[] {
  return [`<IfModule !${name}>`, `  LoadModule ${name} ${file}`, '</IfModule>'];
}

/**
 * The part of Apache's config that decides the answers, the same on every OS. It follows
 * `redirect/decision.ts` with mod_rewrite on the raw request line (`THE_REQUEST`), so the path and
 * query are used as sent: `NE` keeps them (and `[::1]` hosts) from being escaped again, `QSD`
 * drops the query unless the runbook keeps it.
 */
export function apacheSiteConfig(config: RedirectConfig): string {
  return [
    '# hotspare redirect server (Apache). Generated: every answer follows src/redirect/decision.ts.',
    'ServerName hotspare-redirect',
    'ServerTokens Prod',
    // Longer than the ALB's 60 s idle timeout (Apache's default is 5 s: the ALB would meet closed connections).
    'KeepAlive On',
    'KeepAliveTimeout 75',
    'TypesConfig /etc/mime.types',
    ...listenersOf(config).map((l) => `Listen ${l.port}${l.protocol === 'HTTPS' ? ' https' : ''}`),
    `<Directory "${APACHE_OK_FILE.replace(/\/[^/]+$/, '')}">`,
    '  Require all granted',
    '</Directory>',
    ...listenersOf(config).flatMap((l) => virtualHost(config, l)),
    '',
  ].join('\n');
}

function virtualHost(config: RedirectConfig, listener: RedirectListener): string[] {
  const tls =
    listener.protocol === 'HTTPS'
      ? ['  SSLEngine on', `  SSLCertificateFile "${TLS_CERT}"`, `  SSLCertificateKeyFile "${TLS_KEY}"`]
      : [];
  return [
    `<VirtualHost *:${listener.port}>`,
    ...tls,
    '  RewriteEngine On',
    ...(listener.port === config.healthCheck.port ? healthRules(config) : []),
    ...visitorRules(config),
    '</VirtualHost>',
  ];
}

function healthRules(config: RedirectConfig): string[] {
  const status = config.healthCheck.status;
  const answer =
    status === 200
      ? `  RewriteRule ^ "${APACHE_OK_FILE}" [END]`
      : status >= 300 && status < 400
        ? `  RewriteRule ^ "${config.targetUrl}" [R=${status},NE,QSD,L]`
        : `  RewriteRule ^ - [R=${status},L]`;
  return [
    `  # The load balancer's health checker: GET or HEAD of ${config.healthCheck.path} by ${HEALTH_CHECKER_AGENT_PREFIX}...`,
    '  RewriteCond %{REQUEST_METHOD} ^(GET|HEAD)$',
    `  RewriteCond %{HTTP_USER_AGENT} ^${HEALTH_CHECKER_AGENT_PREFIX.replace(/[-.]/g, (c) => `\\${c}`)}`,
    `  RewriteCond %{THE_REQUEST} "^\\S+ ${regexLiteral(config.healthCheck.path)}(\\?\\S*)?\\s"`,
    answer,
  ];
}

function visitorRules(config: RedirectConfig): string[] {
  const flags = `[R=${config.statusCode},NE,QSD,L]`;
  const rule = (to: string): string => `  RewriteRule ^ "${to}" ${flags}`;
  if (!config.keepPath && !config.keepQuery) return ['  # Everyone else', rule(config.targetUrl)];
  // The raw path (origin form only) and query from the request line. The `?` is written, never
  // captured: Apache refuses a `?` that comes from a back-reference (AH10508).
  const base = config.keepPath ? config.targetUrl.replace(/\/$/, '') : config.targetUrl;
  const path = config.keepPath ? '(/[^?\\s]*)' : '/[^?\\s]*';
  const pathRef = config.keepPath ? '%1' : '';
  const withQuery = config.keepQuery
    ? [
        `  RewriteCond %{THE_REQUEST} "^\\S+ ${path}\\?([^\\s]+)"`,
        rule(`${base}${pathRef}?%${config.keepPath ? 2 : 1}`),
      ]
    : [];
  const withoutQuery = config.keepPath
    ? [`  RewriteCond %{THE_REQUEST} "^\\S+ ${path}"`, rule(`${base}${pathRef}`)]
    : [];
  return ['  # Everyone else', ...withQuery, ...withoutQuery, rule(config.keepPath ? `${base}/` : config.targetUrl)];
}

/** A path as a regex literal: `.`, `-` and `~` escaped (the only specials a checked path can hold). */
function regexLiteral(path: string): string {
  return path.replace(/[.~-]/g, (c) => `\\${c}`);
}
