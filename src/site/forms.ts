import type { Edit } from './charset.js';
import { attr, attributeText, FORM_POLICY_ATTR, formLabel, htmlText, type FormSpan } from './html.js';
import { underPrefix } from './urls.js';

/**
 * What a form becomes in the maintenance copy. A static copy cannot take a submission, and the
 * origin may be down: the runbook says, per form or per path, whether a form stays pointing at the
 * origin (with a warning), is replaced by a notice, or submits to a hosted form service.
 */

export type FormPolicyName = 'origin' | 'notice' | 'service';

/** One rule: the first whose every given condition holds applies. */
export interface FormRule {
  /** Pages at or below this path. */
  readonly page?: string | undefined;
  /** Forms whose action is at or below this path on the origin (`/wp-comments-post.php`). */
  readonly action?: string | undefined;
  /** `#id` or `[name=...]` of the form. */
  readonly form?: string | undefined;
  readonly method?: 'get' | 'post' | undefined;
  readonly policy: FormPolicyName;
  /** The notice's text (policy `notice`). */
  readonly notice?: string | undefined;
  /** Where the form submits instead (policy `service`). */
  readonly serviceUrl?: string | undefined;
}

export interface FormPolicy {
  /** What POST forms become (default `notice`). */
  readonly post?: FormPolicyName | undefined;
  /** What GET forms (search) become (default `origin`). */
  readonly get?: FormPolicyName | undefined;
  /** The default notice text. */
  readonly notice?: string | undefined;
  /** The default service URL for policy `service`. */
  readonly serviceUrl?: string | undefined;
  readonly rules?: readonly FormRule[] | undefined;
}

export const DEFAULT_FORM_NOTICE = 'This form is closed while we are under heavy load. Please come back later.';

/** The policy applied to one form, and why. */
export interface FormDecision {
  readonly policy: FormPolicyName;
  readonly notice: string;
  readonly serviceUrl?: string | undefined;
  /** `rule 2`, `post default`, ... */
  readonly source: string;
}

export interface FormFacts {
  /** The path of the page the form is on. */
  readonly page: string;
  /** The form's action resolved against the page (undefined: it submits to the page itself). */
  readonly action: URL;
  readonly label: string;
  readonly method: string;
}

function matches(rule: FormRule, facts: FormFacts): boolean {
  if (rule.page !== undefined && !underPrefix(facts.page, rule.page)) return false;
  if (rule.action !== undefined && !underPrefix(facts.action.pathname, rule.action)) return false;
  if (rule.form !== undefined && rule.form !== facts.label) return false;
  if (rule.method !== undefined && rule.method !== facts.method) return false;
  return true;
}

/** The first matching rule's policy, else the method's default. */
export function decideForm(policy: FormPolicy | undefined, facts: FormFacts): FormDecision {
  const rules = policy?.rules ?? [];
  const index = rules.findIndex((r) => matches(r, facts));
  const rule = rules[index];
  const notice = rule?.notice ?? policy?.notice ?? DEFAULT_FORM_NOTICE;
  if (rule !== undefined)
    return {
      policy: rule.policy,
      notice,
      serviceUrl: rule.serviceUrl ?? policy?.serviceUrl,
      source: `forms.rules[${index}]`,
    };
  const post = facts.method === 'post';
  const name = (post ? policy?.post : policy?.get) ?? (post ? 'notice' : 'origin');
  return {
    policy: name,
    notice,
    serviceUrl: policy?.serviceUrl,
    source: post
      ? `forms.post${policy?.post === undefined ? ' (default)' : ''}`
      : `forms.get${policy?.get === undefined ? ' (default)' : ''}`,
  };
}

/** Where a start tag's attributes end: before `>` or `/>`. */
function tagInsertAt(html: string, end: number): number {
  return html[end - 2] === '/' ? end - 2 : end - 1;
}

/**
 * The edits that apply `decision` to one form: its action set to the origin or the service (marked
 * `data-hotspare-form`), or the whole form replaced by the notice, which keeps what `site check`
 * reports about it.
 */
export function formEdits(html: string, form: FormSpan, decision: FormDecision, facts: FormFacts): Edit[] {
  if (decision.policy === 'notice') {
    const data = [
      attributeText(FORM_POLICY_ATTR, 'notice'),
      attributeText('data-hotspare-label', formLabel(form)),
      attributeText('data-hotspare-method', facts.method),
      attributeText('data-hotspare-action', facts.action.href),
    ].join(' ');
    return [
      {
        start: form.tag.start,
        end: form.end,
        insert: `<p class="hotspare-form-closed" role="status" ${data}>${htmlText(decision.notice)}</p>`,
      },
    ];
  }
  const target =
    decision.policy === 'service' && decision.serviceUrl !== undefined ? decision.serviceUrl : facts.action.href;
  const edits: Edit[] = [];
  const action = form.tag.attrs.find((a) => a.name === 'action');
  if (action !== undefined)
    edits.push({ start: action.start, end: action.end, insert: attributeText('action', target) });
  const marker = ` ${attributeText(FORM_POLICY_ATTR, decision.serviceUrl === undefined && decision.policy === 'service' ? 'origin' : decision.policy)}`;
  const at = tagInsertAt(html, form.tag.end);
  const existing = form.tag.attrs.find((a) => a.name === FORM_POLICY_ATTR);
  if (existing !== undefined) edits.push({ start: existing.start, end: existing.end, insert: '' });
  edits.push({
    start: at,
    end: at,
    insert: `${action === undefined ? ` ${attributeText('action', target)}` : ''}${marker}`,
  });
  return edits;
}

/** The method of a form, lower case (`get` when absent). */
export function methodOf(form: FormSpan): string {
  return (attr(form.tag, 'method') ?? 'get').toLowerCase();
}
