import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Every file under `dir`, relative to the repository root. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative('.', path)];
  });
}

/** What a source file compiles to, as a case-insensitive filesystem (macOS, Windows) sees it. */
function outputKey(file: string): string {
  return file.replace(/\.(tsx?|mts|cts)$/, '.js').toLowerCase();
}

describe('the build on a case-insensitive filesystem', () => {
  it('has no two sources under src/ that compile to the same dist/ file but for case', () => {
    const byKey = new Map<string, string[]>();
    for (const file of filesUnder('src')) byKey.set(outputKey(file), [...(byKey.get(outputKey(file)) ?? []), file]);
    const clashes = [...byKey.values()].filter((files) => files.length > 1);
    expect(clashes).toEqual([]);
  });

  it('compiles with a host that does not tell file names apart by case (no TS5056, no missing exports)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      'tsconfig.build.json',
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    );
    expect(config).toBeDefined();
    const options = { ...config!.options, noEmit: false, outDir: 'dist-case-check' };
    const host = ts.createCompilerHost(options);
    const written: string[] = [];
    const insensitive: ts.CompilerHost = {
      ...host,
      useCaseSensitiveFileNames: () => false,
      getCanonicalFileName: (name) => name.toLowerCase(),
      // Nothing reaches the disk: the check is about what would collide.
      writeFile: (name) => void written.push(name),
    };
    const program = ts.createProgram({ rootNames: config!.fileNames, options, host: insensitive });
    const emit = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emit.diagnostics].map(
      (d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
    expect(diagnostics).toEqual([]);
    expect(written.length).toBeGreaterThan(0);
  }, 120_000);
});
