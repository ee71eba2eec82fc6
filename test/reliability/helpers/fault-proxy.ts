import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy can do to a request:
 * - `reset`: drop the connection before forwarding (the call never reached AWS);
 * - `lost-response`: forward it, let moto act on it, then drop the connection (done, answer lost);
 * - `throttle`: 400 with the service's throttling error (EC2 `RequestLimitExceeded`, else `Throttling`);
 * - `500` / `503`: the service's internal error / unavailable;
 * - `slow`: forward after `SLOW_MS`, answer as moto did;
 * - `access-denied`: 403 (EC2 `UnauthorizedOperation`, else `AccessDenied`);
 * - `capacity`: EC2's `InsufficientInstanceCapacity` (500), for RunInstances.
 */
export type FaultKind = 'reset' | 'lost-response' | 'throttle' | '500' | '503' | 'slow' | 'access-denied' | 'capacity';

export const FAULT_KINDS: readonly FaultKind[] = [
  'reset',
  'lost-response',
  'throttle',
  '500',
  '503',
  'slow',
  'access-denied',
  'capacity',
];

/** Below the SDK's 20 s request timeout: a slow answer, not a lost one. */
export const SLOW_MS = 2500;

export type Service = 'ec2' | 'elasticloadbalancing' | 'route53' | 'other';

export interface FaultRule {
  /** The operation, e.g. `RunInstances`, `DescribeTargetHealth`, `ChangeResourceRecordSets`. */
  readonly operation: string;
  readonly kind: FaultKind;
  /** How many matching requests get the fault (default 1: a single fault). */
  readonly times?: number | undefined;
}

export interface Injected {
  readonly operation: string;
  readonly kind: FaultKind;
}

/** A fault-injecting HTTP proxy on 127.0.0.1 in front of moto. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Inject `rule` into the next matching requests. */
  inject(rule: FaultRule): void;
  /** Forget every rule not yet used up. */
  clear(): void;
  /** Every fault injected so far, in order. */
  readonly injected: readonly Injected[];
  /** Every operation seen so far, in order. */
  readonly seen: readonly string[];
  close(): Promise<void>;
}

/** The service a request is for, from its SigV4 credential scope (`.../us-east-1/ec2/aws4_request`). */
export function serviceOf(headers: IncomingMessage['headers']): Service {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''))?.[1];
  return scope === 'ec2' || scope === 'elasticloadbalancing' || scope === 'route53' ? scope : 'other';
}

/** Route 53 is REST: its operation is the method and path. */
function route53Operation(method: string, path: string): string {
  const p = path.replace(/\?.*$/, '').replace(/^\/2013-04-01/, '');
  if (/^\/hostedzone\/[^/]+\/rrset\/?$/.test(p))
    return method === 'POST' ? 'ChangeResourceRecordSets' : 'ListResourceRecordSets';
  if (/^\/change\/[^/]+$/.test(p)) return 'GetChange';
  if (/^\/hostedzone\/[^/]+$/.test(p)) return method === 'DELETE' ? 'DeleteHostedZone' : 'GetHostedZone';
  if (/^\/hostedzone\/?$/.test(p)) return method === 'POST' ? 'CreateHostedZone' : 'ListHostedZones';
  return `${method} ${p}`;
}

/** The operation of a request: `Action=` of a query-protocol body (EC2, ELBv2), or Route 53's REST path. */
export function operationOf(service: Service, method: string, path: string, body: string): string {
  if (service === 'route53') return route53Operation(method, path);
  return (
    new URLSearchParams(body).get('Action') ??
    new URL(path, 'http://x').searchParams.get('Action') ??
    `${method} ${path}`
  );
}

interface ErrorShape {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

function errorShape(kind: FaultKind, service: Service): ErrorShape | undefined {
  const ec2 = service === 'ec2';
  switch (kind) {
    case 'throttle':
      return {
        status: 400,
        code: ec2 ? 'RequestLimitExceeded' : 'Throttling',
        message: ec2 ? 'Request limit exceeded.' : 'Rate exceeded',
      };
    case '500':
      return {
        status: 500,
        code: ec2 ? 'InternalError' : 'InternalFailure',
        message: 'An internal error has occurred.',
      };
    case '503':
      return {
        status: 503,
        code: ec2 ? 'Unavailable' : 'ServiceUnavailable',
        message: 'The service is unavailable. Please try again shortly.',
      };
    case 'access-denied':
      return {
        status: 403,
        code: ec2 ? 'UnauthorizedOperation' : 'AccessDenied',
        message: ec2
          ? 'You are not authorized to perform this operation.'
          : 'User: arn:aws:iam::123456789012:user/operator is not authorized to perform this action',
      };
    case 'capacity':
      return {
        status: 500,
        code: 'InsufficientInstanceCapacity',
        message: 'We currently do not have sufficient capacity in the Availability Zone you requested.',
      };
    case 'reset':
    case 'lost-response':
    case 'slow':
      return undefined;
  }
}

/** The error body in the service's own XML: EC2's `<Response><Errors>`, or the query/REST `<ErrorResponse>`. */
export function errorBody(service: Service, shape: ErrorShape): string {
  const id = randomUUID();
  if (service === 'ec2') {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${shape.code}</Code><Message>${shape.message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
  }
  const ns =
    service === 'route53'
      ? 'https://route53.amazonaws.com/doc/2013-04-01/'
      : 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
  const type = shape.status >= 500 ? 'Receiver' : 'Sender';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${shape.code}</Code><Message>${shape.message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host };
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (res) => {
        readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function answer(res: ServerResponse, a: Answer): void {
  const headers = { ...a.headers };
  delete headers['transfer-encoding'];
  delete headers['connection'];
  headers['content-length'] = String(a.body.length);
  res.writeHead(a.status, headers).end(a.body);
}

/** Start a proxy in front of `upstream` (moto) on 127.0.0.1, port chosen by the OS. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const rules: { rule: FaultRule; left: number }[] = [];
  const injected: Injected[] = [];
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const take = (operation: string): FaultKind | undefined => {
    const found = rules.find((r) => r.left > 0 && r.rule.operation === operation);
    if (found === undefined) return undefined;
    found.left -= 1;
    injected.push({ operation, kind: found.rule.kind });
    return found.rule.kind;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const service = serviceOf(req.headers);
      const operation = operationOf(service, req.method ?? 'GET', req.url ?? '/', body.toString('utf8'));
      seen.push(operation);
      const kind = take(operation);
      if (kind === 'reset') return void req.socket.destroy();
      const shape = kind === undefined ? undefined : errorShape(kind, service);
      if (shape !== undefined) {
        const xml = errorBody(service, shape);
        return void res
          .writeHead(shape.status, {
            'content-type': 'text/xml',
            'content-length': Buffer.byteLength(xml),
            'x-amzn-requestid': randomUUID(),
          })
          .end(xml);
      }
      if (kind === 'slow') await new Promise((r) => setTimeout(r, SLOW_MS));
      const a = await forward(target, req, body);
      if (kind === 'lost-response') return void req.socket.destroy();
      answer(res, a);
    })().catch(() => req.socket.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inject: (rule) => void rules.push({ rule, left: rule.times ?? 1 }),
    clear: () => void rules.splice(0),
    injected,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
