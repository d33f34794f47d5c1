import { describe, it, expect } from 'vitest';
import { parseArgs, resourceType, tokenize, typeAndNames, UsageError } from '../../shared/kubectl/parse.ts';

describe('tokenize', () => {
  it('splits on whitespace', () => {
    expect(tokenize('  kubectl   get pods  ')).toEqual(['kubectl', 'get', 'pods']);
  });
  it('keeps quoted words together and drops the quotes', () => {
    expect(tokenize(`kubectl get pods -l 'app=web, tier=front'`)).toEqual(['kubectl', 'get', 'pods', '-l', 'app=web, tier=front']);
    expect(tokenize('echo "a \\"quoted\\" word" x')).toEqual(['echo', 'a "quoted" word', 'x']);
    expect(tokenize(`--limits="memory=512Mi"`)).toEqual(['--limits=memory=512Mi']);
    expect(tokenize(`a\\ b c`)).toEqual(['a b', 'c']);
    expect(tokenize(`''`)).toEqual(['']);
  });
  it('rejects an unterminated quote', () => {
    expect(() => tokenize(`kubectl get 'pods`)).toThrow(UsageError);
    expect(() => tokenize(`kubectl get "pods`)).toThrow(/unterminated/);
  });
});

describe('parseArgs', () => {
  const defs = [
    { name: 'output', short: 'o', value: true },
    { name: 'force', value: false },
    { name: 'replicas', value: true },
  ];
  it('accepts pflag spellings', () => {
    expect(parseArgs(['pods', '-o', 'wide'], defs)).toEqual({ positional: ['pods'], flags: { output: 'wide' } });
    expect(parseArgs(['-owide', 'pods'], defs).flags).toEqual({ output: 'wide' });
    expect(parseArgs(['-o=wide'], defs).flags).toEqual({ output: 'wide' });
    expect(parseArgs(['--output=json', '--force'], defs).flags).toEqual({ output: 'json', force: true });
    expect(parseArgs(['--replicas', '3', 'deploy/web'], defs)).toEqual({ positional: ['deploy/web'], flags: { replicas: '3' } });
    expect(parseArgs(['--force=false'], defs).flags).toEqual({});
  });
  it('accepts the global namespace flag everywhere', () => {
    expect(parseArgs(['-n', 'shop', 'pods'], defs).flags).toEqual({ namespace: 'shop' });
    expect(parseArgs(['--namespace=shop'], defs).flags).toEqual({ namespace: 'shop' });
  });
  it('rejects unknown flags with a hint', () => {
    expect(() => parseArgs(['--outptu=wide'], defs)).toThrow(/unknown flag: --outptu\nDid you mean --output\?/);
    expect(() => parseArgs(['-x'], defs)).toThrow(/unknown shorthand flag: 'x' in -x/);
    expect(() => parseArgs(['--replicas'], defs)).toThrow(/flag needs an argument/);
  });
});

describe('resource types', () => {
  it('knows kubectl short names', () => {
    expect(['po', 'pod', 'pods'].map(resourceType)).toEqual(['pods', 'pods', 'pods']);
    expect(['deploy', 'deployment', 'deployments', 'deployments.apps'].map(resourceType)).toEqual(Array(4).fill('deployments'));
    expect(['no', 'nodes', 'svc', 'rs', 'ep', 'ev'].map(resourceType)).toEqual(['nodes', 'nodes', 'services', 'replicasets', 'endpoints', 'events']);
  });
  it('suggests the closest type on a typo', () => {
    expect(() => resourceType('podz')).toThrow(/the server doesn't have a resource type "podz"\nDid you mean "pod/);
  });
  it('reads TYPE/NAME and TYPE NAME forms', () => {
    expect(typeAndNames(['deployment/web'])).toEqual({ type: 'deployments', names: ['web'] });
    expect(typeAndNames(['deploy', 'web', 'api'])).toEqual({ type: 'deployments', names: ['web', 'api'] });
    expect(typeAndNames(['pods'])).toEqual({ type: 'pods', names: [] });
    expect(() => typeAndNames(['pods', 'pod/x'])).toThrow(/resource\/name form/);
  });
});
