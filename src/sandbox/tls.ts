import { generateKeyPairSync, sign } from 'node:crypto';

/**
 * A self-signed certificate for the sandbox's HTTPS targets, made in memory with node:crypto (an
 * ALB does not validate target certificates, and neither does the sandbox's front or checker).
 * A minimal X.509 v3 certificate: ECDSA P-256, SHA-256, CN=hotspare-sandbox, no extensions.
 */
export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...c: Buffer[]): Buffer => der(0x30, ...c);
const ECDSA_SHA256 = sequence(Buffer.from('06082a8648ce3d040302', 'hex'));
const name = (cn: string): Buffer =>
  sequence(der(0x31, sequence(Buffer.from('0603550403', 'hex'), der(0x0c, Buffer.from(cn, 'utf8')))));

function utcTime(date: Date): Buffer {
  const text = `${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

let cached: TlsMaterial | undefined;

/** The sandbox's certificate and key (PEM), made once per process. */
export function sandboxTls(): TlsMaterial {
  if (cached !== undefined) return cached;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = Date.now();
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, Buffer.from([0x01, ...Array.from({ length: 8 }, (_, i) => (now >> (i * 4)) & 0x7f)])),
    ECDSA_SHA256,
    name('hotspare-sandbox'),
    sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 365 * 86400_000))),
    name('hotspare-sandbox'),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = sequence(tbs, ECDSA_SHA256, der(0x03, Buffer.from([0]), signature));
  const pem = (label: string, body: Buffer): string =>
    `-----BEGIN ${label}-----\n${body
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .trimEnd()}\n-----END ${label}-----\n`;
  cached = { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  return cached;
}
