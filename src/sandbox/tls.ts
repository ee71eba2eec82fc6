import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * Self-signed certificates made in memory with node:crypto: minimal X.509 v3, ECDSA P-256,
 * SHA-256. The sandbox's HTTPS targets get one with a CN only (an ALB does not validate target
 * certificates, and neither does the sandbox's front or checker); the sandbox's CloudFront edge
 * presents one per ACM certificate, with its names as subjectAltName and its validity window, so
 * the readiness check can judge it as it judges a real one (given it as a trusted CA).
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

/** What a certificate of the sandbox says: who it is for and when it is valid. */
export interface CertificateSubject {
  readonly commonName: string;
  /** subjectAltName DNS names (what browsers and Node check the host against); none: CN only. */
  readonly dnsNames?: readonly string[] | undefined;
  /** Validity window, ms since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** The subjectAltName extension (2.5.29.17) with one dNSName per name. */
function extensions(dnsNames: readonly string[]): Buffer[] {
  if (dnsNames.length === 0) return [];
  const names = sequence(...dnsNames.map((n) => der(0x82, Buffer.from(n, 'ascii'))));
  return [der(0xa3, sequence(sequence(Buffer.from('0603551d11', 'hex'), der(0x04, names))))];
}

const pem = (label: string, body: Buffer): string =>
  `-----BEGIN ${label}-----\n${body
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END ${label}-----\n`;

/**
 * A self-signed certificate and its key (PEM), made in memory: a client that is given `cert` as
 * its trusted CA accepts it for exactly `dnsNames` within the validity window.
 */
export function selfSignedCertificate(subject: CertificateSubject): TlsMaterial {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = Buffer.from([0x01, ...randomBytes(8)]);
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, serial),
    ECDSA_SHA256,
    name(subject.commonName),
    sequence(utcTime(new Date(subject.notBefore)), utcTime(new Date(subject.notAfter))),
    name(subject.commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...extensions(subject.dnsNames ?? []),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = sequence(tbs, ECDSA_SHA256, der(0x03, Buffer.from([0]), signature));
  return { cert: pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

let cached: TlsMaterial | undefined;

/** The sandbox's certificate for its HTTPS targets (CN only: an ALB does not check it), made once per process. */
export function sandboxTls(): TlsMaterial {
  const now = Date.now();
  cached ??= selfSignedCertificate({
    commonName: 'hotspare-sandbox',
    notBefore: now - 3600_000,
    notAfter: now + 365 * 86400_000,
  });
  return cached;
}
