import pLimit from 'p-limit';
import { cssReferences } from './css.js';
import type { Fetcher } from './fetcher.js';
import { documentBase, forms, parseHtml, references } from './html.js';
import { resolveLink } from './urls.js';

/** What to check. */
export interface CheckOptions {
  /** Where the site starts: a snapshot folder's made-up origin (`DIR_ORIGIN/`) or a URL. */
  readonly start: URL;
  readonly fetcher: Fetcher;
  /** The live origin the site was copied from; POST forms to it are reported. */
  readonly origin?: string | undefined;
  /** Check links to other origins too (off by default), at most `limit` distinct URLs. */
  readonly external?: { readonly fetcher: Fetcher; readonly limit: number } | undefined;
  readonly maxPages?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly onProgress?: ((progress: { readonly checked: number; readonly queued: number; readonly broken: number }) => void) | undefined;
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

/** A form that cannot work on the static copy. */
export interface FormProblem {
  readonly page: string;
  /** `#id`, `[name=...]` or `form N`. */
  readonly form: string;
  readonly action: string;
  readonly reason: string;
}

export interface CheckReport {
  readonly pages: number;
  /** Every link checked, internal and (with `external`) external. */
  readonly links: readonly LinkResult[];
  readonly broken: readonly LinkResult[];
  readonly forms: readonly FormProblem[];
  /** Distinct external URLs checked and left unchecked. */
  readonly external: { readonly checked: number; readonly skipped: number };
  /** No broken link and no form problem. */
  readonly ok: boolean;
}

export const CHECK_DEFAULTS = { maxPages: 1000, concurrency: 8, externalLimit: 100 } as const;
const MAX_REDIRECTS = 5;

interface Answer {
  readonly status?: number | undefined;
  readonly error?: string | undefined;
}

/**
 * A link checker for a static site: crawls every page of `start`'s origin, checks every link and
 * asset on them (and in their stylesheets), follows redirects on the site, and reports POST forms
 * whose action is the static site itself or the live origin (both fail while the origin is down).
 * Never throws for what it finds; a broken link is a result.
 */
export async function checkSite(options: CheckOptions): Promise<CheckReport> {
  const run = new CheckRun(options);
  void run.page(options.start, undefined, options.start.pathname);
  await run.drain();
  const external = await run.checkExternal();
  const links = await run.results();
  const broken = links.filter((l) => !isOk(l));
  return { pages: run.pagesSeen, links, broken, forms: run.formProblems, external, ok: broken.length === 0 && run.formProblems.length === 0 };
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
  readonly formProblems: FormProblem[] = [];
  readonly #answers = new Map<string, Promise<Answer>>();
  readonly #external = new Map<string, Answer | undefined>();
  readonly #links: { page: string; link: string; url: URL }[] = [];
  readonly #limit;
  readonly #origin: string;
  readonly #work = new Set<Promise<unknown>>();
  #done = 0;
  #broken = 0;

  constructor(private readonly options: CheckOptions) {
    this.#limit = pLimit(options.concurrency ?? CHECK_DEFAULTS.concurrency);
    this.#origin = options.start.origin;
  }

  /** Fetches an internal URL once, following redirects on the site; pages and stylesheets are crawled. */
  page(url: URL, from: string | undefined, link: string): Promise<Answer> {
    if (from !== undefined) this.#links.push({ page: from, link, url });
    const known = this.#answers.get(url.href);
    if (known !== undefined) return known;
    const answer = this.#track(this.#fetch(url, 0));
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

  async #fetch(url: URL, hops: number): Promise<Answer> {
    let res;
    try {
      res = await this.#limit(() => this.options.fetcher(url));
    } catch (error) {
      return this.#progress({ error: error instanceof Error ? error.message : String(error) });
    }
    if (res.status >= 300 && res.status < 400 && res.location !== undefined) {
      const next = resolveLink(res.location, url);
      if (next === undefined || hops >= MAX_REDIRECTS) return this.#progress({ status: res.status, error: 'redirect loop or bad Location' });
      if (next.origin !== this.#origin) return this.#progress({ status: 200 }); // leaves the site: not ours to judge
      return this.#fetch(next, hops + 1);
    }
    if (res.status >= 200 && res.status < 300) void this.#track(this.#crawl(url, res.contentType, res.body));
    return this.#progress({ status: res.status });
  }

  #progress(answer: Answer): Answer {
    this.#done++;
    if (!isOk(answer)) this.#broken++;
    this.options.onProgress?.({ checked: this.#done, queued: this.#answers.size, broken: this.#broken });
    return answer;
  }

  async #crawl(url: URL, contentType: string, body: Buffer): Promise<void> {
    const here = labelOf(url, this.#origin);
    if (contentType === 'text/css') {
      for (const raw of cssReferences(body.toString('utf8'))) this.#reference(raw, url, here);
      return;
    }
    if (contentType !== 'text/html' || this.pagesSeen >= (this.options.maxPages ?? CHECK_DEFAULTS.maxPages)) return;
    this.pagesSeen++;
    const doc = parseHtml(body.toString('utf8'));
    const base = documentBase(doc, url);
    for (const form of forms(doc)) this.#checkForm(here, form, base);
    for (const ref of references(doc)) if (ref.role !== 'form') this.#reference(ref.raw, base, here);
  }

  #reference(raw: string, base: URL, page: string): void {
    const url = resolveLink(raw, base);
    if (url === undefined) return;
    if (url.origin === this.#origin) {
      void this.page(url, page, raw);
      return;
    }
    this.#links.push({ page, link: raw, url });
    if (!this.#external.has(url.href)) this.#external.set(url.href, undefined);
  }

  #checkForm(page: string, form: { label: string; method: string; action: string }, base: URL): void {
    if (form.method !== 'post') return;
    const target = resolveLink(form.action, base) ?? base;
    const reason =
      target.origin === this.#origin
        ? 'posts to this static site, which cannot take a POST (S3 website hosting answers 405)'
        : target.origin === this.options.origin
          ? `posts to the live origin ${this.options.origin}: it fails while the origin is down (use a hosted form service)`
          : undefined;
    if (reason !== undefined) this.formProblems.push({ page, form: form.label, action: form.action || '(none: the page itself)', reason });
  }

  /** Checks distinct external URLs (HEAD, then GET where HEAD is refused), at most `limit`. */
  async checkExternal(): Promise<{ checked: number; skipped: number }> {
    const external = this.options.external;
    const urls = [...this.#external.keys()];
    if (external === undefined) return { checked: 0, skipped: urls.length };
    const chosen = urls.slice(0, external.limit);
    await Promise.all(chosen.map((href) => this.#limit(() => headThenGet(external.fetcher, new URL(href))).then((a) => void this.#external.set(href, a))));
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
