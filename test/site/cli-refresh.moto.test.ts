import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, type Ran } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';
import { motoChildEnv, startMoto, useFakeAwsCredentials, type Moto } from '../helpers/moto.js';
import { cli, html, notFound, serveOrigin, type LocalOrigin } from './hostile-site.js';

const MAINTENANCE_HOST = 'maint.example.test';
const WUFOO = 'https://example.wufoo.com/forms/signup/';

/** A small blog whose content the test changes between publishes (version 1, then 2). */
function blog(state: { version: number; inMaintenance?: boolean; servesCopy?: boolean }) {
  const nav = '<form role="search" method="get" action="/"><input name="s"><button>Search</button></form>';
  const page = (title: string, body: string, css = `/css/site.css?ver=${state.version}`): string =>
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="${css}"></head><body>${state.servesCopy === true ? '<div id="hotspare-banner" role="status">Back soon</div>' : ''}${nav}<main>${body}</main></body></html>`;
  return (url: URL, res: Parameters<Parameters<typeof serveOrigin>[0]>[1]): void => {
    if (state.inMaintenance === true) return void res.writeHead(302, { location: `http://${MAINTENANCE_HOST}/` }).end();
    const posts = state.version === 1 ? [1, 2] : [1, 2, 3, 4];
    switch (url.pathname) {
      case '/':
        return html(
          res,
          page(
            'Blog',
            `${posts
              .filter((n) => n < 4)
              .map((n) => `<a href="/post-${n}/">Post ${n}</a>`)
              .join(' ')} <a href="/signup/">Sign up</a>${state.version === 1 ? ' <a href="/old/">Old</a>' : ''}`,
          ),
        );
      case '/css/site.css':
        return void res
          .writeHead(200, { 'content-type': 'text/css' })
          .end(`body { color: ${state.version === 1 ? 'black' : 'navy'} }`);
      case '/signup/':
        return html(
          res,
          page(
            'Sign up',
            '<form id="signup" method="post" action="/signup"><input name="email"><button>Join</button></form>',
          ),
        );
      case '/old/':
        return state.version === 1 ? html(res, page('Old', '<p>Soon gone</p>')) : notFound(res);
    }
    const post = /^\/post-(\d+)\/$/.exec(url.pathname);
    const n = Number(post?.[1]);
    if (post === null || !posts.includes(n)) return notFound(res);
    // Posts 3 and 4 are new in version 2: post 3 links to post 4, which only post 3 links to.
    const next = posts.includes(n + 1) && n !== 2 ? `<a href="/post-${n + 1}/">Next</a>` : '';
    const extra = '';
    html(
      res,
      page(
        `Post ${n}`,
        `<h1>Post ${n}</h1>${next}${extra}<a href="/?p=${n}&amp;replytocom=1#respond">Reply</a><form id="commentform" method="post" action="/wp-comments-post.php"><textarea name="comment"></textarea></form>`,
      ),
    );
  };
}

function runbook(dir: string, source: string, bucket: string, extra = ''): string {
  const file = join(dir, `${bucket}.yaml`);
  writeFileSync(
    file,
    `name: blog
region: us-east-1
site: { url: "${source}/" }
maintenance:
  url: http://${MAINTENANCE_HOST}/
  expectText: Back soon
  bucket: ${bucket}
  banner: Back soon
  dynamicPrefixes: ["/?s="]
  forms:
    get: origin
    rules:
      - action: /wp-comments-post.php
        policy: notice
        notice: Comments are closed while we are under heavy load.
      - form: "#signup"
        policy: service
        serviceUrl: ${WUFOO}
${extra}loadBalancer: { targetGroup: blog-tg }
webServers: { tags: { role: web } }
steps: [verify-maintenance]
`,
  );
  return file;
}

/**
 * A pass-through to moto that holds every object PUT after the first `pass`, never answering it:
 * the publish is then stopped there by the test, as a kill would stop it.
 */
async function holdingProxy(
  target: string,
  pass: number,
): Promise<{ url: string; held: Promise<void>; close(): Promise<void> }> {
  let puts = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const objectPut =
      req.method === 'PUT' &&
      (req.url ?? '')
        .split('?')[0]!
        .split('/')
        .filter((s) => s !== '').length >= 2;
    if (objectPut && ++puts > pass) {
      req.resume();
      release();
      return;
    }
    const out = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('site refresh and publish on S3 (moto), through the built CLI without a terminal', () => {
  let moto: Moto;
  let s3: S3Client;
  let dir: string;
  const origins: LocalOrigin[] = [];
  const run = (args: string[], endpoint = moto.endpoint): Promise<Ran> =>
    cli([...args, '--endpoint-url', endpoint], motoChildEnv(), 90_000);
  const keys = async (bucket: string): Promise<string[]> =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key ?? '').sort();
  const body = async (bucket: string, key: string): Promise<string> =>
    (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString()) ?? '';
  /** A bucket the website endpoint serves (hosting on, everyone may read): a publish to it is reachable, exit 0. */
  const bucketOf = async (name: string): Promise<string> => {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(
      new PutBucketWebsiteCommand({ Bucket: name, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }),
    );
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${name}/*` }],
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    return name;
  };

  /** Every internal link and asset of every page in the bucket, resolved as S3 website hosting would, that has no object. */
  const brokenInBucket = async (bucket: string): Promise<string[]> => {
    const all = new Set(await keys(bucket));
    const broken: string[] = [];
    for (const key of all) {
      if (!key.endsWith('.html')) continue;
      const text = await body(bucket, key);
      for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const target = new URL(m[1]!.replace(/&amp;/g, '&'), `http://copy.invalid/${key}`);
        if (target.origin !== 'http://copy.invalid') continue;
        const path = decodeURIComponent(target.pathname).slice(1);
        const wanted = path === '' || path.endsWith('/') ? `${path}index.html` : path;
        if (!all.has(wanted) && !all.has(`${wanted}/index.html`)) broken.push(`${key} -> ${wanted}`);
      }
    }
    return broken;
  };

  beforeAll(async () => {
    requireBuiltCli();
    useFakeAwsCredentials();
    moto = await startMoto();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    dir = tempDir('hotspare-refresh-moto-');
  });
  afterAll(async () => {
    s3?.destroy();
    await Promise.all([moto?.stop(), ...origins.map((o) => o.close())]);
  });

  const serveBlog = async (state: Parameters<typeof blog>[0]): Promise<LocalOrigin> => {
    const o = await serveOrigin(blog(state));
    origins.push(o);
    return o;
  };

  it('item 2 and the cron line: comments closed by the form policy, sign-ups to the form service, search warned; published, ending with one clear line', async () => {
    const origin = await serveBlog({ version: 1 });
    const bucket = await bucketOf('forms-blog');
    const r = await run([
      'site',
      'refresh',
      runbook(dir, origin.origin, bucket),
      '--out',
      join(dir, 'forms-copy'),
      '--website',
    ]);
    expect(r.stderr).not.toContain('hotspare:');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Not published');
    expect(r.stdout).toMatch(
      /WARN {4}\d+ pages \(\/, [^)]*\) {2}form form 1 {2}GET http:\/\/127\.0\.0\.1:\d+\/: left pointing at the live origin \(policy origin\)/,
    );
    expect(r.stdout).toMatch(/form {4}\d+ form\(s\) closed: replaced by a notice \(form policy notice\)\./);
    expect(r.stdout).toContain(
      `form    page /signup/  form #signup  POST ${WUFOO}: submits to another site (a hosted form service)`,
    );
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^hotspare site refresh: published \d+ pages, \d+ assets to s3:\/\/forms-blog \(\d+ upload\(s\), 0 delete\(s\), 0 foreign object\(s\) kept\) in [\d.]+ s\.$/,
    );
    const post = await body(bucket, 'post-1/index.html');
    expect(post).toContain('Comments are closed while we are under heavy load.');
    expect(post).not.toContain('<form id="commentform"');
    expect(await body(bucket, 'signup/index.html')).toContain(`action="${WUFOO}"`);
    expect(
      r.stderr
        .split('\n')
        .filter((l) => l !== '')
        .every((l) => /^(snapshot|check|publish)/.test(l)),
    ).toBe(true);
  });

  it('item 2: a form policy the runbook gets wrong is a usage error naming file and line; nothing is crawled', async () => {
    const origin = await serveBlog({ version: 1 });
    const file = runbook(dir, origin.origin, 'bad-forms', '  crawl: { maxPages: 0 }\n').replace(/\.yaml$/, '.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`serviceUrl: ${WUFOO}`, ''));
    const r = await run(['site', 'refresh', file, '--out', join(dir, 'bad-copy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /bad-forms\.yaml:\d+:\d+: maintenance\.forms\.rules\.1\.serviceUrl: policy service needs serviceUrl/,
    );
    expect(r.stderr).toMatch(/bad-forms\.yaml:\d+:\d+: maintenance\.crawl\.maxPages: /);
    expect(origin.requested).toEqual([]);
  });

  it('item 9: from the second publish on, only keys an earlier hotspare manifest listed are deleted; foreign objects stay and are named', async () => {
    const state = { version: 1 };
    const origin = await serveBlog(state);
    const bucket = await bucketOf('foreign-blog');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'backups/db.sql', Body: 'keep me' }));
    const file = runbook(dir, origin.origin, bucket);
    const out = join(dir, 'foreign-copy');
    expect((await run(['site', 'refresh', file, '--out', out])).status).toBe(0);
    expect(await keys(bucket)).toContain('old/index.html');
    state.version = 2;
    const second = await run(['site', 'refresh', file, '--out', out]);
    expect(second.stderr).not.toContain('hotspare:');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('  delete  old/index.html');
    expect(second.stdout).toContain(
      'Kept 1 object(s) hotspare did not publish (backups/db.sql); --delete-unknown deletes them.',
    );
    const now = await keys(bucket);
    expect(now).toContain('backups/db.sql');
    expect(now).not.toContain('old/index.html');
    const third = await run(['site', 'publish', out, '--bucket', bucket]);
    expect(third.status).toBe(0);
    expect(await keys(bucket)).toContain('backups/db.sql');
  });

  it('item 10: a publish killed midway leaves no broken link in the bucket, and the next run converges', async () => {
    const state = { version: 1 };
    const origin = await serveBlog(state);
    const bucket = await bucketOf('killed-blog');
    const file = runbook(dir, origin.origin, bucket);
    const out = join(dir, 'killed-copy');
    expect((await run(['site', 'refresh', file, '--out', out])).status).toBe(0);
    const v1 = await keys(bucket);
    const oldCss = v1.find((k) => k.startsWith('css/site.'));
    state.version = 2;
    for (const pass of [2, 4]) {
      const proxy = await holdingProxy(moto.endpoint, pass);
      const child = spawn(
        process.execPath,
        [resolve(BIN), 'site', 'refresh', file, '--out', out, '--endpoint-url', proxy.url],
        { env: motoChildEnv(), stdio: 'ignore' },
      );
      const exited = new Promise((r) => child.once('exit', r));
      await proxy.held;
      child.kill('SIGKILL');
      await exited;
      await proxy.close();
      expect(await brokenInBucket(bucket)).toEqual([]);
      // The v1 pages still have the v1 stylesheet: a changed stylesheet is a new key.
      expect(await keys(bucket)).toContain(oldCss);
    }
    expect(await keys(bucket)).toContain('hotspare-manifest.pending.json');
    const again = await run(['site', 'refresh', file, '--out', out]);
    expect(again.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'hotspare-manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    expect(await keys(bucket)).toEqual([...Object.keys(manifest.files), 'hotspare-manifest.json'].sort());
    expect(await keys(bucket)).not.toContain(oldCss);
    expect(await brokenInBucket(bucket)).toEqual([]);
    expect(await body(bucket, 'post-3/index.html')).toContain('href="../post-4/"');
  });

  it('item 8: a source that redirects to the maintenance site, or serves the copy, is not copied over the last good copy', async () => {
    const state = { version: 1, inMaintenance: false, servesCopy: false };
    const origin = await serveBlog(state);
    const bucket = await bucketOf('maint-blog');
    const file = runbook(dir, origin.origin, bucket);
    const out = join(dir, 'maint-copy');
    expect((await run(['site', 'refresh', file, '--out', out])).status).toBe(0);
    const before = await keys(bucket);
    const manifest = readFileSync(join(out, 'hotspare-manifest.json'), 'utf8');
    state.inMaintenance = true;
    const r = await run(['site', 'refresh', file, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `redirects to the maintenance site (http://${MAINTENANCE_HOST}/): the site is in maintenance now.`,
    );
    expect(r.stderr).toContain('the last good copy was kept');
    state.inMaintenance = false;
    state.servesCopy = true;
    const copy = await run(['site', 'refresh', file, '--out', out]);
    expect(copy.status).toBe(1);
    expect(copy.stderr).toContain('serves a hotspare maintenance copy');
    expect(readFileSync(join(out, 'hotspare-manifest.json'), 'utf8')).toBe(manifest);
    expect(await keys(bucket)).toEqual(before);
    expect(existsSync(join(out, 'post-1/index.html'))).toBe(true);
  });
});
