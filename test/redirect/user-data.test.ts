import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedirectConfig } from '../../src/ports/index.js';
import { sampleRedirect } from '../helpers/redirect-config.js';
import { assertSafeRedirectUrl } from '../../src/redirect/url.js';
import { MAX_USER_DATA_BYTES, renderUserData } from '../../src/redirect/user-data.js';

const base: RedirectConfig = sampleRedirect();

/** Every network step of the boot is bounded (redirect/boot-script.ts): the options each package manager gets. */
const DNF = 'install -y --setopt=timeout=15 --setopt=retries=1';
const APT_NET = '-o Acquire::http::Timeout=15 -o Acquire::https::Timeout=15 -o Acquire::Retries=1';

/**
 * The script under a real bash on an imitation of each OS family: only the family's package
 * manager is on PATH (stubbed, recording its calls), systemctl is stubbed, and every path the
 * script writes is moved under a temporary root.
 */
describe('the user data tells the OS family apart', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function run(
    config: RedirectConfig,
    tools: readonly string[],
    present: readonly string[] = [],
    says: Readonly<Record<string, string>> = {},
  ): { calls: string[]; status: number; output: string; root: string } {
    root = mkdtempSync(join(tmpdir(), 'hotspare-userdata-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const tool of [...tools, 'systemctl', ...present, ...Object.keys(says)]) {
      const output = says[tool] === undefined ? '' : `echo "${says[tool]}"\n`;
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${root}/calls.log"\n${output}`);
      chmodSync(join(bin, tool), 0o755);
    }
    for (const dir of ['etc/nginx', 'etc/httpd/conf', 'etc/apache2', 'etc/systemd/system'])
      mkdirSync(join(root, dir), { recursive: true });
    const script = renderUserData(config)
      .replaceAll('/etc/', `${root}/etc/`)
      .replaceAll('/var/www/', `${root}/var/www/`)
      .replaceAll('/usr/local/lib/', `${root}/usr/local/lib/`);
    // Only the stubs and coreutils: no real package manager, server or python3 is visible.
    const coreutils = join(root, 'coreutils');
    mkdirSync(coreutils);
    for (const tool of ['cat', 'install', 'chmod', 'printf', 'mkdir', 'seq', 'sleep', 'openssl', 'timeout']) {
      const path = ['/usr/bin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p));
      if (path !== undefined) execFileSync('ln', ['-s', path, join(coreutils, tool)]);
    }
    let status = 0;
    let output = '';
    try {
      output = execFileSync('/bin/bash', ['-c', script], {
        env: { PATH: `${bin}:${coreutils}`, HOME: root },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      status = e.status;
      output = `${e.stdout}${e.stderr}`;
    }
    const log = join(root, 'calls.log');
    const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    return { calls, status, output, root };
  }

  it('Amazon Linux 2023 (dnf): installs nginx with dnf and starts it', () => {
    const r = run(base, ['dnf']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls).toEqual([`dnf ${DNF} nginx`, 'systemctl enable nginx', 'systemctl restart nginx']);
    expect(readFileSync(join(r.root, 'etc/nginx/nginx.conf'), 'utf8')).toContain(
      'return 302 "https://maintenance.example.com/";',
    );
  });

  it('Amazon Linux 2 (yum): nginx from amazon-linux-extras', () => {
    const r = run(base, ['yum', 'amazon-linux-extras']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls[0]).toBe('amazon-linux-extras install -y nginx1');
  });

  it('Ubuntu (apt): apache2 with the Debian layout and www-data', () => {
    const r = run({ ...base, server: 'apache' }, ['apt-get']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls).toEqual([
      `apt-get -q ${APT_NET} update`,
      `apt-get install -y -q -o DPkg::Lock::Timeout=180 ${APT_NET} apache2`,
      'systemctl enable apache2',
      'systemctl restart apache2',
    ]);
    const conf = readFileSync(join(r.root, 'etc/apache2/apache2.conf'), 'utf8');
    expect(conf).toContain('User www-data');
    expect(conf).toContain('IncludeOptional mods-enabled/*.load');
    expect(readFileSync(join(r.root, 'var/www/hotspare/ok.txt'), 'utf8')).toBe('ok\n');
  });

  it('Amazon Linux 2023 (dnf): httpd and mod_ssl for an HTTPS target group, with a certificate made at boot', () => {
    const https = {
      ...base,
      server: 'apache' as const,
      traffic: { port: 443, protocol: 'HTTPS' as const },
      healthCheck: { ...base.healthCheck, port: 443, protocol: 'HTTPS' as const },
    };
    const r = run(https, ['dnf']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls.slice(0, 2)).toEqual([`dnf ${DNF} httpd mod_ssl`, `dnf ${DNF} mod_ssl`]);
    expect(readFileSync(join(r.root, 'etc/hotspare/tls.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    const conf = readFileSync(join(r.root, 'etc/httpd/conf/httpd.conf'), 'utf8');
    expect(conf).toContain('User apache');
    expect(conf).toContain('Listen 443 https');
    expect(conf).toContain('SSLEngine on');
  });

  it('installs nothing when the image has the server already', () => {
    const r = run(base, ['dnf'], ['nginx']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('dnf'))).toEqual([]);
  });

  it('a preinstalled image without the server stops with a clear line, installing nothing, and powers off', () => {
    const r = run({ ...base, preinstalled: true }, ['dnf']);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('hotspare: nginx is not on this image');
    expect(r.output).toContain('hotspare: FAILED (exit 1): the redirect server did not start');
    // A boot that cannot start the server ends visibly: the failover sees the instance stop at once.
    expect(r.calls).toEqual(['systemctl poweroff']);
  });

  it("the builtin server installs nothing: the image's python3 runs it under systemd", () => {
    const r = run({ ...base, server: 'builtin' }, ['dnf'], ['python3']);
    expect(r.status, r.output).toBe(0);
    expect(r.calls).toEqual([
      'systemctl daemon-reload',
      'systemctl enable hotspare-redirect',
      'systemctl restart hotspare-redirect',
    ]);
    expect(readFileSync(join(r.root, 'usr/local/lib/hotspare/redirect-server.py'), 'utf8')).toContain('def decide(');
    expect(readFileSync(join(r.root, 'etc/systemd/system/hotspare-redirect.service'), 'utf8')).toMatch(
      /^ExecStart=\/usr\/bin\/env python3 \S*\/usr\/local\/lib\/hotspare\/redirect-server\.py$/m,
    );
  });

  it('an OS with none of dnf, yum or apt-get is refused in one line', () => {
    const r = run(base, []);
    expect(r.status).toBe(1);
    expect(r.output).toContain('hotspare: no dnf, yum or apt-get on this image: not a supported OS');
  });

  it('a spare checks its own health answer (each check bounded), then powers off; it never powers off on a failure', () => {
    const script = renderUserData({ ...base, server: 'builtin' }, { spare: true });
    expect(script).toContain(
      "curl -sk --max-time 5 -o /dev/null -w '%{http_code}' -A 'ELB-HealthChecker/2.0' http://127.0.0.1:80/",
    );
    expect(script.trimEnd().endsWith('systemctl poweroff')).toBe(true);
    expect(script.match(/poweroff/g)).toHaveLength(1);
    // A redirect instance powers off only when its boot failed.
    const plain = renderUserData(base);
    expect(plain.indexOf('  systemctl poweroff || shutdown -h now')).toBeGreaterThan(plain.indexOf('boot_failed() {'));
    expect(plain).toContain('trap boot_failed EXIT');
  });

  describe('SELinux enforcing (RHEL family): nginx and httpd may listen only on ports labelled http_port_t', () => {
    const healthPort = { ...base, healthCheck: { ...base.healthCheck, port: 8081, path: '/health' } };

    it('labels the health-check port 8081 (80 is labelled already), before the server starts', () => {
      const r = run(healthPort, ['dnf'], ['semanage'], { getenforce: 'Enforcing' });
      expect(r.status, r.output).toBe(0);
      const semanage = r.calls.filter((c) => c.startsWith('semanage'));
      expect(semanage).toEqual(['semanage port -a -t http_port_t -p tcp 8081']);
      expect(r.calls.indexOf(semanage[0]!)).toBeLessThan(r.calls.indexOf('systemctl restart nginx'));
      expect(r.output).toContain('hotspare: SELinux enforces: labelling port 8081 http_port_t for the web server');
    });

    it('httpd too; and semanage is installed first when the image lacks it', () => {
      const r = run({ ...healthPort, server: 'apache' }, ['dnf'], [], { getenforce: 'Enforcing' });
      expect(r.calls).toContain(`dnf ${DNF} policycoreutils-python-utils`);
    });

    it('labels nothing when SELinux is permissive, absent, or the ports are the standard ones', () => {
      expect(
        run(healthPort, ['dnf'], ['semanage'], { getenforce: 'Permissive' }).calls.filter((c) =>
          c.startsWith('semanage'),
        ),
      ).toEqual([]);
      expect(run(healthPort, ['dnf'], ['semanage']).calls.filter((c) => c.startsWith('semanage'))).toEqual([]);
      expect(
        run(base, ['dnf'], ['semanage'], { getenforce: 'Enforcing' }).calls.filter((c) => c.startsWith('semanage')),
      ).toEqual([]);
      // The builtin server runs under systemd as an unconfined service: no labelling.
      expect(renderUserData({ ...healthPort, server: 'builtin' })).not.toContain('semanage');
    });
  });

  it("keeps idle connections open longer than the ALB's 60 s idle timeout, on every server", () => {
    expect(renderUserData(base)).toContain('keepalive_timeout 75s;');
    expect(renderUserData({ ...base, server: 'apache' })).toContain('KeepAliveTimeout 75');
    expect(renderUserData({ ...base, server: 'builtin' })).toContain('timeout = 75');
  });

  it("stays under EC2's 16 KB user-data limit with every option on", () => {
    const big: RedirectConfig = {
      ...base,
      server: 'builtin',
      keepPath: true,
      keepQuery: true,
      traffic: { port: 443, protocol: 'HTTPS' },
      healthCheck: { port: 8443, protocol: 'HTTPS', path: `/${'h'.repeat(1000)}`, status: 200 },
    };
    for (const server of ['nginx', 'apache', 'builtin'] as const) {
      expect(Buffer.byteLength(renderUserData({ ...big, server }, { spare: true }))).toBeLessThan(MAX_USER_DATA_BYTES);
    }
  });
});

describe('unsafe input is refused with a UsageError', () => {
  const attempts = [
    'https://a.example.com/"; rm -rf /; "',
    'https://a.example.com/$(reboot)',
    'https://a.example.com/`reboot`',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the attack tested
    'https://a.example.com/${HOME}',
    'https://a.example.com/\nHOTSPARE_CONFIG_EOF\nreboot',
    'https://a.example.com/\r\nreboot',
    'https://a.example.com/ x',
    'https://a.example.com/\tx',
    "https://a.example.com/'",
    'https://a.example.com/;return 200',
    'https://a.example.com/{}',
    'https://a.example.com/\\',
    'https://a.example.com/%{REQUEST_URI}',
    'https://a.example.com/%0a',
    'https://a.example.com/<script>',
    'https://a.example.com/|id',
    'javascript:alert(1)',
    'ftp://a.example.com/',
    '//a.example.com/',
    'https://',
    'https://user:pw@a.example.com/',
    '',
  ];
  it.each(attempts)('URL %j', (targetUrl) => {
    for (const server of ['nginx', 'apache', 'builtin'] as const) {
      expect(() => renderUserData({ ...base, server, targetUrl })).toThrow(
        expect.objectContaining({ name: 'UsageError', code: 'UnsafeRedirectUrl' }),
      );
    }
  });

  it.each(['/health; return 302 x', '/health\n', 'health', '/../etc/passwd', '/a b', '/"x"', '/health?x=1'])(
    'health path %j',
    (path) => {
      expect(() => renderUserData({ ...base, healthCheck: { ...base.healthCheck, path } })).toThrow(
        expect.objectContaining({ name: 'UsageError', code: 'UnsafeHealthCheckPath' }),
      );
    },
  );

  it('refuses a port outside 1-65535', () => {
    expect(() => renderUserData({ ...base, traffic: { port: 0, protocol: 'HTTP' } })).toThrow(
      expect.objectContaining({ code: 'InvalidPort' }),
    );
    expect(() => renderUserData({ ...base, healthCheck: { ...base.healthCheck, port: 70000 } })).toThrow(
      expect.objectContaining({ code: 'InvalidPort' }),
    );
  });

  it('accepts ordinary maintenance URLs, upper-case schemes included', () => {
    for (const url of [
      'https://maintenance.example.com/',
      'http://10.0.0.5:8080/down.html',
      'https://status.example.com/?site=www',
      'HTTPS://Maintenance.example.com/',
      'http://[::1]:8080/',
    ]) {
      expect(() => assertSafeRedirectUrl(url)).not.toThrow();
    }
  });
});
