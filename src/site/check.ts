import pLimit from 'p-limit';
import { decodeText, sniffCharset } from './charset.js';
import { cssReferences } from './css.js';
import type { Fetcher } from './fetcher.js';
import { documentBase, forms, references, scanHtml, type FormInfo } from './html.js';
import { OriginRefs, type OriginGroup } from './origin-refs.js';
import { siteOrigins } from './same-site.js';
import { resolveLink } from './urls.js';

/** What to check. */
export interface CheckOptions {
  /** Where the site starts: a snapshot folder's made-up origin (`DIR_ORIGIN/`) or a URL. */
  readonly start: URL;
  readonly fetcher: Fetcher;
  /** The live origin the site was copied from: forms and references to it are reported. */
  readonly origin?: string | undefined;
  /** Check links to other origins too (off by default), at most `limit` distinct URLs. */
  readonly external?: { readonly fetcher: Fetcher; readonly limit: number } | undefined;
  readonly maxPages?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly onProgress?:
    | ((progress: { readonly checked: number; readonly queued: number; readonly broken: number }) => void)
    | undefined;
}

/** One link from one page (or stylesheet) and how its target answered. */
export interface LinkResult {
  /** The page or stylesheet the link is on, as a path (`/about/`), or a URL for other origins. */
  readonly page: string;
  /** The link as written. */
  readonly link: string;
  /** The target, as a path on this site or an absolute URL elsewhere. */
  readonly target: string;
  readonly internal: boolean;
  readonly status?: number | undefined;
  readonly error?: string | undefined;
}

/**
 * One form of the copy and what it does there. `problem`: it cannot work and the check fails (a POST
 * to the static copy itself, or to the origin with no policy saying so); `warning`: it works only
 * while the origin is up (the policy `origin`, a GET search to the origin); `ok`: closed with a
 * notice, or submitting to another site (a hosted form service).
 */
export interface FormReport {
  readonly page: string;
  /** `#id`, `[name=...]` or `form N`. */
  readonly form: string;
  readonly method: string;
  readonly action: string;
  /** What the snapshot's form policy made of it; `none` when the copy does not say. */
  readonly policy: 'origin' | 'notice' | 'service' | 'none';
  readonly severity: 'ok' | 'warning' | 'problem';
  readonly reason: string;
}

export interface CheckReport {
  readonly pages: number;
  /** Every link checked, internal and (with `external`) external. */
  readonly links: readonly LinkResult[];
  readonly broken: readonly LinkResult[];
  /** Every form, with the policy applied. */
  readonly forms: readonly FormReport[];
  /** How the copy still depends on the origin, grouped (empty without `origin`). */
  readonly origin: readonly OriginGroup[];
  /** Distinct external URLs checked and left unchecked. */
  readonly external: { readonly checked: number; readonly skipped: number };
  /** No broken link and no form problem. */
  readonly ok: boolean;
}

export const CHECK_DEFAULTS = { maxPages: 5000, concurrency: 8, externalLimit: 100 } as const;
const MAX_REDIRECTS = 5;

interface Answer {
  readonly status?: number | undefined;
  readonly error?: string | undefined;
}

/**
 * A link checker for a static site: crawls every page of `start`'s origin, checks every link and
 * asset on them (and in their stylesheets; assets with HEAD), follows redirects on the site,
 * reports every form with what it does in the copy, and every reference to the live origin.
 * Never throws for what it finds; a broken link is a result.
 */
export async function checkSite(options: CheckOptions): Promise<CheckReport> {
  const run = new CheckRun(options);
  void run.page(options.start, undefined, options.start.pathname, 'page');
  await run.drain();
  const external = await run.checkExternal();
  const links = await run.results();
  const broken = links.filter((l) => !isOk(l));
  const problems = run.forms.filter((f) => f.severity === 'problem');
  return {
    pages: run.pagesSeen,
    links,
    broken,
    forms: run.forms,
    origin: run.originRefs?.groups() ?? [],
    external,
    ok: broken.length === 0 && problems.length === 0,
  };
}

function isOk(answer: Answer): boolean {
  return answer.status !== undefined && answer.status >= 200 && answer.status < 300;
}

/** A target's label: its path on the checked site, its URL elsewhere. */
function labelOf(url: URL, origin: string): string {
  return url.origin === origin ? `${url.pathname}${url.search}` : url.href;
}

class CheckRun {
  pagesSeen = 0;
  readonly forms: FormReport[] = [];
  readonly originRefs: OriginRefs | undefined;
  readonly #answers = new Map<string, Promise<Answer>>();
  readonly #external = new Map<string, Answer | undefined>();
  readonly #links: { page: string; link: string; url: URL }[] = [];
  readonly #limit;
  readonly #origin: string;
  readonly #liveOrigins: readonly string[];
  readonly #work = new Set<Promise<unknown>>();
  #done = 0;
  #broken = 0;

  constructor(private readonly options: CheckOptions) {
    this.#limit = pLimit(options.concurrency ?? CHECK_DEFAULTS.concurrency);
    this.#origin = options.start.origin;
    this.#liveOrigins = options.origin === undefined ? [] : siteOrigins(new URL(options.origin));
    this.originRefs = options.origin === undefined ? undefined : new OriginRefs(options.origin);
  }

  /** Fetches an internal URL once, following redirects on the site; pages and stylesheets are crawled, other assets only asked about. */
  page(url: URL, from: string | undefined, link: string, role: 'page' | 'asset'): Promise<Answer> {
    if (from !== undefined) this.#links.push({ page: from, link, url });
    const known = this.#answers.get(url.href);
    if (known !== undefined) return known;
    const answer = this.#track(this.#fetch(url, 0, role));
    this.#answers.set(url.href, answer);
    return answer;
  }

  /** Work in flight that `drain` waits for: pages link in cycles, so nobody awaits their children. */
  #track<T>(work: Promise<T>): Promise<T> {
    this.#work.add(work);
    void work.finally(() => this.#work.delete(work)).catch(() => undefined);
    return work;
  }

  /** Resolves when every fetch and crawl started so far, and every one they started, is done. */
  async drain(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  async #fetch(url: URL, hops: number, role: 'page' | 'asset'): Promise<Answer> {
    let res;
    try {
      res = await this.#limit(async () => {
        // An asset is only asked about (HEAD), unless it is a stylesheet, whose references count too.
        const head =
          role === 'asset' && !/\.css$/i.test(url.pathname)
            ? await this.options.fetcher(url, { method: 'HEAD' })
            : undefined;
        const usable =
          head !== undefined && head.status !== 405 && head.status !== 501 && head.contentType !== 'text/css';
        return usable ? head : this.options.fetcher(url);
      });
    } catch (error) {
      return this.#progress({ error: error instanceof Error ? error.message : String(error) });
    }
    if (res.status >= 300 && res.status < 400 && res.location !== undefined) {
      const next = resolveLink(res.location, url);
      if (next === undefined || hops >= MAX_REDIRECTS)
        return this.#progress({ status: res.status, error: 'redirect loop or bad Location' });
      if (next.origin !== this.#origin) return this.#progress({ status: 200 }); // leaves the site: not ours to judge
      return this.#fetch(next, hops + 1, role);
    }
    if (res.status >= 200 && res.status < 300)
      void this.#track(this.#crawl(url, res.contentType, res.charset, res.body));
    return this.#progress({ status: res.status });
  }

  #progress(answer: Answer): Answer {
    this.#done++;
    if (!isOk(answer)) this.#broken++;
    this.options.onProgress?.({ checked: this.#done, queued: this.#answers.size, broken: this.#broken });
    return answer;
  }

  async #crawl(url: URL, contentType: string, charset: string | undefined, body: Buffer): Promise<void> {
    const here = labelOf(url, this.#origin);
    if (contentType === 'text/css') {
      for (const raw of cssReferences(decodeText(body, sniffCharset(body, 'css', charset)).text))
        this.#reference(raw, url, here, 'asset');
      return;
    }
    if (contentType !== 'text/html' || this.pagesSeen >= (this.options.maxPages ?? CHECK_DEFAULTS.maxPages)) return;
    this.pagesSeen++;
    const scan = scanHtml(decodeText(body, sniffCharset(body, 'html', charset)).text, {
      allTags: this.originRefs !== undefined,
    });
    const base = documentBase(scan, url);
    for (const form of forms(scan)) this.forms.push(this.#judgeForm(here, form, base));
    this.originRefs?.addPage(scan, base);
    for (const ref of references(scan)) if (ref.role !== 'form') this.#reference(ref.raw, base, here, ref.role);
  }

  #reference(raw: string, base: URL, page: string, role: 'page' | 'asset'): void {
    const url = resolveLink(raw, base);
    if (url === undefined) return;
    if (url.origin === this.#origin) {
      void this.page(url, page, raw, role);
      return;
    }
    this.#links.push({ page, link: raw, url });
    if (!this.#external.has(url.href)) this.#external.set(url.href, undefined);
  }

  #judgeForm(page: string, form: FormInfo, base: URL): FormReport {
    const target = form.policy === 'notice' ? undefined : (resolveLink(form.action, base) ?? base);
    const action = target?.href ?? form.action;
    const common = {
      page,
      form: form.label,
      method: form.method,
      action: form.action === '' && target !== undefined ? action : form.action || '(none: the page itself)',
    };
    const policy =
      form.policy === 'origin' || form.policy === 'notice' || form.policy === 'service' ? form.policy : 'none';
    if (policy === 'notice')
      return { ...common, action: form.action, policy, severity: 'ok', reason: 'closed: replaced by a notice' };
    const toOrigin = target !== undefined && this.#liveOrigins.includes(target.origin);
    const toSelf = target !== undefined && target.origin === this.#origin;
    if (toSelf && form.method === 'post')
      return {
        ...common,
        policy,
        severity: 'problem',
        reason: 'posts to this static site, which cannot take a POST (S3 website hosting answers 405)',
      };
    if (toOrigin && policy === 'origin')
      return {
        ...common,
        policy,
        severity: 'warning',
        reason: `left pointing at the live origin (policy origin): it fails while the origin is down`,
      };
    if (toOrigin && form.method === 'post')
      return {
        ...common,
        policy,
        severity: 'problem',
        reason: `posts to the live origin ${new URL(action).origin}: it fails while the origin is down (set a form policy: notice or service)`,
      };
    if (toOrigin)
      return {
        ...common,
        policy,
        severity: 'warning',
        reason: 'sends visitors to the live origin: it fails while the origin is down',
      };
    if (toSelf) return { ...common, policy, severity: 'ok', reason: 'a GET to the copy itself' };
    return {
      ...common,
      policy,
      severity: 'ok',
      reason: `submits to another site${policy === 'service' ? ' (a hosted form service)' : ''}`,
    };
  }

  /** Checks distinct external URLs (HEAD, then GET where HEAD is refused), at most `limit`. */
  async checkExternal(): Promise<{ checked: number; skipped: number }> {
    const external = this.options.external;
    const urls = [...this.#external.keys()];
    if (external === undefined) return { checked: 0, skipped: urls.length };
    const chosen = urls.slice(0, external.limit);
    await Promise.all(
      chosen.map((href) =>
        this.#limit(() => headThenGet(external.fetcher, new URL(href))).then((a) => void this.#external.set(href, a)),
      ),
    );
    return { checked: chosen.length, skipped: urls.length - chosen.length };
  }

  /** Every recorded link with its target's answer; unchecked external links are left out. Call after `drain`. */
  async results(): Promise<LinkResult[]> {
    const out: LinkResult[] = [];
    for (const { page, link, url } of this.#links) {
      const internal = url.origin === this.#origin;
      const answer = internal ? await this.#answers.get(url.href) : this.#external.get(url.href);
      if (answer === undefined) continue;
      out.push({ page, link, target: labelOf(url, this.#origin), internal, ...answer });
    }
    return out;
  }
}

async function headThenGet(fetcher: Fetcher, url: URL): Promise<Answer> {
  try {
    const head = await fetcher(url, { method: 'HEAD' });
    if (head.status !== 405 && head.status !== 501 && head.status !== 403) return { status: head.status };
    return { status: (await fetcher(url)).status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
