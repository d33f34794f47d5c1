/**
 * Label and field selectors of list requests (`?labelSelector=`, `?fieldSelector=`), with the grammar of
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors (equality:
 * `a=b`, `a==b`, `a!=b`; set-based: `a in (x,y)`, `a notin (x)`, `a`, `!a`) and
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/ (`path=value`,
 * `path==value`, `path!=value`, comma = AND; paths are dotted into the served object, e.g.
 * `metadata.name`, `spec.nodeName`, `status.phase`, `involvedObject.uid`).
 *
 * May import: nothing of ours.
 */

/** A parsed selector: true when the labels (or the object) match. */
export type Matcher<T> = (value: T) => boolean;

/** Thrown for a selector that does not parse: the message is the API server's (400 BadRequest). */
export class SelectorError extends Error {}

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const VALUE = String.raw`[-A-Za-z0-9_.]*`;

/**
 * Parses a label selector. @throws SelectorError with `unable to parse requirement: ...`.
 */
export function parseLabelSelector(text: string): Matcher<Record<string, string>> {
  const tests: Matcher<Record<string, string>>[] = [];
  for (const term of splitTerms(text)) {
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(term))) {
      const [, k, op, v] = m;
      tests.push(op === '!=' ? (l) => l[k!] !== v : (l) => Object.hasOwn(l, k!) && l[k!] === v);
    } else if ((m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(term))) {
      const [, k, op, list] = m;
      const values = new Set(list!.split(',').map((s) => s.trim()));
      tests.push(op === 'in' ? (l) => Object.hasOwn(l, k!) && values.has(l[k!]!) : (l) => !Object.hasOwn(l, k!) || !values.has(l[k!]!));
    } else if ((m = new RegExp(`^!(${KEY})$`).exec(term))) {
      const k = m[1]!;
      tests.push((l) => !Object.hasOwn(l, k));
    } else if ((m = new RegExp(`^(${KEY})$`).exec(term))) {
      const k = m[1]!;
      tests.push((l) => Object.hasOwn(l, k));
    } else {
      throw new SelectorError(`unable to parse requirement: found '${term}', expected: '=', '!=', '==', 'in', notin'`);
    }
  }
  return (labels) => tests.every((t) => t(labels));
}

/** The value at a dotted path of `obj` as a field selector compares it (missing = ''). */
function fieldValue(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/**
 * Parses a field selector. `labels`: the field labels the resource supports, each with the dotted path
 * of the served object it reads (the API server's per-resource `GetAttrs`/field label conversion; e.g.
 * a core Event's `source` reads `source.component`); without it any dotted path is accepted.
 * @throws SelectorError with `invalid selector: ...`, or `field label not supported: LABEL` for a label
 *   not in `labels` (the API server's 400).
 */
export function parseFieldSelector(text: string, labels?: ReadonlyMap<string, string>): Matcher<Record<string, unknown>> {
  const tests: Matcher<Record<string, unknown>>[] = [];
  for (const term of splitTerms(text)) {
    const m = /^([A-Za-z][A-Za-z0-9.]*)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, label, op, value] = m;
    const path = labels === undefined ? label : labels.get(label!);
    if (path === undefined) throw new SelectorError(`field label not supported: ${label}`);
    tests.push(op === '!=' ? (o) => fieldValue(o, path!) !== value : (o) => fieldValue(o, path!) === value);
  }
  return (obj) => tests.every((t) => t(obj));
}
