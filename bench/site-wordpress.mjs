// The maintenance copy of a real CMS, side by side with `wget --mirror` and httrack (issue 21).
//
// Builds WordPress 6.1 from Debian's packages (wordpress, wordpress-theme-twentytwentythree,
// mariadb-server, php-cli, php-gd, php-mysql; wget and httrack to compare), in a temporary folder:
// a MariaDB of its own on a Unix socket (no TCP), PHP's built-in server on 127.0.0.1 (an OS-chosen
// port), and bench/site-wordpress-populate.php's blog (27 posts with srcset images, 8 pages,
// threaded comments, search, archives, the theme's web fonts). Then, for each permalink style
// ("Plain" ?p=N, and /%year%/%monthnum%/%postname%/), copies the site with wget --mirror, httrack
// and `hotspare site snapshot` (wall time and peak RSS of each), stops the origin, and judges each
// copy: the pages wget saved that the copy lacks, broken internal links (`hotspare site check` on the
// folder, read as S3 website hosting serves it), and srcset candidates whose file is missing.
// Installs the Debian packages itself when run as root and they are missing. `npm run build` first.
//   node bench/site-wordpress.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const PACKAGES = [
  'wordpress',
  'wordpress-theme-twentytwentythree',
  'mariadb-server',
  'php-cli',
  'php-gd',
  'php-mysql',
  'wget',
  'httrack',
];
const NEEDED = [
  '/usr/share/wordpress/wp-load.php',
  '/usr/share/wordpress/wp-content/themes/twentytwentythree',
  '/usr/sbin/mariadbd',
  '/usr/bin/php',
  '/usr/bin/wget',
  '/usr/bin/httrack',
];
const STYLES = [
  ['Plain (?p=N)', ''],
  ['/%year%/%monthnum%/%postname%/', '/%year%/%monthnum%/%postname%/'],
];
const bin = resolve('dist/cli/bin.js');
const here = dirname(new URL(import.meta.url).pathname);

function install() {
  if (NEEDED.every((p) => existsSync(p))) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `Missing Debian packages; as root: apt-get install -y --no-install-recommends ${PACKAGES.join(' ')}`,
    );
  console.log(`installing ${PACKAGES.join(' ')} (apt-get)…`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

async function until(what, test, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

/** Runs a command to its end: wall time, and peak RSS read from /proc while it runs (VmHWM). */
function measure(cmd, args, options = {}) {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      } catch {
        // exited between two polls
      }
    }, 20);
    child.once('error', fail);
    child.once('close', (status) => {
      clearInterval(poll);
      done({ status, seconds: Number(process.hrtime.bigint() - start) / 1e9, peakMb: peakKb / 1024, out, err });
    });
  });
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** srcset candidates in the copy's HTML whose file is not in the copy (resolved as a static server would). */
function srcsetFiles(root) {
  let total = 0;
  const missing = new Set();
  for (const file of filesUnder(root).filter((f) => /\.html?$|\.html\?|index\.html/.test(f))) {
    const text = readFileSync(file, 'latin1');
    for (const m of text.matchAll(/\ssrcset="([^"]*)"/g)) {
      for (const candidate of m[1]
        .split(',')
        .map((c) => c.trim().split(/\s+/)[0])
        .filter(Boolean)) {
        total++;
        if (/^[a-z]+:\/\//i.test(candidate)) {
          missing.add(candidate);
          continue;
        }
        const path = decodeURIComponent(candidate.replace(/&amp;/g, '&').split(/[?#]/)[0]);
        const target = path.startsWith('/') ? join(root, path) : join(dirname(file), path);
        if (!existsSync(target)) missing.add(relative(root, target));
      }
    }
  }
  return { total, missing: missing.size };
}

/** Broken internal links of a copy with the origin stopped, by `hotspare site check` (folder read as S3 website hosting). */
function brokenLinks(dir) {
  const r = spawnSync(process.execPath, [bin, 'site', 'check', dir, '--json', '--max-pages', '100000'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const report = JSON.parse(r.stdout);
  return {
    pages: report.pages,
    broken: report.broken.length,
    distinct: new Set(report.broken.map((b) => b.target)).size,
    origin: report.origin,
  };
}

/** The HTML pages wget saved (its log names each URL and file; --adjust-extension ends pages with .html). */
function wgetPages(log) {
  const pages = new Set();
  for (const m of log.matchAll(/URL:\s*(\S+) \[[^\]]*\] -> "([^"]+)"/g)) if (/\.html$/.test(m[2])) pages.add(m[1]);
  return pages;
}

async function main() {
  install();
  const root = mkdtempSync(join(tmpdir(), 'hotspare-bench-wp-'));
  const sock = join(root, 'db.sock');
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${root}/db`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ],
    { stdio: 'ignore' },
  );
  const db = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${root}/db`,
      `--socket=${sock}`,
      '--skip-networking',
      '--user=root',
      `--pid-file=${root}/db.pid`,
      '--skip-grant-tables=0',
    ],
    { stdio: 'ignore' },
  );
  let php;
  try {
    await until('MariaDB', () => existsSync(sock));
    await until(
      'MariaDB',
      () =>
        spawnSync('mariadb', ['--no-defaults', '-S', sock, '-u', 'root', '-e', 'CREATE DATABASE IF NOT EXISTS wp'])
          .status === 0,
    );
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    execFileSync('cp', ['-rL', '/usr/share/wordpress', join(root, 'wp')]);
    writeFileSync(
      join(root, 'wp', 'wp-config.php'),
      `<?php\ndefine('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', ''); define('DB_HOST', 'localhost:${sock}');\n` +
        `define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', ''); $table_prefix = 'wp_';\n` +
        `define('WP_HOME', '${url}'); define('WP_SITEURL', '${url}'); define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true);\n` +
        `if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/'); require_once ABSPATH . 'wp-settings.php';\n`,
    );
    // PHP's server gives every path to WordPress unless it is a file (as Apache's rewrite rules do).
    writeFileSync(
      join(root, 'router.php'),
      `<?php\n$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));\n$file = $_SERVER['DOCUMENT_ROOT'] . $path;\n` +
        `if ($path !== '/' && is_file($file) && substr($file, -4) !== '.php') return false;\n` +
        `if ($path !== '/' && is_file($file)) { $_SERVER['SCRIPT_NAME'] = $path; chdir(dirname($file)); require $file; return true; }\n` +
        `$_SERVER['SCRIPT_NAME'] = '/index.php'; require $_SERVER['DOCUMENT_ROOT'] . '/index.php';\n`,
    );
    const startPhp = async () => {
      // A process group of its own: its workers are stopped with it.
      php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', join(root, 'wp'), join(root, 'router.php')], {
        stdio: 'ignore',
        detached: true,
        env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
      });
      await until('PHP', async () => (await fetch(`${url}/wp-login.php`).catch(() => undefined))?.status === 200);
    };
    const stopPhp = async () => {
      process.kill(-php.pid, 'SIGTERM');
      await until('the origin to stop', async () => (await fetch(`${url}/`).catch(() => undefined)) === undefined);
      php = undefined;
    };
    execFileSync('php', [join(here, 'site-wordpress-populate.php'), join(root, 'wp'), url], { stdio: 'inherit' });
    const rows = [];
    for (const [label, structure] of STYLES) {
      execFileSync(
        'php',
        [join(here, 'site-wordpress-populate.php'), join(root, 'wp'), url, '--permalinks', structure],
        { stdio: 'inherit' },
      );
      await startPhp();
      const dir = join(root, `copies-${rows.length}`);
      mkdirSync(dir);
      const wget = await measure('wget', [
        '--mirror',
        '--page-requisites',
        '--adjust-extension',
        '--convert-links',
        '-e',
        'robots=off',
        '-nv',
        '-P',
        join(dir, 'wget'),
        `${url}/`,
      ]);
      const httrack = await measure('httrack', [`${url}/`, '-O', join(dir, 'httrack'), '-q', '-s0', '-%v0']);
      const hotspare = await measure(process.execPath, [
        bin,
        'site',
        'snapshot',
        `${url}/`,
        '--out',
        join(dir, 'hotspare'),
        '--json',
      ]);
      if (hotspare.status !== 0) throw new Error(`hotspare failed: ${hotspare.err}`);
      await stopPhp();
      const manifest = JSON.parse(readFileSync(join(dir, 'hotspare', 'hotspare-manifest.json'), 'utf8'));
      const copied = new Set(Object.values(manifest.files).map((f) => f.url));
      const saved = wgetPages(wget.err + wget.out);
      const lacking = [...saved].filter((u) => !copied.has(u));
      const wgetRoot = join(dir, 'wget', `127.0.0.1:${port}`);
      const httrackRoot = join(dir, 'httrack', `127.0.0.1_${port}`);
      rows.push({
        label,
        tools: [
          {
            name: 'wget --mirror',
            run: wget,
            pages: saved.size,
            check: brokenLinks(wgetRoot),
            srcset: srcsetFiles(wgetRoot),
          },
          {
            name: 'httrack',
            run: httrack,
            pages: filesUnder(httrackRoot).filter((f) => f.endsWith('.html')).length,
            check: existsSync(httrackRoot) ? brokenLinks(httrackRoot) : undefined,
            srcset: existsSync(httrackRoot) ? srcsetFiles(httrackRoot) : undefined,
          },
          {
            name: 'hotspare site snapshot',
            run: hotspare,
            pages: manifest.pages,
            check: brokenLinks(join(dir, 'hotspare')),
            srcset: srcsetFiles(join(dir, 'hotspare')),
            lacking,
          },
        ],
        assets: manifest.assets,
        bytes: manifest.bytes,
      });
    }
    for (const row of rows) {
      console.log(
        `\nWordPress 6.1, permalinks ${row.label} (hotspare: ${row.assets} assets, ${(row.bytes / 1e6).toFixed(1)} MB):`,
      );
      for (const t of row.tools) {
        const c =
          t.check === undefined
            ? 'n/a'
            : `${t.check.broken} broken internal link(s) (${t.check.distinct} distinct) on ${t.check.pages} pages`;
        const s =
          t.srcset === undefined
            ? 'n/a'
            : `${t.srcset.total - t.srcset.missing}/${t.srcset.total} srcset candidates present`;
        console.log(
          `  ${t.name.padEnd(24)} ${t.run.seconds.toFixed(1).padStart(6)} s  peak RSS ${t.run.peakMb.toFixed(0).padStart(4)} MB  ${String(t.pages).padStart(4)} pages  ${c}; ${s}`,
        );
        if (t.lacking !== undefined)
          console.log(
            `  ${''.padEnd(24)} pages wget saved that the copy lacks: ${t.lacking.length}${t.lacking.length > 0 ? ` (${t.lacking.slice(0, 5).join(', ')})` : ''}`,
          );
      }
      const [w, , h] = row.tools;
      console.log(`  hotspare / wget wall time: ${(h.run.seconds / w.run.seconds).toFixed(2)}`);
      const deps = row.tools[2].check.origin;
      if (deps.length > 0)
        console.log(
          `  hotspare copy's references to the origin: ${deps.map((g) => `${g.count}× ${g.what}`).join('; ')}`,
        );
    }
  } finally {
    if (php !== undefined) process.kill(-php.pid, 'SIGTERM');
    db.kill('SIGTERM');
  }
}

await main();
