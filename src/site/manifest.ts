import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { UsageError } from '../domain/errors.js';
import { MANIFEST_FILE } from './urls.js';

/**
 * The manifest: a JSON file at the root of every snapshot (and so of the published site) saying
 * what it holds, where it came from and when it was made. The dashboard reads `createdAt` from the
 * published copy to show the snapshot's age; `publish` compares `files[*].sha256` to upload only
 * what changed.
 */

const fileEntry = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  kind: z.enum(['page', 'asset']),
  contentType: z.string().optional(),
  /** The URL it was fetched from (absent for files added by hand). */
  url: z.string().optional(),
  /** Its key carries a hash of its content: it never changes, and may be cached for good. */
  immutable: z.boolean().optional(),
});

const cutCount = z.object({ count: z.number().int().nonnegative(), examples: z.array(z.string()) });

/** What the snapshot made of one form (see `forms.ts`). */
const formEntry = z.object({
  page: z.string(),
  form: z.string(),
  method: z.string(),
  action: z.string(),
  policy: z.enum(['origin', 'notice', 'service']),
  /** Which part of the runbook's form policy decided. */
  source: z.string(),
  serviceUrl: z.string().optional(),
});

const fetchError = z.object({
  url: z.string(),
  status: z.number().int().optional(),
  error: z.string().optional(),
  /** The page that links to it. */
  from: z.string().optional(),
});

export const manifestSchema = z.object({
  tool: z.literal('hotspare'),
  format: z.literal(1),
  /** The live site the snapshot was taken from (the crawl's origin and start URL). */
  source: z.string().optional(),
  /** ISO 8601, when the snapshot was made. */
  createdAt: z.string(),
  /** ISO 8601, set in the published copy by `publish`. */
  publishedAt: z.string().optional(),
  tookMs: z.number().nonnegative().optional(),
  pages: z.number().int().nonnegative(),
  assets: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  banner: z.string().optional(),
  dynamicPrefixes: z.array(z.string()).optional(),
  /** By key (the path inside the snapshot); the manifest itself is not listed. */
  files: z.record(z.string(), fileEntry),
  /** What could not be fetched. */
  errors: z.array(fetchError).optional(),
  /** What a crawl limit left out, by limit (`pages`, `assets`, `depth`, `hops`, `bytes`, `time`). */
  cut: z.partialRecord(z.enum(['pages', 'assets', 'depth', 'hops', 'bytes', 'time']), cutCount).optional(),
  /** Every form of every page, with the policy applied. */
  forms: z.array(formEntry).optional(),
  /** `<link>`s to the origin's APIs (oEmbed, wp-json, EditURI, pingback) removed from the pages. */
  removedOriginLinks: z.number().int().nonnegative().optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileEntry>;
export type FetchError = z.infer<typeof fetchError>;
export type ManifestForm = z.infer<typeof formEntry>;

/** Hex SHA-256 of a file's bytes. */
export function sha256(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Parse a manifest's JSON; undefined when it is not a hotspare manifest. */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest as written to disk and uploaded: stable key order, two-space indent. */
export function manifestText(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ ...manifest, files }, null, 2)}\n`;
}

/** The manifest of the snapshot in `dir`, or undefined when there is none. Throws a UsageError for a corrupt one. */
export async function readManifestFile(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const manifest = parseManifest(text);
  if (manifest === undefined) {
    throw new UsageError(`${join(dir, MANIFEST_FILE)} is not a hotspare manifest.`, {
      code: 'BadManifest',
      nextSteps: 'Take the snapshot again with `hotspare site snapshot`, or remove the file.',
    });
  }
  return manifest;
}

/** Hours between the manifest's `createdAt` and `now` (epoch ms); undefined when the date does not parse. */
export function ageHours(manifest: Pick<Manifest, 'createdAt'>, now: number): number | undefined {
  const made = Date.parse(manifest.createdAt);
  return Number.isNaN(made) ? undefined : Math.max(0, (now - made) / 3_600_000);
}

/** The manifest a bucket holds (the last publish's), or undefined when there is none (or it is not one). */
export async function readBucketManifest(
  port: { get(bucket: string, key: string): Promise<Uint8Array | undefined> },
  bucket: string,
): Promise<Manifest | undefined> {
  const body = await port.get(bucket, 'hotspare-manifest.json');
  return body === undefined ? undefined : parseManifest(Buffer.from(body).toString('utf8'));
}
