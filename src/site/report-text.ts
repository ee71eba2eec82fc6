import type { CheckReport } from './check.js';
import { CUT_TEXT, type CutReason } from './limits.js';
import type { Manifest } from './manifest.js';
import type { RefreshReport } from './refresh.js';

/**
 * The lines the site commands print about a snapshot, a check and a refresh, apart from the CLI so
 * that every command words the same facts the same way.
 */

/** What limits left out of a snapshot, and what its form policy did. */
export function snapshotNotes(m: Manifest): string[] {
  const lines: string[] = [];
  const cut = Object.entries(m.cut ?? {}) as [CutReason, { count: number; examples: string[] }][];
  if (cut.length > 0) {
    lines.push(`Left out by the crawl limits (links to them stay on the origin):`);
    for (const [reason, c] of cut)
      lines.push(`  ${c.count} URL(s): ${CUT_TEXT[reason]}, e.g. ${c.examples.slice(0, 2).join(', ')}`);
  }
  const forms = m.forms ?? [];
  if (forms.length > 0) {
    const by = (p: string): number => forms.filter((f) => f.policy === p).length;
    lines.push(
      `Forms: ${forms.length} (${by('notice')} replaced by a notice, ${by('service')} to a form service, ${by('origin')} left pointing at the origin).`,
    );
  }
  if ((m.removedOriginLinks ?? 0) > 0)
    lines.push(
      `Removed ${m.removedOriginLinks} <link>(s) to the origin's APIs (oEmbed, wp-json, EditURI, pingback): they fail while it is down.`,
    );
  return lines;
}

/** The check's findings: broken links, forms, origin dependence, and a verdict. */
export function checkLines(report: CheckReport): string[] {
  const internal = report.links.filter((l) => l.internal).length;
  const external =
    report.external.checked > 0
      ? `${report.external.checked} external URL(s) checked`
      : `${report.external.skipped} external URL(s) not checked (--external)`;
  const lines = [`Checked ${report.pages} page(s) and ${internal} internal link(s); ${external}.`];
  for (const b of report.broken)
    lines.push(
      `BROKEN  page ${b.page}  link ${b.link}  -> ${b.target}  ${b.status ?? b.error ?? '?'}${b.status !== undefined && b.error !== undefined ? ` ${b.error}` : ''}`,
    );
  // The same form on many pages (a search box in the header) is one line.
  const groups = new Map<string, { f: CheckReport['forms'][number]; pages: string[] }>();
  for (const f of report.forms) {
    if (f.severity === 'ok' && f.policy === 'notice') continue;
    const key = JSON.stringify([f.severity, f.form, f.method, f.action, f.reason]);
    const g = groups.get(key) ?? { f, pages: [] };
    g.pages.push(f.page);
    groups.set(key, g);
  }
  for (const { f, pages } of groups.values()) {
    const tag = f.severity === 'problem' ? 'FORM   ' : f.severity === 'warning' ? 'WARN   ' : 'form   ';
    const where =
      pages.length === 1
        ? `page ${f.page}`
        : `${pages.length} pages (${pages.slice(0, 3).join(', ')}${pages.length > 3 ? ', …' : ''})`;
    lines.push(`${tag} ${where}  form ${f.form}  ${f.method.toUpperCase()} ${f.action}: ${f.reason}`);
  }
  const closed = report.forms.filter((f) => f.policy === 'notice').length;
  if (closed > 0) lines.push(`form    ${closed} form(s) closed: replaced by a notice (form policy notice).`);
  if (report.origin.length > 0) {
    const total = report.origin.reduce((n, g) => n + g.count, 0);
    lines.push(`The copy still refers to the origin ${total} time(s):`);
    for (const g of report.origin)
      lines.push(
        `ORIGIN  ${String(g.count).padStart(5)}× ${g.what} (${g.urls} URL(s))${g.loads ? ' — loaded with the page: fails while the origin is down' : ''}  e.g. ${g.example}`,
      );
  }
  const problems = report.forms.filter((f) => f.severity === 'problem').length;
  lines.push(
    report.ok
      ? 'OK: every link and asset resolves; no form posts where it cannot.'
      : `${report.broken.length} broken link(s), ${problems} form(s) that will fail.`,
  );
  return lines;
}

/** The last line of `site refresh`: what happened, in one line, for a log. */
export function refreshSummary(report: RefreshReport, seconds: number): string {
  const m = report.snapshot.manifest;
  const copy = `${m.pages} pages, ${m.assets} assets`;
  if (report.refused)
    return `hotspare site refresh: NOT published (the check failed; the copy published before stays): ${copy} copied in ${seconds.toFixed(1)} s.`;
  const p = report.publish;
  if (p === undefined) return `hotspare site refresh: checked ${copy} in ${seconds.toFixed(1)} s; nothing published.`;
  const uploads = p.plan.uploads.length;
  const verb = p.dryRun ? 'would publish' : 'published';
  return `hotspare site refresh: ${verb} ${copy} to s3://${p.plan.bucket} (${uploads} upload(s), ${p.plan.deletes.length} delete(s), ${p.plan.keptUnknown.length} foreign object(s) kept) in ${seconds.toFixed(1)} s.`;
}
