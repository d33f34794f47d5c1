import { describe, it, expect } from 'vitest';
import { describeTime, humanDuration, suggest, table, toYaml } from '../../shared/kubectl/format.ts';

describe('humanDuration (kubectl AGE column)', () => {
  it('follows apimachinery HumanDuration', () => {
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(45)).toBe('45s');
    expect(humanDuration(119)).toBe('119s');
    expect(humanDuration(120)).toBe('2m');
    expect(humanDuration(312)).toBe('5m12s');
    expect(humanDuration(600)).toBe('10m');
    expect(humanDuration(179 * 60 + 59)).toBe('179m');
    expect(humanDuration(3 * 3600 + 12 * 60)).toBe('3h12m');
    expect(humanDuration(10 * 3600 + 5)).toBe('10h');
    expect(humanDuration(52 * 3600)).toBe('2d4h');
    expect(humanDuration(12 * 86400)).toBe('12d');
    expect(humanDuration(-1)).toBe('0s');
  });
});

describe('table', () => {
  it('aligns columns with three spaces and no trailing blanks', () => {
    const out = table(['NAME', 'READY', 'STATUS'], [
      ['web-1', '1/1', 'Running'],
      ['a-much-longer-name', '0/1', 'CrashLoopBackOff'],
    ]);
    expect(out.split('\n')).toEqual([
      'NAME                 READY   STATUS',
      'web-1                1/1     Running',
      'a-much-longer-name   0/1     CrashLoopBackOff',
    ]);
  });
  it('can draw a rule under the headers (describe tables)', () => {
    expect(table(['Type', 'Reason'], [['Normal', 'Scheduled']], { gap: 2, rule: true }).split('\n')).toEqual([
      'Type    Reason',
      '----    ------',
      'Normal  Scheduled',
    ]);
  });
});

describe('misc formatting', () => {
  it('prints sim seconds as describe timestamps from the 2025-01-01 epoch', () => {
    expect(describeTime(0)).toBe('Wed, 01 Jan 2025 00:00:00 +0000');
    expect(describeTime(86400 + 3723)).toBe('Thu, 02 Jan 2025 01:02:03 +0000');
  });
  it('suggests close commands', () => {
    expect(suggest('gett', ['get', 'describe', 'set'])[0]).toBe('get');
    expect(suggest('zzzzzz', ['get', 'describe'])).toEqual([]);
  });
  it('emits readable YAML', () => {
    expect(toYaml({ a: 1, b: { c: 'x', d: [1, 'two'] }, e: [], f: 'yes' })).toBe('a: 1\nb:\n  c: x\n  d:\n  - 1\n  - two\ne: []\nf: "yes"');
  });
  it('quotes strings as kubectl (go-yaml v2) does: double quotes when they would read back as another type, single when they cannot be plain', () => {
    const doc = {
      plain: ["it's", '100m', '128Mi', '25%', '10.244.1.209', 'nginx:1.27', 'web-7d4b9c', 'a b', 'http://api:80/x', '-x', 'v1.2.3'],
      double: ['1', '0', '1.5', '.5', '1e3', '08', '0x1F', '1_000', '2025-01-01T00:00:00Z', '2025-01-01', 'true', 'yes', 'Off', 'null', '~', '', '1:20'],
      single: ['*/5 * * * *', '%x', '@x', '- x', 'a: b', 'x #y', 'end:', ' lead', 'trail ', "'q"],
    };
    const lines = toYaml(doc).split('\n');
    const values = (key: string) => { const i = lines.indexOf(`${key}:`); return lines.slice(i + 1, i + 1 + doc[key as keyof typeof doc].length).map((l) => l.slice(2)); };
    expect(values('plain')).toEqual(doc.plain);
    expect(values('double')).toEqual(doc.double.map((v) => JSON.stringify(v)));
    expect(values('single')).toEqual(["'*/5 * * * *'", "'%x'", "'@x'", "'- x'", "'a: b'", "'x #y'", "'end:'", "' lead'", "'trail '", "'''q'"]);
  });
  it('writes multi-line strings as go-yaml v2 literal blocks (|, |-, |+, |2), double-quoted when a block cannot hold them', () => {
    const doc = { metadata: { annotations: { last: '{"a":1}\n' } }, data: { conf: 'a=1\n\nb=2', keep: 'x\n\n', lead: ' x\ny\n', tab: 'a\tb\nc', trail: 'a \nb' }, args: ['echo hi\necho bye\n'] };
    expect(toYaml(doc)).toBe([
      'args:',
      '- |',
      '  echo hi',
      '  echo bye',
      'data:',
      '  conf: |-',
      '    a=1',
      '',
      '    b=2',
      '  keep: |+',
      '    x',
      '',
      '  lead: |2',
      '     x',
      '    y',
      '  tab: "a\\tb\\nc"',
      '  trail: "a \\nb"',
      'metadata:',
      '  annotations:',
      '    last: |',
      '      {"a":1}',
    ].join('\n'));
  });
});
