import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import type { TlsFacts } from '../ports/site.js';

export interface TlsCheckOptions {
  readonly timeoutMs: number;
  /** Extra trusted certificates (PEM): the sandbox's own. Node also trusts NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | undefined;
  /**
   * Where to connect instead of the URL's host and port, as `curl --resolve` does: the sandbox's
   * local CloudFront edge. The certificate is still asked for (SNI) and judged for the URL's host.
   */
  readonly address?: { readonly host: string; readonly port: number } | undefined;
}

/**
 * Opens a TLS connection to the URL's host and port and reads the certificate it presents: trusted
 * or not, valid for the host or not, until when. Never throws: a connection that fails is a fact
 * too (`authorized: false`, `error`).
 */
export function checkTls(url: URL, options: TlsCheckOptions): Promise<TlsFacts> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 443 : Number(url.port);
  return new Promise((resolve) => {
    const socket = connect({
      host: options.address?.host ?? host,
      port: options.address?.port ?? port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      // Read the certificate whatever it is, and judge it below.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(
      () => finish({ host, authorized: false, error: `no TLS answer within ${options.timeoutMs} ms`, names: [] }),
      options.timeoutMs,
    );
    let done = false;
    function finish(facts: TlsFacts): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(facts);
    }
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const names = (cert.subjectaltname ?? '')
        .split(',')
        .map((n) => n.trim().replace(/^(DNS|IP Address):/, ''))
        .filter((n) => n !== '');
      const validTo = cert.valid_to === undefined ? undefined : new Date(cert.valid_to).toISOString();
      const chain = socket.authorized ? undefined : String(socket.authorizationError ?? 'untrusted certificate');
      // Node checks the chain here; the name is checked as https would check it.
      const nameError = chain === undefined ? hostMismatch(host, cert) : undefined;
      finish({
        host,
        authorized: chain === undefined && nameError === undefined,
        error: chain ?? nameError,
        validTo,
        names,
      });
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({
        host,
        authorized: false,
        error: error.code === undefined ? error.message : `${error.code}: ${error.message}`,
        names: [],
      }),
    );
  });
}

/** tls.checkServerIdentity, as https uses it. */
function hostMismatch(host: string, cert: PeerCertificate): string | undefined {
  const error = checkServerIdentity(host, cert);
  return error === undefined
    ? undefined
    : `${(error as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID'}: ${error.message}`;
}
