/**
 * kubectl's JSONPath templates (K staging/src/k8s.io/client-go/util/jsonpath; W reference/kubectl/jsonpath),
 * the subset the console supports: text outside `{}` printed as is; inside, `.field` / `['field']`
 * children, `..field` recursive descent, `[n]` (negative from the end), `[a:b]` slices, `[*]`, filters
 * `[?(@.a.b=="x")]` with `==`, `!=`, `<`, `<=`, `>`, `>=` against a string or number literal (or
 * `[?(@.a)]`: the field exists), unions `[0,2]` / `['metadata.name', 'status.phase']` (each member's
 * results in turn; a quoted key is a dotted path, as client-go reads it), `@` the current node and `$` the root, string literals `{"\n"}` / `{'\t'}`, and
 * `{range EXPR}...{end}`. Several results of one expression are printed separated by spaces; objects and
 * lists as compact JSON. Used by `-o jsonpath=`, `-o custom-columns=` and `--sort-by`.
 *
 * Pure. May import nothing.
 */

/** A template or expression error (printed as kubectl's `error: ...`). */
export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

type Node = { kind: 'text'; text: string } | { kind: 'expr'; steps: Step[] } | { kind: 'literal'; text: string } | { kind: 'range'; steps: Step[]; body: Node[] };
type Step =
  | { kind: 'field'; name: string; recursive: boolean }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start: number | null; end: number | null }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op: string | null; value: string | number | null }
  | { kind: 'union'; branches: Step[][] };

/** Splits `a, 'b,c', 1` at the commas outside quotes (client-go parser.go parseArray's union operator). */
function splitUnion(inner: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let from = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      parts.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(inner.slice(from).trim());
  return parts;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

/** Parses a path expression (`.items[*].metadata.name`, `@.status`), no braces. */
function parsePath(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const s = src.trim();
  if (s === '@' || s === '$' || s === '') return steps;
  if (s.startsWith('@') || s.startsWith('$')) i = 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      const recursive = s[i + 1] === '.';
      i += recursive ? 2 : 1;
      const m = /^(?:[A-Za-z0-9_\-/]|\\\.)*/.exec(s.slice(i))!;
      if (m[0] === '' && s[i] !== '[' && s[i] !== '*') {
        if (i >= s.length) break;
        throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(s[i])}`);
      }
      if (s[i] === '*') {
        i++;
        steps.push({ kind: 'all' });
        continue;
      }
      if (m[0] !== '') steps.push({ kind: 'field', name: m[0].replace(/\\\./g, '.'), recursive });
      i += m[0].length;
    } else if (c === '[') {
      const close = matchingBracket(s, i);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      const union = inner.startsWith('?(') ? [inner] : splitUnion(inner);
      if (union.length > 1) steps.push({ kind: 'union', branches: union.map((u) => parsePath(`[${u}]`)) });
      else if (inner === '*') steps.push({ kind: 'all' });
      // a quoted key is a path (client-go parseArray: `['metadata.name']` = `.metadata.name`; `\.` keeps a dot)
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push(...parsePath(`.${inner.slice(1, -1)}`));
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [a, b] = inner.split(':') as [string, string];
        steps.push({ kind: 'slice', start: a === '' ? null : Number(a), end: b === '' ? null : Number(b) });
      } else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const body = inner.slice(2, -1).trim();
        const m = /^(@[^=!<>\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(body);
        if (m) {
          const raw = m[3]!.trim();
          const value = /^'.*'$|^".*"$/.test(raw) ? raw.slice(1, -1) : Number.isFinite(Number(raw)) ? Number(raw) : raw;
          steps.push({ kind: 'filter', path: parsePath(m[1]!), op: m[2]!, value });
        } else if (/^@[^=!<>\s]*$/.test(body)) {
          steps.push({ kind: 'filter', path: parsePath(body), op: null, value: null });
        } else {
          throw new JsonPathError(`unrecognized filter: ${body}`);
        }
      } else {
        throw new JsonPathError(`invalid array index ${inner}`);
      }
    } else {
      throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

function matchingBracket(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new JsonPathError('unterminated array');
}

/** Parses a template (`{.items[*].metadata.name}`, `{range .items[*]}{.metadata.name}{"\n"}{end}`). @throws JsonPathError. */
export function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const ranges: { steps: Step[]; body: Node[] }[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i, open) });
    let close = open + 1;
    let quote: string | null = null;
    for (; close < template.length; close++) {
      const c = template[close]!;
      if (quote) {
        if (c === '\\') close++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (close >= template.length) throw new JsonPathError(`unclosed action`);
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (/^range\s/.test(action)) {
      const r = { steps: parsePath(action.slice(6)), body: [] as Node[] };
      stack[stack.length - 1]!.push({ kind: 'range', ...r });
      ranges.push(r);
      stack.push(r.body);
    } else if (action === 'end') {
      if (ranges.length === 0) throw new JsonPathError('not in range, nothing to end');
      ranges.pop();
      stack.pop();
    } else if (/^".*"$|^'.*'$/s.test(action)) {
      stack[stack.length - 1]!.push({ kind: 'literal', text: unescape(action.slice(1, -1)) });
    } else {
      stack[stack.length - 1]!.push({ kind: 'expr', steps: parsePath(action) });
    }
  }
  if (ranges.length > 0) throw new JsonPathError('unterminated range: missing {end}');
  return root;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  return [];
}

function compare(a: unknown, op: string, b: string | number): boolean {
  if (typeof b === 'number' && typeof a === 'number') {
    return op === '==' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  const x = a === undefined || a === null ? '' : typeof a === 'object' ? JSON.stringify(a) : String(a as string | number | boolean);
  const y = String(b);
  return op === '==' ? x === y : op === '!=' ? x !== y : op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

function recurse(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) {
    for (const x of v) recurse(x, name, out);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, name)) out.push(o[name]);
    for (const x of Object.values(o)) recurse(x, name, out);
  }
}

/** Evaluates path steps from `start`: every matching node (none when a field is missing). */
export function evaluate(steps: readonly Step[], start: unknown): unknown[] {
  let cur: unknown[] = [start];
  for (const st of steps) {
    const next: unknown[] = [];
    if (st.kind === 'union') {
      // client-go evalUnion: each member over every current node, the members' results one after the other
      for (const b of st.branches) for (const v of cur) next.push(...evaluate(b, v));
      cur = next;
      continue;
    }
    for (const v of cur) {
      switch (st.kind) {
        case 'field':
          if (st.recursive) recurse(v, st.name, next);
          else if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, st.name)) next.push((v as Record<string, unknown>)[st.name]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = st.index < 0 ? v.length + st.index : st.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'slice':
          if (Array.isArray(v)) next.push(...v.slice(st.start ?? 0, st.end ?? v.length));
          break;
        case 'all':
          next.push(...children(v));
          break;
        case 'filter':
          for (const x of Array.isArray(v) ? v : [v]) {
            const got = evaluate(st.path, x);
            if (st.op === null ? got.length > 0 && got[0] !== false && got[0] !== null : got.length > 0 && compare(got[0], st.op, st.value!)) next.push(x);
          }
          break;
      }
    }
    cur = next;
  }
  return cur;
}

/** One value as kubectl's jsonpath prints it: strings raw, objects/lists compact JSON. */
export function printValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v as number | boolean);
}

function render(nodes: readonly Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text' || n.kind === 'literal') out += n.text;
    else if (n.kind === 'expr') out += evaluate(n.steps, data).map(printValue).join(' ');
    else for (const item of evaluate(n.steps, data)) out += render(n.body, item);
  }
  return out;
}

/**
 * Runs a template over `data` (kubectl `-o jsonpath=TEMPLATE`). An expression that finds nothing prints
 * nothing, as `kubectl get`'s default `--allow-missing-template-keys=true` (client-go JSONPath
 * AllowMissingKeys); with `allowMissingKeys` false it is an error (`error: ... is not found`).
 * @throws JsonPathError on a bad template (or a missing key when not allowed).
 */
export function runJsonPath(template: string, data: unknown, allowMissingKeys = true): string {
  const nodes = parseTemplate(template);
  if (!allowMissingKeys) for (const n of nodes) {
    if (n.kind === 'expr' && n.steps.length > 0 && evaluate(n.steps, data).length === 0 && !isListItems(n.steps, data)) {
      throw new JsonPathError(`error executing jsonpath ${JSON.stringify(template)}: ${pathText(n.steps)} is not found`);
    }
  }
  return render(nodes, data);
}

/** An expression over a List's items finds nothing only because there are no items: not an error. */
function isListItems(steps: readonly Step[], data: unknown): boolean {
  const first = steps[0];
  return first?.kind === 'field' && first.name === 'items' && Array.isArray((data as { items?: unknown }).items);
}

function pathText(steps: readonly Step[]): string {
  return steps.map((s) => (s.kind === 'field' ? `.${s.name}` : s.kind === 'index' ? `[${s.index}]` : s.kind === 'all' ? '[*]' : '[...]')).join('') || '@';
}

/** Parses an expression written with or without braces (`.metadata.name`, `{.metadata.name}`). @throws JsonPathError. */
export function parseExpression(expr: string): Step[] {
  const e = expr.trim();
  return parsePath(e.startsWith('{') && e.endsWith('}') ? e.slice(1, -1) : e);
}
