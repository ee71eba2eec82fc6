import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertSafeRedirectUrl, renderUserData } from '../../src/aws/user-data.js';
import type { RedirectConfig } from '../../src/ports/index.js';

const base: RedirectConfig = { server: 'nginx', targetUrl: 'https://maintenance.example.com/', statusCode: 302, port: 80, healthCheckPath: '/health' };

describe('renderUserData for nginx', () => {
  it('answers the health path with 200 ok and redirects everything else to the URL exactly', () => {
    const script = renderUserData({ ...base, port: 8080, statusCode: 301 });
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('dnf install -y nginx');
    expect(script).toContain('listen 8080 default_server;');
    expect(script).toContain('location = /health { default_type text/plain; return 200 "ok\\n"; }');
    expect(script).toContain('location / { return 301 "https://maintenance.example.com/"; }');
    expect(script).toContain('systemctl enable --now nginx');
  });
});

describe('renderUserData for Apache', () => {
  it('serves ok at the health path and redirects every other path without appending it', () => {
    const script = renderUserData({ ...base, server: 'apache', healthCheckPath: '/health.html' });
    expect(script).toContain('dnf install -y httpd');
    expect(script).not.toContain('Listen 80\n');
    expect(script).toContain('<VirtualHost *:80>');
    expect(script).toContain('Alias "/health.html" "/var/www/hotspare/health.txt"');
    expect(script).toContain('<LocationMatch "^(?!/health\\.html$)">');
    expect(script).toContain('Redirect 302 "https://maintenance.example.com/"');
  });

  it('adds a Listen line for a port other than 80', () => {
    expect(renderUserData({ ...base, server: 'apache', port: 8080 })).toContain('Listen 8080\n<VirtualHost *:8080>');
  });
});

describe('the script under a real shell', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  /** Run the script with dnf/systemctl stubbed and /etc, /var/www moved under a temp root. */
  function runScript(redirect: RedirectConfig): string {
    root = mkdtempSync(join(tmpdir(), 'hotspare-userdata-'));
    const bin = join(root, 'bin');
    for (const dir of [bin, join(root, 'etc/nginx'), join(root, 'etc/httpd/conf.d')]) mkdirSync(dir, { recursive: true });
    for (const tool of ['dnf', 'systemctl']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${root}/calls.log"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const script = renderUserData(redirect).replaceAll('/etc/', `${root}/etc/`).replaceAll('/var/www/', `${root}/var/www/`);
    execFileSync('bash', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    return root;
  }

  it('writes the nginx config verbatim: no shell expansion of URL characters', () => {
    const url = 'https://maintenance.example.com/down?from=site&lang=en#top(1)*!';
    const dir = runScript({ ...base, targetUrl: url });
    expect(readFileSync(join(dir, 'etc/nginx/nginx.conf'), 'utf8')).toContain(`return 302 "${url}";`);
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toBe('dnf install -y nginx\nsystemctl enable --now nginx\n');
  });

  it('writes the Apache config and health file', () => {
    const dir = runScript({ ...base, server: 'apache' });
    expect(readFileSync(join(dir, 'etc/httpd/conf.d/hotspare.conf'), 'utf8')).toContain('Redirect 302 "https://maintenance.example.com/"');
    expect(readFileSync(join(dir, 'var/www/hotspare/health.txt'), 'utf8')).toBe('ok\n');
  });
});

describe('unsafe input is refused with a UsageError', () => {
  const attempts = [
    'https://a.example.com/"; rm -rf /; "',
    'https://a.example.com/$(reboot)',
    'https://a.example.com/`reboot`',
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
    expect(() => renderUserData({ ...base, targetUrl })).toThrow(expect.objectContaining({ name: 'UsageError', code: 'UnsafeRedirectUrl' }));
  });

  it.each(['/health; return 302 x', '/health\n', 'health', '/../etc/passwd', '/a b', '/"x"'])('health path %j', (healthCheckPath) => {
    expect(() => renderUserData({ ...base, healthCheckPath })).toThrow(expect.objectContaining({ name: 'UsageError', code: 'UnsafeHealthCheckPath' }));
  });

  it('refuses a port outside 1-65535', () => {
    expect(() => renderUserData({ ...base, port: 0 })).toThrow(expect.objectContaining({ code: 'InvalidPort' }));
    expect(() => renderUserData({ ...base, port: 70000 })).toThrow(expect.objectContaining({ code: 'InvalidPort' }));
  });

  it('accepts ordinary maintenance URLs', () => {
    for (const url of ['https://maintenance.example.com/', 'http://10.0.0.5:8080/down.html', 'https://status.example.com/?site=www']) {
      expect(() => assertSafeRedirectUrl(url)).not.toThrow();
    }
  });
});
