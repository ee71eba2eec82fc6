import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ListenerAction } from '../ports/index.js';
import { forwardedGroups, terminalAction } from '../domain/listener-rules.js';
import type { SandboxLoadBalancer } from './load-balancer.js';
import { listenLocal, sendHtml, type LocalServer } from './servers.js';

/** How long the front waits for a target before answering 504 (wall-clock ms; an ALB's idle timeout is 60 s). */
export const FRONT_TARGET_TIMEOUT_MS = 10_000;

/**
 * The load balancer's data plane: a real HTTP server on 127.0.0.1 applying the listener's rules
 * (path-pattern and host-header, lowest priority first) and else its default action to every
 * request, read afresh each time (so a ModifyListener or CreateRule takes effect at once).
 */
export function startFront(lb: SandboxLoadBalancer): Promise<LocalServer> {
  return listenLocal((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const action = terminalAction(lb.actionsFor(host, (req.url ?? '/').split('?')[0] ?? '/'));
    if (action?.['Type'] === 'forward') return forward(lb, forwardedGroups(action)[0] ?? '', req, res);
    req.resume();
    if (action?.['Type'] === 'redirect') return redirect(action, req, res);
    if (action?.['Type'] === 'fixed-response') return fixedResponse(action, res);
    sendHtml(res, 500, errorPage(500, 'Internal Server Error'));
  });
}

function forward(lb: SandboxLoadBalancer, targetGroupArn: string, req: IncomingMessage, res: ServerResponse): void {
  const target = lb.route(targetGroupArn);
  if (target === undefined) {
    req.resume();
    return sendHtml(res, 503, errorPage(503, 'Service Temporarily Unavailable'));
  }
  if (target.origin === undefined) {
    req.resume();
    return sendHtml(res, 502, errorPage(502, 'Bad Gateway'));
  }
  const url = new URL(req.url ?? '/', target.origin);
  const headers = {
    ...req.headers,
    'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
    'x-forwarded-proto': 'http',
  };
  delete headers.connection;
  // An HTTPS target group: TLS to the target, its certificate not verified (as an ALB does).
  const send = url.protocol === 'https:' ? httpsRequest : request;
  const upstream = send(
    url,
    { method: req.method, headers, agent: false, timeout: FRONT_TARGET_TIMEOUT_MS, rejectUnauthorized: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, withoutHopHeaders(answer.headers));
      answer.pipe(res);
    },
  );
  upstream.on('timeout', () => upstream.destroy(new Error('target timed out')));
  upstream.on('error', (error) => {
    if (res.headersSent) return void res.destroy();
    const timedOut = error.message === 'target timed out';
    sendHtml(res, timedOut ? 504 : 502, timedOut ? errorPage(504, 'Gateway Time-out') : errorPage(502, 'Bad Gateway'));
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function redirect(action: ListenerAction, req: IncomingMessage, res: ServerResponse): void {
  const config = (action['RedirectConfig'] ?? {}) as Readonly<Record<string, unknown>>;
  const status = config['StatusCode'] === 'HTTP_301' ? 301 : 302;
  res.writeHead(status, { location: redirectLocation(config, requestParts(req)), 'content-length': 0 }).end();
}

function fixedResponse(action: ListenerAction, res: ServerResponse): void {
  const config = (action['FixedResponseConfig'] ?? {}) as Readonly<Record<string, unknown>>;
  const body = typeof config['MessageBody'] === 'string' ? config['MessageBody'] : '';
  const type = typeof config['ContentType'] === 'string' ? config['ContentType'] : 'text/plain';
  const status = Number(config['StatusCode'] ?? 200);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
}

/** The parts of a request an ALB redirect can reuse: `#{protocol}`, `#{host}`, `#{port}`, `#{path}` (no leading slash), `#{query}`. */
export interface RequestParts {
  readonly protocol: string;
  readonly host: string;
  readonly port: string;
  readonly path: string;
  readonly query: string;
}

function requestParts(req: IncomingMessage): RequestParts {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const port = url.port === '' ? String(req.socket.localPort ?? 80) : url.port;
  return { protocol: 'http', host: url.hostname, port, path: url.pathname.slice(1), query: url.search.slice(1) };
}

/**
 * The Location of an ALB redirect action: each RedirectConfig field (defaults `#{protocol}`,
 * `#{host}`, `#{port}`, `/#{path}`, `#{query}`) with placeholders replaced; the port is left out
 * when it is the protocol's default, and `?` only when there is a query.
 */
export function redirectLocation(config: Readonly<Record<string, unknown>>, parts: RequestParts): string {
  const field = (name: string, fallback: string): string =>
    fill(typeof config[name] === 'string' ? config[name] : fallback, parts);
  const protocol = field('Protocol', '#{protocol}').toLowerCase();
  const port = field('Port', '#{port}');
  const defaultPort = (protocol === 'https' && port === '443') || (protocol === 'http' && port === '80');
  const query = field('Query', '#{query}');
  return `${protocol}://${field('Host', '#{host}')}${defaultPort ? '' : `:${port}`}${field('Path', '/#{path}')}${query === '' ? '' : `?${query}`}`;
}

function fill(template: string, parts: RequestParts): string {
  return template.replace(/#\{(protocol|host|port|path|query)\}/g, (_m, key: keyof RequestParts) => parts[key]);
}

function withoutHopHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const copy = { ...headers };
  delete copy.connection;
  delete copy['keep-alive'];
  return copy;
}

function errorPage(status: number, text: string): string {
  return `<html><head><title>${status} ${text}</title></head><body><center><h1>${status} ${text}</h1></center></body></html>`;
}
