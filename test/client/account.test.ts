import { describe, it, expect } from 'vitest';
import { describeSession, readAccountForm, readSessionAnswer, restoreSession, tokenExpiry, withSession } from '../../client/src/view/account.ts';

/** A JWT-shaped token with payload `claims` (the client never checks the signature: the server does). */
const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJIUzI1NiJ9.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.sig`;

describe('the account panel', () => {
  it('checks the forms with the server limits and names the field to fix', () => {
    expect(readAccountForm('login', ' Alice ', 'long enough pw')).toEqual({ ok: true, path: '/api/session/login', body: { username: 'alice', password: 'long enough pw' } });
    expect(readAccountForm('register', 'al', 'long enough pw')).toEqual({ ok: false, field: 'username', error: 'username must be 3-32 of a-z, 0-9, _ and -' });
    expect(readAccountForm('register', 'alice', 'short')).toEqual({ ok: false, field: 'password', error: 'password must be 8-128 characters' });
    expect(readAccountForm('guest', 'Gus the Guest', '')).toEqual({ ok: true, path: '/api/session/guest', body: { name: 'Gus the Guest' } });
    expect(readAccountForm('guest', '  ', '')).toMatchObject({ ok: false, field: 'username', error: 'name is required' });
  });

  it('reads the server answers: a session, its error text, or a wait on 429', () => {
    expect(readSessionAnswer(201, { token: 't', name: 'alice', kind: 'account', trainer: true })).toEqual({ ok: true, session: { token: 't', name: 'alice', kind: 'account', trainer: true } });
    expect(readSessionAnswer(401, { error: 'invalid username or password' })).toEqual({ ok: false, error: 'invalid username or password' });
    expect(readSessionAnswer(429, {})).toMatchObject({ ok: false, error: expect.stringContaining('wait a minute') });
    expect(readSessionAnswer(500, null)).toEqual({ ok: false, error: 'The server answered HTTP 500.' });
  });

  it('keeps a stored session until its token expires', () => {
    const token = jwt({ kind: 'account', name: 'alice', exp: 2_000 });
    expect(tokenExpiry(token)).toBe(2_000);
    const raw = JSON.stringify({ token, name: 'alice', kind: 'account', trainer: false });
    expect(restoreSession(raw, 1_999_000)).toMatchObject({ name: 'alice' });
    expect(restoreSession(raw, 2_000_000)).toBeNull();
    expect(restoreSession('not json', 0)).toBeNull();
    expect(restoreSession(null, 0)).toBeNull();
  });

  it('sends the token and its name on join, and says who is signed in', () => {
    const session = { token: 'tok', name: 'alice', kind: 'account' as const, trainer: true };
    expect(withSession({ name: 'typed', seed: 3 }, session)).toEqual({ name: 'alice', seed: 3, token: 'tok' });
    expect(withSession({ name: 'typed' }, null)).toEqual({ name: 'typed' });
    expect(describeSession(session)).toBe('Signed in as alice (trainer).');
    expect(describeSession({ ...session, kind: 'guest', name: 'Gus' })).toBe('Playing as guest Gus.');
    expect(describeSession(null)).toContain('anonymous guest');
  });
});
