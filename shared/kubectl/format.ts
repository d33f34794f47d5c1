/**
 * Text formatting the way kubectl prints: column-aligned tables (kubectl's tabwriter: columns padded
 * with 3 spaces, no trailing spaces), ages (apimachinery pkg/util/duration HumanDuration), `<none>`
 * placeholders, and quantities.
 *
 * May import: ../sim/kinds/print.ts (the printers' helpers, re-exported here), nothing else outside this folder.
 */
export { humanDuration, labelString, orNone } from '../sim/kinds/print.ts';

/**
 * Renders rows under headers as kubectl does: each column as wide as its widest cell, separated by three
 * spaces, last column unpadded.
 */
export function table(headers: string[], rows: string[][], opts: { gap?: number; rule?: boolean } = {}): string {
  const gap = ' '.repeat(opts.gap ?? 3);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!, ' ')))
      .join(gap)
      .replace(/\s+$/, '');
  const rule = opts.rule ? [line(headers.map((h) => '-'.repeat(h.length)))] : [];
  return [line(headers), ...rule, ...rows.map(line)].join('\n');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * A sim second as kubectl describe prints times (RFC 1123 with numeric zone), counted from the sim's
 * fixed epoch 2025-01-01T00:00:00Z (a Wednesday): `Wed, 01 Jan 2025 00:05:12 +0000`.
 */
export function describeTime(t: number): string {
  const s = Math.max(0, Math.floor(t));
  const dayIndex = Math.floor(s / 86400);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = dayIndex + 1;
  const month = day <= 31 ? 'Jan' : 'Feb';
  const dom = day <= 31 ? day : day - 31;
  return `${WEEKDAYS[(3 + dayIndex) % 7]}, ${two(dom)} ${month} 2025 ${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)} +0000`;
}

/** MiB as kubectl top prints memory: `143Mi`. */
export function mib(v: number): string {
  return `${Math.max(0, Math.round(v))}Mi`;
}

/** Millicores as kubectl top prints CPU: `12m`. */
export function milli(v: number): string {
  return `${Math.max(0, Math.round(v))}m`;
}

/** Indents every line of `text` by `n` spaces. */
export function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

/**
 * `describe`-style key/value block: keys padded so values align (kubectl's describe uses a tabwriter
 * too). Each entry [key, value]; a value with newlines is continued under the value column.
 */
export function fields(entries: [string, string][], minWidth = 0): string {
  const width = Math.max(minWidth, ...entries.map(([k]) => k.length + 1)) + 2;
  const out: string[] = [];
  for (const [k, v] of entries) {
    const lines = v.split('\n');
    out.push(`${(k + ':').padEnd(width, ' ')}${lines[0] ?? ''}`.replace(/\s+$/, ''));
    for (const l of lines.slice(1)) out.push(' '.repeat(width) + l);
  }
  return out.join('\n');
}

/** Levenshtein distance (for "Did you mean this?" suggestions). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Candidates within edit distance 2 of `word` (cobra's SuggestionsMinimumDistance), sorted by distance. */
export function suggest(word: string, candidates: readonly string[]): string[] {
  return candidates
    .map((c) => ({ c, d: editDistance(word, c) }))
    .filter((x) => x.d <= 2 || x.c.startsWith(word))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .map((x) => x.c);
}

/** Map-typed fields Go omits when empty (`map[string]string` / ResourceList with `omitempty`); struct-typed ones (`resources: {}`, `loadBalancer: {}`) stay. */
const OMITEMPTY_MAPS = new Set(['labels', 'annotations', 'nodeSelector', 'matchLabels', 'selector', 'data', 'binaryData', 'stringData', 'limits', 'requests', 'capacity', 'allocatable', 'hard', 'used']);
/** Integer fields Go omits when 0 (`int32` with `omitempty`). */
const OMITEMPTY_ZERO = new Set(['minReadySeconds', 'observedGeneration', 'availableReplicas', 'readyReplicas', 'updatedReplicas', 'unavailableReplicas', 'currentReplicas']);

/** Bool fields Go omits when false (`bool` with `omitempty`: NodeSpec `unschedulable`, DeploymentSpec `paused`, PodSpec `hostNetwork`...). */
const OMITEMPTY_FALSE = new Set(['unschedulable', 'paused', 'hostNetwork', 'hostPID', 'hostIPC', 'stdin', 'tty']);

/**
 * An API object as Go's `omitempty` serialises it (kubectl `-o yaml|json` prints the server's JSON):
 * empty lists dropped (every list field of the served kinds is `omitempty`, except a List's `items`),
 * empty maps of {@link OMITEMPTY_MAPS}, zero counters of {@link OMITEMPTY_ZERO}, false bools of
 * {@link OMITEMPTY_FALSE}. A fresh value.
 */
export function omitEmpty(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => omitEmpty(v));
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length === 0 && !(k === 'items' && key === undefined)) continue;
    if (OMITEMPTY_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    if (OMITEMPTY_ZERO.has(k) && v === 0) continue;
    if (OMITEMPTY_FALSE.has(k) && v === false) continue;
    if (k === 'namespace' && v === '' && key === 'metadata') continue; // ObjectMeta `namespace,omitempty` (a Node's)
    out[k] = omitEmpty(v, k);
  }
  return out;
}

/** A minimal YAML emitter for JSON-like data (`-o yaml`): block style, strings quoted when needed. */
export function toYaml(value: unknown, level = 0): string {
  const pad = '  '.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]`;
    return value
      .map((v) => {
        if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) {
          const inner = toYaml(v, level + 1).replace(/^\s+/, '');
          return `${pad}- ${inner}`;
        }
        return `${pad}- ${scalar(v, pad.length + 2)}`;
      })
      .join('\n');
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // Keys sorted like kubectl's YAMLPrinter (an unstructured map, marshalled in key order).
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    if (keys.length === 0) return `${pad}{}`;
    return keys
      .map((k) => {
        const v = obj[k];
        if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
          return `${pad}${k}:\n${toYaml(v, Array.isArray(v) ? level : level + 1)}`;
        }
        return `${pad}${k}: ${v !== null && typeof v === 'object' ? (Array.isArray(v) ? '[]' : '{}') : scalar(v, pad.length + 2)}`;
      })
      .join('\n');
  }
  return pad + scalar(value);
}

/** YAML 1.1 words go-yaml v2 resolves to a bool, null, infinity, NaN or merge key. */
const YAML11_KEYWORDS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL', '~', '.inf', '.Inf', '.INF', '+.inf', '+.Inf',
  '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
]);

/**
 * True when a plain scalar `s` would read back as something other than a string (go-yaml v2 resolve.go:
 * the keywords above, an int (decimal, 0x, 0o, 0b, leading-0 octal; `_` ignored), a float, a base-60
 * number, a timestamp), so kubectl's YAMLPrinter (sigs.k8s.io/yaml over go-yaml v2) double-quotes it:
 * `"1"`, `"2025-01-01T00:00:00Z"`, `"yes"`, but `100m`, `128Mi`, `25%`, `10.244.1.2` stay plain.
 */
function resolvesToNonString(s: string): boolean {
  if (YAML11_KEYWORDS.has(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(?:0|[1-9][0-9]*|0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+)$/.test(plain)) return true;
  if (/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(plain)) return true;
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true;
  return /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/.test(s);
}

/**
 * True when go-yaml's emitter may not write `s` as a plain scalar in block context
 * (emitterc.go yaml_emitter_analyze_scalar): an indicator first (`-`, `?`, `:` only before a blank or
 * the end), `---` / `...` first, `: ` or ` #` inside, a `:` at the end, a leading or trailing blank.
 */
function plainForbidden(s: string): boolean {
  if (s.startsWith('---') || s.startsWith('...')) return true;
  if (/^[#,[\]{}&*!|>'"%@`]/.test(s) || /^[-?:](?:\s|$)/.test(s)) return true;
  if (/:(?:\s|$)/.test(s) || /\s#/.test(s)) return true;
  return /^\s|\s$/.test(s);
}

/**
 * True when go-yaml v2 writes the multi-line `s` as a literal block (encode.go stringv picks the literal
 * style for a string holding `\n`; emitterc.go yaml_emitter_analyze_scalar then forbids a block for a
 * trailing space, a space before a line break, or a character outside the printable set (a tab, `\r`),
 * which fall back to double quotes).
 */
function literalAllowed(s: string): boolean {
  return s.includes('\n') && !/ \n| $/.test(s) && !/[^\n\x20-\x7e\u0085\u00a0-\ud7ff\ue000-\ufffd]/.test(s);
}

/**
 * A literal block as go-yaml v2 writes it (emitterc.go yaml_emitter_write_literal_scalar and
 * write_block_scalar_hints): `|`, an indentation indicator `2` when the text starts with a space or
 * a line break, the chomping indicator (`-` without a final line break, none for one, `+` for more),
 * then each line indented by `indent` spaces (empty lines left empty).
 */
function literalBlock(s: string, indent: number): string {
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : '';
  const chomp = !s.endsWith('\n') ? '-' : s === '\n' || s.endsWith('\n\n') ? '+' : '';
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const pad = ' '.repeat(indent);
  return `|${hint}${chomp}\n${body.split('\n').map((l) => (l === '' ? '' : pad + l)).join('\n')}`;
}

/**
 * A YAML scalar as kubectl prints it: a string that would read back as another type `"double-quoted"`
 * (JSON escapes), a multi-line one a `|` literal block (content at `indent` spaces: the key's column
 * plus 2), one the emitter cannot write plain `'single-quoted'` (`''` for a quote), else plain.
 * Not modelled: go-yaml's folding of plain and quoted strings longer than 80 columns.
 */
function scalar(v: unknown, indent = 2): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (literalAllowed(s)) return literalBlock(s, indent);
  if (s === '' || s.includes('\n') || resolvesToNonString(s) || /[^\x20-\x7e\u00a0-\ufffd]/.test(s)) return JSON.stringify(s);
  if (plainForbidden(s)) return `'${s.replace(/'/g, "''")}'`;
  return s;
}
