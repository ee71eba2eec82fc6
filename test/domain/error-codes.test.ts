import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../../src/domain/error-codes.js';
import type { ErrorKind } from '../../src/domain/errors.js';
import { hotspare, requireBuiltCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/engine.js';

/**
 * The error codes are one closed list (`src/domain/error-codes.ts`), published in `--json` and
 * listed in docs/error-codes.md. The type checker refuses a code outside the list where an error is
 * built; this test reads every place in src/ an error is built, so a cast or an `any` cannot slip
 * one past it, checks each code against the list and the error's kind, and keeps the list, the
 * code and the document the same.
 */

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const CLASS_KIND: Readonly<Record<string, ErrorKind>> = {
  UsageError: 'usage',
  ExternalError: 'external',
  RefusedError: 'refused',
  BugError: 'bug',
};

interface Site {
  readonly where: string;
  /** The error's kind, when the place says it (the class built, or a record's `kind`). */
  readonly kind: ErrorKind | undefined;
  /** The code's literal text, or the expression when it is not a string literal. */
  readonly code: string;
  readonly literal: boolean;
}

function property(node: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of node.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === name) return p.initializer;
  return undefined;
}

/** The class an object literal is the options of: `new XError(message, {…})`, or `super(message, {…})` in `class … extends XError`. */
function errorClassOf(literal: ts.ObjectLiteralExpression): string | undefined {
  const call = literal.parent;
  if (!ts.isNewExpression(call) && !ts.isCallExpression(call)) return undefined;
  if (ts.isNewExpression(call)) {
    const name = call.expression.getText();
    return name.endsWith('Error') ? name : undefined;
  }
  if (call.expression.kind !== ts.SyntaxKind.SuperKeyword) return undefined;
  let node: ts.Node | undefined = call;
  while (node !== undefined && !ts.isClassDeclaration(node)) node = node.parent;
  const base = node?.heritageClauses?.[0]?.types[0]?.expression.getText();
  return base?.endsWith('Error') ? base : undefined;
}

/** Every place in src/ that gives an error its code: an error's options, or an error record written by hand. */
function errorCodeSites(): Site[] {
  const sites: Site[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file.endsWith('error-codes.ts')) continue;
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const code = property(node, 'code');
        const cls = errorClassOf(node);
        const kindText = property(node, 'kind');
        const recordKind =
          kindText !== undefined &&
          ts.isStringLiteral(kindText) &&
          ['usage', 'external', 'refused', 'bug'].includes(kindText.text)
            ? (kindText.text as ErrorKind)
            : undefined;
        if (code !== undefined && (cls !== undefined || recordKind !== undefined)) {
          const where = `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(code.getStart()).line + 1}`;
          const kind = cls !== undefined ? (CLASS_KIND[cls] ?? subclassKind(cls)) : recordKind;
          const literal = ts.isStringLiteral(code) || ts.isNoSubstitutionTemplateLiteral(code);
          sites.push({ where, kind, code: literal ? code.text : code.getText(), literal });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

/** Subclasses of the four error classes in src/ (e.g. the runbook's `RunbookError extends UsageError`). */
function subclassKind(name: string): ErrorKind | undefined {
  return SUBCLASSES.get(name);
}

const SUBCLASSES: Map<string, ErrorKind> = (() => {
  const found = new Map<string, ErrorKind>();
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(
      /class (\w+) extends (UsageError|ExternalError|RefusedError|BugError)\b/g,
    ))
      found.set(m[1]!, CLASS_KIND[m[2]!]!);
  }
  return found;
})();

/**
 * The codes not written as a literal where the error is built, each read from a table whose type
 * is checked against the list: every expression here was read and is typed `ErrorCode`.
 */
const COMPUTED: ReadonlySet<string> = new Set(['NOT_FOUND_CODES[kind]', 'error.code', 'options.code']);

describe('error codes: one closed list', () => {
  const sites = errorCodeSites();

  it('finds the places errors are built (the scan works)', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(sites).toContainEqual(expect.objectContaining({ kind: 'external', code: 'Throttling', literal: true }));
    expect(sites).toContainEqual(expect.objectContaining({ kind: 'usage', code: 'InvalidRunbook', literal: true }));
  });

  it('every code given to an error in src/ is in the list, with the kind the list says', () => {
    const wrong = sites
      .filter((s) => s.literal)
      .filter((s) => !isErrorCode(s.code) || (s.kind !== undefined && ERROR_CODES[s.code].kind !== s.kind))
      .map((s) => `${s.where}: ${s.kind ?? '?'} ${s.code}`);
    expect(wrong).toEqual([]);
  });

  it('a code that is not a literal comes from a typed table', () => {
    expect(sites.filter((s) => !s.literal && !COMPUTED.has(s.code)).map((s) => `${s.where}: ${s.code}`)).toEqual([]);
  });

  it('every code in the list is used somewhere in src/ (no code nobody can see)', () => {
    const text = sourceFiles(SRC)
      .filter((f) => !f.endsWith('error-codes.ts'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('docs/error-codes.md lists exactly the codes, each with its kind and meaning', () => {
    const doc = readFileSync(join(ROOT, 'docs/error-codes.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \| (\w+) \| (.*) \|$/gm)].map((m) => ({
      code: m[1]!,
      kind: m[2]!,
      meaning: m[3]!.replaceAll('\\|', '|'),
    }));
    expect(rows).toEqual(Object.entries(ERROR_CODES).map(([code, { kind, meaning }]) => ({ code, kind, meaning })));
  });

  it('the README links the list where it documents --json', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const json = readme.slice(readme.indexOf('**`--json`**'));
    expect(json.slice(0, json.indexOf('\n\n'))).toContain('(docs/error-codes.md)');
  });
});

describe('error codes through the built CLI', () => {
  it('--json errors carry a code of the list (a bad flag, a missing runbook, an unknown run)', () => {
    requireBuiltCli();
    const dir = tempDir();
    const runs = [
      hotspare('plan', 'runbooks/sandbox.yaml', '--no-such-flag', '--json'),
      hotspare('plan', join(dir, 'missing.yaml'), '--json'),
      hotspare('timeline', 'no-such-run', '--journal-dir', join(dir, 'journal'), '--json'),
    ];
    for (const r of runs) {
      expect(r.status, r.stdout + r.stderr).not.toBe(0);
      const body = JSON.parse(r.stdout) as { error: { code: string; kind: string } };
      expect(isErrorCode(body.error.code), body.error.code).toBe(true);
      expect(body.error.kind).toBe(ERROR_CODES[body.error.code as ErrorCode].kind);
    }
  });
});

describe('an AWS error hotspare has no code for', () => {
  it("is AwsError in --json, with AWS's own code beside it", async () => {
    const { ExternalError } = await import('../../src/domain/errors.js');
    const { reportError } = await import('../../src/cli/output/report-error.js');
    const out: string[] = [];
    const error = new ExternalError('AWS CreateRule failed: Priority 1 is in use (PriorityInUse)', {
      code: 'AwsError',
      awsCode: 'PriorityInUse',
      nextSteps: 'Read the AWS message above.',
    });
    reportError(
      error,
      { json: true, debug: false, stateDir: join(tempDir(), 's'), argv: [], now: 0 },
      (l) => out.push(l),
      () => undefined,
    );
    expect(JSON.parse(out[0]!)).toMatchObject({
      error: { code: 'AwsError', awsCode: 'PriorityInUse', kind: 'external' },
      exitCode: 1,
    });
  });
});
