import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { SiteBucket, StoredObject } from '../ports/site.js';
import { manifestText, parseManifest, readManifestFile, sha256, type Manifest } from './manifest.js';
import { listKeys } from './output-dir.js';
import { pageOrder } from './publish-order.js';
import { contentTypeOf } from './snapshot.js';
import { MANIFEST_FILE } from './urls.js';

/**
 * What a publish will change, worked out from the snapshot folder and the bucket alone (reads
 * only). Files are compared by SHA-256 with the manifest published last time; a file that the
 * listing lacks or whose size differs is uploaded even when that manifest says otherwise. Only keys
 * that an earlier hotspare publish listed (its manifest, or the pending list of a publish that did
 * not finish) are ever deleted: anything else in the bucket is someone else's.
 */

/** Lists the keys a publish is about to add, before it adds them, so a publish killed midway can be cleaned up by the next. */
export const PENDING_FILE = 'hotspare-manifest.pending.json';

/** Upload order: assets first, then pages (new ones before the pages that link to them), then the home page, then the manifest. */
export type Phase = 'asset' | 'page' | 'index' | 'manifest';
export const PHASES: readonly Phase[] = ['asset', 'page', 'index', 'manifest'];

export interface LocalFile {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly phase: Phase;
  /** Reads the body (only when it is uploaded). */
  read(): Promise<Buffer>;
}

export interface Upload extends LocalFile {
  readonly reason: 'new' | 'changed' | 'manifest';
  /** Pages: the upload round (0 first); a page goes up after the new pages it links to. */
  readonly round: number;
}

export interface PublishPlan {
  readonly bucket: string;
  /** In upload order. */
  readonly uploads: readonly Upload[];
  /** Objects no longer in the snapshot that an earlier hotspare publish put there, deleted after every upload. */
  readonly deletes: readonly string[];
  /** Objects hotspare did not publish, left in place (unless --delete-unknown). */
  readonly keptUnknown: readonly string[];
  readonly unchanged: number;
  /** The manifest that will be uploaded (its files are what is on disk now). */
  readonly manifest: Manifest;
  /** Keys this publish adds, recorded in `PENDING_FILE` before the first upload. */
  readonly adding: readonly string[];
  /** A pending list of an unfinished publish was found (and is removed at the end). */
  readonly pendingFound: boolean;
}

/** HTML is re-read often (a refresh shows within a minute); files whose key carries their hash for good; others for an hour; the manifest never cached. */
export function cacheControlFor(key: string, contentType: string, immutable = false): string {
  if (key === MANIFEST_FILE || key === PENDING_FILE) return 'no-cache, max-age=0';
  if (contentType.startsWith('text/html')) return 'public, max-age=60';
  return immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
}

function phaseOf(key: string, contentType: string): Phase {
  if (key === 'index.html') return 'index';
  return contentType.startsWith('text/html') ? 'page' : 'asset';
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Every file of the snapshot folder (the manifest aside), hashed as it is on disk now, a few at a time; no body is kept. */
export async function readLocalFiles(dir: string, manifest: Manifest | undefined): Promise<LocalFile[]> {
  const keys = (await listKeys(dir)).filter((k) => k !== MANIFEST_FILE && k !== PENDING_FILE);
  const limit = pLimit(4);
  return Promise.all(
    keys.map((key) =>
      limit(async () => {
        const path = join(dir, key);
        const { sha256: digest, bytes } = await hashFile(path);
        const entry = manifest?.files[key];
        const contentType = contentTypeOf(key, entry?.contentType);
        // Immutable only while the bytes are still the ones the snapshot hashed into the key.
        const immutable = entry?.immutable === true && entry.sha256 === digest;
        return {
          key,
          bytes,
          sha256: digest,
          contentType,
          cacheControl: cacheControlFor(key, contentType, immutable),
          phase: phaseOf(key, contentType),
          read: () => readFile(path),
        };
      }),
    ),
  );
}

/** The manifest to publish: the snapshot's own, with its file list made true to the files on disk. */
export function publishedManifest(local: Manifest | undefined, files: readonly LocalFile[], now: number): Manifest {
  const entries = Object.fromEntries(
    files.map((f) => {
      const known = local?.files[f.key];
      const immutable = known?.immutable === true && known.sha256 === f.sha256;
      return [
        f.key,
        {
          sha256: f.sha256,
          bytes: f.bytes,
          kind: f.phase === 'asset' ? ('asset' as const) : ('page' as const),
          contentType: f.contentType,
          url: known?.url,
          ...(immutable ? { immutable } : {}),
        },
      ];
    }),
  );
  const list = Object.values(entries);
  return {
    ...(local ?? { tool: 'hotspare' as const, format: 1 as const, createdAt: new Date(now).toISOString() }),
    publishedAt: new Date(now).toISOString(),
    pages: list.filter((f) => f.kind === 'page').length,
    assets: list.filter((f) => f.kind === 'asset').length,
    bytes: list.reduce((sum, f) => sum + f.bytes, 0),
    files: entries,
  };
}

interface RemoteState {
  readonly listing: readonly StoredObject[];
  readonly manifest: Manifest | undefined;
  /** Keys a publish that did not finish was adding. */
  readonly pending: readonly string[] | undefined;
}

async function remoteState(port: SiteBucket, bucket: string): Promise<RemoteState> {
  const [listing, body, pendingBody] = await Promise.all([
    port.list(bucket),
    port.get(bucket, MANIFEST_FILE),
    port.get(bucket, PENDING_FILE),
  ]);
  return {
    listing,
    manifest: body === undefined ? undefined : parseManifest(Buffer.from(body).toString('utf8')),
    pending: pendingBody === undefined ? undefined : pendingKeys(pendingBody),
  };
}

/** The keys of a pending list; none when it does not read. */
export function pendingKeys(body: Uint8Array): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { tool?: unknown; adding?: unknown };
    return parsed.tool === 'hotspare' && Array.isArray(parsed.adding)
      ? parsed.adding.filter((k): k is string => typeof k === 'string')
      : [];
  } catch {
    return [];
  }
}

/** The pending list's body. */
export function pendingText(adding: readonly string[], now: number): string {
  return `${JSON.stringify({ tool: 'hotspare', startedAt: new Date(now).toISOString(), adding }, null, 2)}\n`;
}

/** Reads the folder and the bucket and says what a publish would upload and delete. Reads only. */
export async function planPublish(
  dir: string,
  port: SiteBucket,
  bucket: string,
  options: { readonly deleteUnknown: boolean; readonly now: number },
): Promise<PublishPlan> {
  const localManifest = await readManifestFile(dir);
  const [files, remote] = await Promise.all([readLocalFiles(dir, localManifest), remoteState(port, bucket)]);
  const sizes = new Map(remote.listing.map((o) => [o.key, o.size]));
  const changes: (LocalFile & { reason: 'new' | 'changed' })[] = [];
  for (const file of files) {
    const size = sizes.get(file.key);
    const published = remote.manifest?.files[file.key]?.sha256;
    if (size === undefined) changes.push({ ...file, reason: 'new' });
    else if (size !== file.bytes || published !== file.sha256) changes.push({ ...file, reason: 'changed' });
  }
  const rounds = await pageOrder(dir, changes);
  const uploads: Upload[] = changes.map((c) => ({ ...c, round: rounds.get(c.key) ?? 0 }));
  const manifest = publishedManifest(localManifest, files, options.now);
  const body = Buffer.from(manifestText(manifest));
  const manifestUpload: Upload = {
    key: MANIFEST_FILE,
    bytes: body.length,
    sha256: sha256(body),
    contentType: 'application/json; charset=utf-8',
    cacheControl: cacheControlFor(MANIFEST_FILE, ''),
    phase: 'manifest',
    reason: 'manifest',
    round: 0,
    read: () => Promise.resolve(body),
  };
  uploads.push(manifestUpload);
  uploads.sort(
    (a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.round - b.round || a.key.localeCompare(b.key),
  );
  const local = new Set([...files.map((f) => f.key), MANIFEST_FILE, PENDING_FILE]);
  const ours = new Set([...Object.keys(remote.manifest?.files ?? {}), ...(remote.pending ?? [])]);
  const stale = remote.listing.map((o) => o.key).filter((k) => !local.has(k));
  const deletes = stale.filter((k) => ours.has(k) || options.deleteUnknown);
  const keptUnknown = stale.filter((k) => !ours.has(k) && !options.deleteUnknown);
  const adding = changes.filter((c) => c.reason === 'new').map((c) => c.key);
  return {
    bucket,
    uploads,
    deletes,
    keptUnknown,
    unchanged: files.length - changes.length,
    manifest,
    adding,
    pendingFound: remote.pending !== undefined,
  };
}
