import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderUserData } from '../../src/redirect/user-data.js';
import { sampleRedirect } from '../helpers/redirect-config.js';
import { bootInDebianRoot, startMirror, startSilentMirror } from './debian-root.js';

/**
 * The redirect server's user data on a first boot of a Debian root filesystem with its real apt
 * (see debian-root.ts): it comes up, or it fails fast and visibly. nginx is installed at boot from
 * a mirror on 127.0.0.1 (a flat repository of one stand-in package).
 */
const nginx = renderUserData(sampleRedirect({ server: 'nginx' }));

let mirror: Awaited<ReturnType<typeof startMirror>>;
let silent: Awaited<ReturnType<typeof startSilentMirror>>;

beforeAll(async () => {
  [mirror, silent] = await Promise.all([startMirror(), startSilentMirror()]);
});

afterAll(async () => {
  await Promise.all([mirror?.close(), silent?.close()]);
});

describe('the user data on a first boot with real apt (Debian root filesystem)', () => {
  it("waits while another package manager holds apt's and dpkg's locks (unattended-upgrades), then installs and starts nginx", async () => {
    const boot = await bootInDebianRoot({
      script: nginx,
      mirror: mirror.url,
      lockHeldSeconds: 5,
      env: { HOTSPARE_LOCK_WAIT: '60' },
      timeoutMs: 90_000,
    });
    expect(boot.status, boot.output).toBe(0);
    expect(boot.output).toContain('another package manager holds the apt lists');
    expect(boot.output).toContain('hotspare: redirect server (nginx) started on HTTP:80');
    expect(boot.nginx).toBe('nginx from the test mirror (99.0)');
    expect(boot.systemctl).toEqual(['systemctl enable nginx', 'systemctl restart nginx']);
    expect(mirror.requests).toContain('/nginx_99.0_all.deb');
  }, 120_000);

  it('a mirror that accepts and never answers: the boot fails within its bounds, says so, and powers off', async () => {
    const bounds = {
      HOTSPARE_NET_WAIT: '2',
      HOTSPARE_NET_RETRIES: '0',
      HOTSPARE_STEP_LIMIT: '10',
      HOTSPARE_LOCK_WAIT: '10',
    };
    const boot = await bootInDebianRoot({ script: nginx, mirror: silent.url, env: bounds, timeoutMs: 90_000 });
    expect(boot.status, boot.output).not.toBe(0);
    expect(boot.status).not.toBeNull();
    expect(boot.output).toMatch(/hotspare: FAILED \(exit \d+\): the redirect server did not start/);
    expect(boot.output).toContain('hotspare: powering off');
    expect(boot.systemctl).toEqual(['systemctl poweroff']);
    expect(boot.nginx).toBe('');
    // Two bounded steps (update, install) at most; the test allows a minute.
    expect(boot.seconds).toBeLessThan(60);
  }, 120_000);
});
