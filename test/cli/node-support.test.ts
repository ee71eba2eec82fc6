import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, hotspareIn, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

beforeAll(requireBuiltCli);

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };

/** Whether `version` (v20.19.2) is in a range of the form `^20.19.0 || >=22.12.0`. */
function admits(range: string, version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return range.split('||').some((part) => {
    const m = /^\s*(\^|>=)(\d+)\.(\d+)\.\d+\s*$/.exec(part);
    if (m === null) throw new Error(`unexpected range part "${part}"`);
    const [wantMajor, wantMinor] = [Number(m[2]), Number(m[3])];
    const atLeast = major > wantMajor || (major === wantMajor && minor >= wantMinor);
    return m[1] === '^' ? major === wantMajor && atLeast : atLeast;
  });
}

describe('the supported Node versions', () => {
  it('the tests run on a Node that package.json supports (on this machine: the oldest line, 20)', () => {
    expect(admits(pkg.engines.node, process.version), `${process.version} vs ${pkg.engines.node}`).toBe(true);
    expect(admits(pkg.engines.node, 'v20.18.3')).toBe(false);
    expect(admits(pkg.engines.node, 'v21.7.0')).toBe(false);
    expect(admits(pkg.engines.node, 'v22.12.0')).toBe(true);
  });

  it('the README says the same range', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\`"engines": { "node": "${pkg.engines.node}" }\``);
  });
});

describe("the AWS SDK's Node version warning", () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res
        .writeHead(400, { 'content-type': 'text/xml' })
        .end('<ErrorResponse><Error><Code>ValidationError</Code><Message>no</Message></Error></ErrorResponse>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is not printed over the operator screen, and other warnings still are', async () => {
    const env = cleanEnv(tempDir('hotspare-warn-'), { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    const r = await hotspareIn(
      { env, preload: ['test/helpers/late-warning.mjs'] },
      'status',
      'runbooks/emergency-mode',
      '--endpoint-url',
      url,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('NodeVersionSupportWarning');
    expect(r.stderr).toContain('TestWarning: a warning that must still be printed');
  });
});
