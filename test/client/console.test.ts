import { describe, expect, it } from 'vitest';
import { CommandHistory, errorLine, parseConsoleLine, resolveShortcut } from '../../client/src/view/console.ts';

describe('CommandHistory', () => {
  it('walks back with Up and forward with Down, returning the unfinished line at the end', () => {
    const h = new CommandHistory();
    h.push('kubectl get pods');
    h.push('kubectl get nodes');
    expect(h.up('kubectl desc')).toBe('kubectl get nodes');
    expect(h.up('')).toBe('kubectl get pods');
    expect(h.up('')).toBeNull();
    expect(h.down()).toBe('kubectl get nodes');
    expect(h.down()).toBe('kubectl desc');
    expect(h.down()).toBeNull();
  });

  it('ignores blank lines, stores repeated commands once and drops the oldest past its limit', () => {
    const h = new CommandHistory(2);
    h.push('a');
    h.push('   ');
    h.push('a');
    h.push('b');
    h.push('c');
    expect(h.entries).toEqual(['b', 'c']);
    expect(new CommandHistory().up('x')).toBeNull();
  });
});

describe('parseConsoleLine', () => {
  it('sends commands to the server as typed, expanding the k alias', () => {
    expect(parseConsoleLine('kubectl get pods')).toEqual({ kind: 'server', command: 'kubectl get pods' });
    expect(parseConsoleLine('  get   pods ')).toEqual({ kind: 'server', command: 'get pods' });
    expect(parseConsoleLine('etcdctl member list')).toEqual({ kind: 'server', command: 'etcdctl member list' });
    expect(parseConsoleLine('help')).toEqual({ kind: 'server', command: 'help' });
    expect(parseConsoleLine('k scale deployment/frontend --replicas=4')).toEqual({ kind: 'server', command: 'kubectl scale deployment/frontend --replicas=4' });
  });

  it('handles ? and clear locally and ignores empty lines', () => {
    expect(parseConsoleLine('?')).toEqual({ kind: 'local', name: 'help' });
    expect(parseConsoleLine('clear')).toEqual({ kind: 'local', name: 'clear' });
    expect(parseConsoleLine('   ')).toEqual({ kind: 'empty' });
  });
});

describe('resolveShortcut', () => {
  it('maps the page shortcuts when the player is not typing', () => {
    expect(resolveShortcut('/', false)).toBe('focusConsole');
    expect(resolveShortcut(':', false)).toBe('focusConsole');
    expect(resolveShortcut('?', false)).toBe('help');
    expect(resolveShortcut('L', false)).toBe('leaderboard');
    expect(resolveShortcut('l', false)).toBe('leaderboard');
    expect(resolveShortcut('Escape', false)).toBe('escape');
    expect(resolveShortcut('x', false)).toBeNull();
  });

  it('leaves typed characters and browser shortcuts alone, except Escape', () => {
    expect(resolveShortcut('/', true)).toBeNull();
    expect(resolveShortcut('L', true)).toBeNull();
    expect(resolveShortcut('l', false, true)).toBeNull();
    expect(resolveShortcut('Escape', true)).toBe('escape');
  });
});

describe('errorLine', () => {
  it('prefixes refusals with error: once', () => {
    expect(errorLine('error: unknown command "frobnicate" for "kubectl"')).toBe('error: unknown command "frobnicate" for "kubectl"');
    expect(errorLine('deployments.apps "nope" not found')).toBe('error: deployments.apps "nope" not found');
    expect(errorLine(undefined)).toBe('error: the server refused the command');
  });
});

describe('kubectl get -w (WatchSession)', () => {
  it('recognises get -w / --watch only', async () => {
    const { isWatchCommand } = await import('../../client/src/view/console.ts');
    expect(isWatchCommand('kubectl get pods -w')).toBe(true);
    expect(isWatchCommand('get pods --watch -n shop')).toBe(true);
    expect(isWatchCommand('kubectl -n shop get pods -w')).toBe(true);
    expect(isWatchCommand('kubectl get pods')).toBe(false);
    expect(isWatchCommand('kubectl rollout status deployment/x -w')).toBe(false);
  });

  it('prints the table first, then only new or changed rows (AGE ignored)', async () => {
    const { WatchSession } = await import('../../client/src/view/console.ts');
    const w = new WatchSession('kubectl get pods -w');
    const t1 = ['NAME      READY   STATUS    RESTARTS   AGE', 'api-a     1/1     Running   0          5m', 'web-b     1/1     Running   0          5m'].join('\n');
    expect(w.update(t1)).toBe(t1);
    const t2 = ['NAME      READY   STATUS    RESTARTS   AGE', 'api-a     1/1     Running   0          5m2s', 'web-b     1/1     Running   0          5m2s'].join('\n');
    expect(w.update(t2)).toBe('');
    const t3 = ['NAME      READY   STATUS             RESTARTS     AGE', 'api-a     0/1     CrashLoopBackOff   1 (2s ago)   5m4s', 'web-b     1/1     Running            0            5m4s', 'web-c     0/1     Pending            0            0s'].join('\n');
    expect(w.update(t3)).toBe(['api-a     0/1     CrashLoopBackOff   1 (2s ago)   5m4s', 'web-c     0/1     Pending            0            0s'].join('\n'));
    expect(w.update('No resources found in default namespace.')).toBe('No resources found in default namespace.');
    expect(w.update('No resources found in default namespace.')).toBe('');
  });
});
