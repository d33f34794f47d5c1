import { describe, it, expect } from 'vitest';
import {
  QuantityError,
  formatCpu,
  formatMemoryMiB,
  parseCpuMillicores,
  parseMemoryMiB,
  parseQuantity,
} from '../../shared/manifests/quantity.ts';

describe('parseQuantity (k8s.io/apimachinery resource.Quantity)', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['0', 0],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.', 1],
    ['+2', 2],
    ['-1', -1],
    ['1k', 1e3],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['1Mi', 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1Pi', 2 ** 50],
    ['1Ei', 2 ** 60],
    ['1e3', 1000],
    ['1E3', 1000],
    ['5e-3', 0.005],
    ['10n', 1e-8],
    ['10u', 1e-5],
    [' 128Mi ', 128 * 2 ** 20],
    [3, 3],
    [0.25, 0.25],
  ] as const)('%j -> %d', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['12x', 'unknown suffix "x"'],
    ['', 'empty'],
    ['Mi', 'must start with a number'],
    ['1.2.3', 'unknown suffix ".3"'],
    ['1Ki2', 'unknown suffix "Ki2"'],
    ['128MB', 'did you mean "Mi"?'],
    ['1gi', 'did you mean "Gi"?'],
    ['1K', 'did you mean "k" (1000) or "Ki" (1024)?'],
    ['1e', 'unknown suffix "e"'],
    ['-', 'must start with a number'],
  ])('rejects %j with a clear message', (input, fragment) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(`invalid quantity ${JSON.stringify(input)}`);
    expect(() => parseQuantity(input)).toThrow(fragment);
  });

  it('rejects non-finite numbers', () => {
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
    expect(() => parseQuantity(Infinity)).toThrow(QuantityError);
  });
});

describe('parseCpuMillicores', () => {
  it.each([
    ['100m', 100],
    ['0.5', 500],
    ['2', 2000],
    [2, 2000],
    ['1500m', 1500],
    ['0.1', 100],
    ['1e-4', 1], // rounded up to 1m like Quantity.MilliValue()
    ['250m', 250],
  ] as const)('%j -> %d millicores', (input, expected) => {
    expect(parseCpuMillicores(input)).toBe(expected);
  });

  it('rejects negative CPU', () => {
    expect(() => parseCpuMillicores('-100m')).toThrow('must not be negative');
  });
});

describe('parseMemoryMiB', () => {
  it.each([
    ['128Mi', 128],
    ['1Gi', 1024],
    ['512Ki', 0.5],
    ['134217728', 128],
    [134217728, 128],
    ['1G', 953.67431640625],
    ['500M', 476.837158203125],
  ] as const)('%j -> %d MiB', (input, expected) => {
    expect(parseMemoryMiB(input)).toBeCloseTo(expected, 9);
  });
});

describe('formatting', () => {
  it.each([
    [512, '512Mi'],
    [2048, '2Gi'],
    [1024 * 1024, '1Ti'],
    [0.5, '512Ki'],
    [1536, '1536Mi'],
    [0, '0'],
  ])('formatMemoryMiB(%d) = %s', (mib, text) => {
    expect(formatMemoryMiB(mib)).toBe(text);
    expect(parseMemoryMiB(text)).toBeCloseTo(mib, 9);
  });

  it.each([
    [100, '100m'],
    [1500, '1500m'],
    [2000, '2'],
    [0, '0'],
    [99.2, '100m'],
  ])('formatCpu(%d) = %s', (m, text) => {
    expect(formatCpu(m)).toBe(text);
  });
});
