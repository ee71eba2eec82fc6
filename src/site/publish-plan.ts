import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SiteBucket, StoredObject } from '../ports/site.js';
import { manifestText, parseManifest, readManifestFile, sha256, type Manifest } from './manifest.js';
import { listKeys } from './output-dir.js';
import { contentTypeOf } from './snapshot.js';
import { MANIFEST_FILE } from './urls.js';

/**
 * What a publish will change, worked out from the snapshot folder and the bucket alone (reads
 * only). Files are compared by SHA-256 with the manifest published last time; a file that the
 * listing lacks or whose size differs is uploaded even when that manifest says otherwise.
 */

/** Upload order: assets first, then pages, then the home page, then the manifest. */
export type Phase = 'asset' | 'page' | 'index' | 'manifest';
export const PHASES: readonly Phase[] = ['asset', 'page', 'index', 'manifest'];

export interface LocalFile {
  readonly key: string;
  readonly body: Buffer;
  readonly sha256: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly phase: Phase;
}

export interface Upload extends LocalFile {
  readonly reason: 'new' | 'changed' | 'manifest';
}

export interface PublishPlan {
  readonly bucket: string;
  /** In upload order. */
  readonly uploads: readonly Upload[];
  /** Objects no longer in the snapshot, deleted after every upload. */
  readonly deletes: readonly string[];
  /** Objects not from a hotspare publish, left in place (first publish without --delete-unknown). */
  readonly keptUnknown: readonly string[];
  readonly unchanged: number;
  /** The manifest that will be uploaded (its files are what is on disk now). */
  readonly manifest: Manifest;
}

/** HTML is re-read often (a refresh shows within a minute); other files for an hour; the manifest never cached. */
export function cacheControlFor(key: string, contentType: string): string {
  if (key === MANIFEST_FILE) return 'no-cache, max-age=0';
  return contentType.startsWith('text/html') ? 'public, max-age=60' : 'public, max-age=3600';
}

function phaseOf(key: string, contentType: string): Phase {
  if (key === 'index.html') return 'index';
  return contentType.startsWith('text/html') ? 'page' : 'asset';
}

/** Every file of the snapshot folder (the manifest aside), hashed as it is on disk now. */
export async function readLocalFiles(dir: string, manifest: Manifest | undefined): Promise<LocalFile[]> {
  const keys = (await listKeys(dir)).filter((k) => k !== MANIFEST_FILE);
  return Promise.all(
    keys.map(async (key) => {
      const body = await readFile(join(dir, key));
      const contentType = contentTypeOf(key, manifest?.files[key]?.contentType);
      return { key, body, sha256: sha256(body), contentType, cacheControl: cacheControlFor(key, contentType), phase: phaseOf(key, contentType) };
    }),
  );
}

/** The manifest to publish: the snapshot's own, with its file list made true to the files on disk. */
export function publishedManifest(local: Manifest | undefined, files: readonly LocalFile[], now: number): Manifest {
  const entries = Object.fromEntries(
    files.map((f) => [f.key, { sha256: f.sha256, bytes: f.body.length, kind: f.phase === 'asset' ? ('asset' as const) : ('page' as const), contentType: f.contentType, url: local?.files[f.key]?.url }]),
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

async function remoteState(port: SiteBucket, bucket: string): Promise<{ listing: readonly StoredObject[]; manifest: Manifest | undefined }> {
  const [listing, body] = await Promise.all([port.list(bucket), port.get(bucket, MANIFEST_FILE)]);
  return { listing, manifest: body === undefined ? undefined : parseManifest(Buffer.from(body).toString('utf8')) };
}

/** Reads the folder and the bucket and says what a publish would upload and delete. Reads only. */
export async function planPublish(dir: string, port: SiteBucket, bucket: string, options: { readonly deleteUnknown: boolean; readonly now: number }): Promise<PublishPlan> {
  const localManifest = await readManifestFile(dir);
  const [files, remote] = await Promise.all([readLocalFiles(dir, localManifest), remoteState(port, bucket)]);
  const sizes = new Map(remote.listing.map((o) => [o.key, o.size]));
  const uploads: Upload[] = [];
  for (const file of files) {
    const size = sizes.get(file.key);
    const published = remote.manifest?.files[file.key]?.sha256;
    if (size === undefined) uploads.push({ ...file, reason: 'new' });
    else if (size !== file.body.length || published !== file.sha256) uploads.push({ ...file, reason: 'changed' });
  }
  const manifest = publishedManifest(localManifest, files, options.now);
  const body = Buffer.from(manifestText(manifest));
  uploads.push({ key: MANIFEST_FILE, body, sha256: sha256(body), contentType: 'application/json; charset=utf-8', cacheControl: cacheControlFor(MANIFEST_FILE, ''), phase: 'manifest', reason: 'manifest' });
  uploads.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.key.localeCompare(b.key));
  const local = new Set([...files.map((f) => f.key), MANIFEST_FILE]);
  const stale = remote.listing.map((o) => o.key).filter((k) => !local.has(k));
  const deleting = remote.manifest !== undefined || options.deleteUnknown;
  return { bucket, uploads, deletes: deleting ? stale : [], keptUnknown: deleting ? [] : stale, unchanged: files.length - (uploads.length - 1), manifest };
}
