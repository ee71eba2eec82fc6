import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GUARD = fileURLToPath(new URL('./helpers/loopback-only.cjs', import.meta.url));

/**
 * The guard preloaded into every CLI process of the suite refuses names and addresses beyond
 * loopback on every path a request can take (net, http, fetch, dns). It is proven here on one
 * loopback address it is told to treat as remote, so this test itself never leaves the machine.
 */
describe('the loopback-only guard', () => {
  it('refuses lookups of names and connections to other addresses, on every path; loopback still works', () => {
    const script = `
      const out = [];
      const done = (what) => (e) => out.push(what + ': ' + (e && e.message ? e.message : e));
      const all = [
        new Promise((r) => require('node:net').connect(1234, '127.0.0.2').on('error', (e) => r(done('net')(e)))),
        new Promise((r) => require('node:http').get('http://127.0.0.2:1234/', () => r(out.push('http: answered'))).on('error', (e) => r(done('http')(e)))),
        fetch('http://127.0.0.2:1234/').then(() => out.push('fetch: answered'), (e) => done('fetch')(e.cause ?? e)),
        new Promise((r) => require('node:dns').lookup('www.example.invalid', (e) => r(done('lookup')(e)))),
        require('node:dns').promises.lookup('www.example.invalid').catch(done('promises.lookup')),
        new Promise((r) => require('node:net').connect(1, '127.0.0.1').on('error', (e) => r(done('loopback')(e)))),
      ];
      Promise.all(all).then(() => console.log(JSON.stringify(out.sort())));
    `;
    const r = spawnSync(process.execPath, ['--require', GUARD, '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, HOTSPARE_GUARD_TEST_DENY: '127.0.0.2' },
      timeout: 20_000,
    });
    const lines = JSON.parse(r.stdout) as string[];
    expect(lines).toEqual([
      'fetch: loopback-only guard: connection to 127.0.0.2 refused',
      'http: loopback-only guard: connection to 127.0.0.2 refused',
      'lookup: loopback-only guard: lookup of www.example.invalid refused',
      expect.stringMatching(/^loopback: connect ECONNREFUSED 127\.0\.0\.1:1$/),
      'net: loopback-only guard: connection to 127.0.0.2 refused',
      'promises.lookup: loopback-only guard: lookup of www.example.invalid refused',
    ]);
  });
});
