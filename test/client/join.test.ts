import { describe, expect, it } from 'vitest';
import { JoinOptions } from '../../shared/protocol.ts';
import { readJoinForm, speedFromUrl } from '../../client/src/view/join.ts';

describe('join form', () => {
  it('builds options the server accepts', () => {
    const r = readJoinForm({ name: '  ada  ', scenario: 'online-boutique', seed: '42', search: '' });
    expect(r).toEqual({ ok: true, options: { name: 'ada', scenario: 'online-boutique', seed: 42 } });
    if (r.ok) expect(JoinOptions.safeParse(r.options).success).toBe(true);
    expect(readJoinForm({ name: 'bob', scenario: '', seed: '', search: '' })).toEqual({ ok: true, options: { name: 'bob' } });
  });

  it('names the field that is wrong', () => {
    expect(readJoinForm({ name: '  ', scenario: '', seed: '', search: '' })).toMatchObject({ ok: false, field: 'name' });
    expect(readJoinForm({ name: 'a', scenario: '', seed: '-1', search: '' })).toMatchObject({ ok: false, field: 'seed' });
    expect(readJoinForm({ name: 'a', scenario: '', seed: '4294967296', search: '' })).toMatchObject({ ok: false, field: 'seed' });
    expect(readJoinForm({ name: 'a', scenario: '', seed: '1.5', search: '' })).toMatchObject({ ok: false, field: 'seed' });
  });

  it('reads ?speed=N as the time dilation, ignoring values the server would refuse', () => {
    expect(speedFromUrl('?speed=60')).toBe(60);
    expect(speedFromUrl('?speed=500')).toBeUndefined();
    expect(speedFromUrl('?speed=')).toBeUndefined();
    expect(speedFromUrl('')).toBeUndefined();
    const r = readJoinForm({ name: 'a'.repeat(40), scenario: '', seed: '', search: '?speed=30' });
    expect(r).toEqual({ ok: true, options: { name: 'a'.repeat(32), timeDilation: 30 } });
  });
});
