/**
 * Console lines that read standard input (issue 7), recognised without the parser of the documents
 * (small enough for the web client's bundle): which lines open the console's editor, and a pasted
 * shell heredoc (`kubectl apply -f - <<EOF` ... `EOF`, or `cat <<EOF | kubectl apply -f -`).
 *
 * May import: ./parse.ts.
 */
import { tokenize } from './parse.ts';

/** The words of a kubectl line without `kubectl`/`k` and its leading flags (`-n NS`), or null when it does not tokenize. */
function verbOf(line: string): { verb: string | undefined; words: string[] } | null {
  let words: string[];
  try {
    words = tokenize(line.trim());
  } catch {
    return null;
  }
  const w = words[0] === 'kubectl' || words[0] === 'k' ? words.slice(1) : words;
  let at = 0;
  while (at < w.length && w[at]!.startsWith('-')) at += w[at] === '-n' || w[at] === '--namespace' ? 2 : 1;
  return { verb: w[at], words: w };
}

/**
 * What a console line asks of the editor: `apply` for `kubectl apply|create -f -|FILE` (an empty
 * editor to paste into), `edit` for `kubectl edit ...` (the object's YAML), null for anything else.
 */
export function readsInput(line: string): 'apply' | 'edit' | null {
  const v = verbOf(line);
  if (!v) return null;
  if (v.verb === 'edit') return 'edit';
  if ((v.verb === 'apply' || v.verb === 'create') && v.words.some((x) => x === '-f' || x.startsWith('--filename') || /^-f\S/.test(x))) return 'apply';
  return null;
}

/** A heredoc operator: `<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`. */
const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/**
 * A pasted shell heredoc feeding kubectl: the first line `kubectl apply -f - <<EOF` (or
 * `cat <<EOF | kubectl apply -f -`), the document lines, and the terminator line (`EOF`; with `<<-`
 * leading tabs are stripped, as bash does). @returns the kubectl command without the heredoc, the
 * text it reads, and whether the terminator was found (false: the paste ended first); or null when
 * `text` is not such a heredoc.
 */
export function parseHeredoc(text: string): { command: string; stdin: string; complete: boolean } | null {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const first = lines[0] ?? '';
  const m = HEREDOC.exec(first);
  if (!m) return null;
  let command = (first.slice(0, m.index) + first.slice(m.index + m[0].length)).trim();
  const piped = /^cat\s*\|\s*(.*)$/.exec(command);
  if (piped) command = piped[1]!.trim();
  if (readsInput(command) !== 'apply') return null;
  const body: string[] = [];
  const strip = m[1] === '-';
  for (const raw of lines.slice(1)) {
    const line = strip ? raw.replace(/^\t+/, '') : raw;
    if (line.trimEnd() === m[3]) return { command, stdin: body.join('\n') + (body.length > 0 ? '\n' : ''), complete: true };
    body.push(line);
  }
  return { command, stdin: body.join('\n'), complete: false };
}

/**
 * The comment kubectl's editor opens with (k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go); the
 * web console puts it above the object's YAML. Lines starting with `#` are ignored on save (apply.ts).
 */
export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;
