import { isUtf8 } from 'node:buffer';

/**
 * Text in the charset it was written in. Pages and stylesheets are decoded with the charset the
 * server declared, else a byte-order mark, else what the document itself declares (`<meta charset>`,
 * `@charset`), else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers assume).
 * Edits are spliced into the original bytes, so every byte that is not rewritten stays identical and
 * a windows-1252 page stays windows-1252. Inserted text is written as UTF-8 into UTF-8 text; into any
 * other charset it must be ASCII (callers escape the rest as character references).
 */

/** A charset label TextDecoder knows, normalised (`latin1` -> `windows-1252`), or undefined. */
export function knownCharset(label: string | undefined): string | undefined {
  if (label === undefined || label.trim() === '') return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** `<meta charset=X>` or `<meta http-equiv=Content-Type content="...; charset=X">` in the first 1024 bytes. */
function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const found = /charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(tag)?.[1];
    const known = knownCharset(found);
    // A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard reads it as UTF-8).
    if (known !== undefined) return known.startsWith('utf-16') ? 'utf-8' : known;
  }
  return undefined;
}

/** `@charset "X";` at the very start of a stylesheet. */
function cssCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 128)).toString('latin1');
  return knownCharset(/^@charset "([^"]+)";/.exec(head)?.[1]);
}

/** The charset to read `bytes` with (see the module comment). `fallback` is a referring page's charset. */
export function sniffCharset(bytes: Uint8Array, kind: 'html' | 'css', declared?: string, fallback?: string): string {
  const known =
    bomCharset(bytes) ??
    knownCharset(declared) ??
    (kind === 'html' ? metaCharset(bytes) : cssCharset(bytes)) ??
    knownCharset(fallback);
  if (known !== undefined) return known;
  return isUtf8(bytes) ? 'utf-8' : 'windows-1252';
}

/** Text decoded from bytes, with the way back from a position in the text to a byte offset. */
export interface DecodedText {
  readonly text: string;
  readonly charset: string;
  /** The byte offset where the text's UTF-16 position `index` starts (index may be text.length). */
  byteAt(index: number): number;
}

const SINGLE_BYTE = /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|x-mac-cyrillic|ibm866|windows-874)$/;

/** Decodes `bytes` in `charset` (a BOM is skipped, not decoded). */
export function decodeText(bytes: Uint8Array, charset: string): DecodedText {
  const bom = bomCharset(bytes) === charset ? (charset === 'utf-8' ? 3 : 2) : 0;
  const body = bytes.subarray(bom);
  const text = new TextDecoder(charset, { ignoreBOM: true }).decode(body);
  if (SINGLE_BYTE.test(charset)) return { text, charset, byteAt: (i) => bom + i };
  if (charset === 'utf-8' && isUtf8(body)) return { text, charset, byteAt: utf8Offsets(text, bom) };
  return { text, charset, byteAt: streamedOffsets(body, charset, bom) };
}

/** Byte offsets of valid UTF-8, computed once (a table of every position would cost 8 bytes a character). */
function utf8Offsets(text: string, bom: number): (index: number) => number {
  let at = 0;
  let bytes = bom;
  return (index) => {
    if (index < at) {
      at = 0;
      bytes = bom;
    }
    for (; at < index; at++) {
      const c = text.charCodeAt(at);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        bytes += 4;
        at++;
      } else bytes += 3;
    }
    return bytes;
  };
}

/** Offsets of any other charset: decode byte by byte and note where each character starts. */
function streamedOffsets(body: Uint8Array, charset: string, bom: number): (index: number) => number {
  const decoder = new TextDecoder(charset, { ignoreBOM: true });
  const starts: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const out = decoder.decode(body.subarray(i, i + 1), { stream: true });
    for (let k = 0; k < out.length; k++) starts.push(i);
  }
  const tail = decoder.decode();
  for (let k = 0; k < tail.length; k++) starts.push(body.length - 1);
  return (index) => bom + (index >= starts.length ? body.length : (starts[index] ?? body.length));
}

/** One replacement of `text.slice(start, end)` by `insert` (ASCII). */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

/** The original bytes with the edits applied (edits may come in any order; overlapping ones are dropped). */
export function spliceBytes(bytes: Uint8Array, decoded: DecodedText, edits: readonly Edit[]): Buffer {
  if (edits.length === 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  let textAt = 0;
  for (const edit of sorted) {
    if (edit.start < textAt) continue;
    const from = decoded.byteAt(edit.start);
    parts.push(
      Buffer.from(bytes.subarray(at, from)),
      Buffer.from(edit.insert, decoded.charset === 'utf-8' ? 'utf8' : 'latin1'),
    );
    at = decoded.byteAt(edit.end);
    textAt = edit.end;
  }
  parts.push(Buffer.from(bytes.subarray(at)));
  return Buffer.concat(parts);
}

/** `text` with every non-ASCII character as an HTML character reference, for insertion into any charset. */
export function asciiHtml(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0) ?? 63};`);
}
