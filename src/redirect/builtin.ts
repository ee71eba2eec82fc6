import type { RedirectConfig } from '../ports/index.js';
import { HEALTH_CHECKER_AGENT_PREFIX } from './config.js';
import { TLS_CERT, TLS_KEY } from './nginx.js';

/** Where the user data installs the builtin server and its systemd unit. */
export const BUILTIN_SCRIPT = '/usr/local/lib/hotspare/redirect-server.py';
export const BUILTIN_UNIT = '/etc/systemd/system/hotspare-redirect.service';

/** The unprivileged user the builtin server runs as once its ports are bound and its key is read. */
export const BUILTIN_USER = 'nobody';

/** What the builtin server needs of the config, as JSON (the values are safe: no quote or backslash). */
function configJson(config: RedirectConfig): string {
  const { targetUrl, statusCode, keepPath, keepQuery, traffic, healthCheck } = config;
  return JSON.stringify({
    targetUrl,
    statusCode,
    keepPath,
    keepQuery,
    listeners: [traffic, ...(healthCheck.port === traffic.port ? [] : [healthCheck])],
    healthCheck,
  });
}

/**
 * The builtin redirect server: one Python 3 file (standard library only, 3.7 or later) that the
 * image's own `python3` runs, so nothing is installed at boot and the subnet needs no way out. Its
 * `decide` is `redirect/decision.ts` line for line.
 */
export function builtinServer(config: RedirectConfig): string {
  return `#!/usr/bin/env python3
# hotspare redirect server (builtin). Generated: every answer follows src/redirect/decision.ts.
import json
import os
import pwd
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONFIG = json.loads(r"""${configJson(config)}""")
CHECKER = "${HEALTH_CHECKER_AGENT_PREFIX}"
TLS_CERT = "${TLS_CERT}"
TLS_KEY = "${TLS_KEY}"
RUN_AS = "${BUILTIN_USER}"


def raw_path(target):
    path = target.split("?", 1)[0]
    return path if path.startswith("/") else "/"


def raw_query(target):
    at = target.find("?")
    return "" if at < 0 or not target.startswith("/") else target[at + 1:]


def decide(method, target, agent, port):
    """Returns (status, location or None, body)."""
    hc = CONFIG["healthCheck"]
    checker = method.upper() in ("GET", "HEAD") and (agent or "").startswith(CHECKER)
    if checker and port == hc["port"] and raw_path(target) == hc["path"]:
        status = hc["status"]
        if 300 <= status < 400:
            return status, CONFIG["targetUrl"], b""
        return status, None, b"ok\\n" if status == 200 else b""
    base = CONFIG["targetUrl"]
    if CONFIG["keepPath"]:
        base = (base[:-1] if base.endswith("/") else base) + raw_path(target)
    query = raw_query(target) if CONFIG["keepQuery"] else ""
    return CONFIG["statusCode"], base + ("?" + query if query else ""), b""


class Handler(BaseHTTPRequestHandler):
    server_version = "hotspare"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 75  # longer than the ALB's 60 s idle timeout

    def raw_target(self):
        # The target exactly as sent: self.path has a leading "//" merged into "/" by Python 3.11+.
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else self.path

    def answer(self):
        port = self.connection.getsockname()[1]
        status, location, body = decide(self.command, self.raw_target(), self.headers.get("User-Agent"), port)
        if self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length", "0") != "0":
            self.close_connection = True  # the body is not read: do not reuse the connection
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.answer
        raise AttributeError(name)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    tls = None

    def finish_request(self, request, client_address):
        if self.tls is None:
            return super().finish_request(request, client_address)
        request.settimeout(10)
        secured = self.tls.wrap_socket(request, server_side=True)  # the handshake, in this request's thread
        try:
            super().finish_request(secured, client_address)
        finally:
            secured.close()


class DualStackServer(Server):
    address_family = socket.AF_INET6

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def bind(listener):
    try:
        server = DualStackServer(("::", listener["port"]), Handler)
    except OSError:
        server = Server(("0.0.0.0", listener["port"]), Handler)
    if listener["protocol"] == "HTTPS":
        server.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.tls.load_cert_chain(TLS_CERT, TLS_KEY)
    return server


def drop_privileges():
    if os.getuid() != 0:
        return
    user = pwd.getpwnam(RUN_AS)
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def main():
    servers = [bind(listener) for listener in CONFIG["listeners"]]
    drop_privileges()
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    sys.stderr.write("hotspare: redirect server listening on %s\\n" % ", ".join(str(l["port"]) for l in CONFIG["listeners"]))
    sys.stderr.flush()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
`;
}

/** The systemd unit that keeps the builtin server running, across reboots (a spare's start) too. */
export function builtinUnit(): string {
  return [
    '[Unit]',
    'Description=hotspare redirect server',
    'After=network.target',
    '',
    '[Service]',
    `ExecStart=/usr/bin/env python3 ${BUILTIN_SCRIPT}`,
    'Restart=always',
    'RestartSec=1',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
