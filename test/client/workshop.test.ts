/**
 * Joining a workshop by code (client/src/view/workshop.ts): the code from a field, a pasted link or
 * `?workshop=CODE`; the by-code answer's errors (unknown code, ended, no room yet); the join options.
 */
import { describe, expect, it } from 'vitest';
import { JoinOptions } from '../../shared/protocol.ts';
import { readByCodeAnswer, trainerNotice, readWorkshopBroadcast, readWorkshopCode, teamList, workshopCodeFromUrl, workshopJoinOptions, workshopLink } from '../../client/src/view/workshop.ts';

describe('the workshop code', () => {
  it('reads a typed code, a code typed in groups and a pasted link', () => {
    expect(readWorkshopCode('  K7QM-2XPA ')).toBe('K7QM-2XPA');
    expect(readWorkshopCode('K7QM 2XPA')).toBe('K7QM2XPA');
    expect(readWorkshopCode('https://gameday.example/?workshop=K7QM2XPA&x=1')).toBe('K7QM2XPA');
    expect(workshopCodeFromUrl('?workshop=abcd1234')).toBe('abcd1234');
  });

  it('refuses what cannot be a code', () => {
    expect(readWorkshopCode('')).toBeNull();
    expect(readWorkshopCode('ab')).toBeNull();
    expect(readWorkshopCode('<script>')).toBeNull();
    expect(readWorkshopCode('?workshop=%E0%A4%A')).toBeNull();
    expect(workshopCodeFromUrl('?speed=4')).toBeNull();
  });
});

describe('the by-code answer', () => {
  const open = { id: 'w1', title: 'SRE 101', status: 'lobby', roomId: 'room1', teams: 2, teamChoice: 'players', mode: 'race' };

  it('gives the workshop with its teams', () => {
    const r = readByCodeAnswer('K7QM', 200, open);
    expect(r).toEqual({ ok: true, workshop: { id: 'w1', code: 'K7QM', title: 'SRE 101', status: 'lobby', roomId: 'room1', teams: ['blue', 'red'], teamChoice: 'players', mode: 'race' } });
    expect(teamList(['blue', { id: 'red' }, 'Bad Team'])).toEqual(['blue', 'red']);
  });

  it('says when the code is unknown, the workshop ended or has no match yet', () => {
    expect(readByCodeAnswer('NOPE1', 404, { error: 'not found' })).toEqual({ ok: false, error: expect.stringContaining('No workshop has the code NOPE1') });
    expect(readByCodeAnswer('K7QM', 200, { ...open, status: 'ended' })).toEqual({ ok: false, error: expect.stringContaining('has ended') });
    expect(readByCodeAnswer('K7QM', 200, { ...open, roomId: '' })).toEqual({ ok: false, error: expect.stringContaining('no match open yet') });
    expect(readByCodeAnswer('K7QM', 500, { error: 'database down' })).toEqual({ ok: false, error: 'database down' });
    expect(readByCodeAnswer('K7QM', 429, null)).toEqual({ ok: false, error: expect.stringContaining('wait a minute') });
  });
});

describe('joining a workshop', () => {
  it('adds the code, and the team only when players pick', () => {
    const player = { name: 'ann', token: 'tok', team: 'green' };
    const picks = { code: 'K7QM', teamChoice: 'players' as const, teams: ['blue', 'red'] };
    expect(workshopJoinOptions(player, picks, 'red')).toEqual({ name: 'ann', token: 'tok', workshop: 'K7QM', team: 'red' });
    expect(workshopJoinOptions(player, picks, 'pink')).toEqual({ name: 'ann', token: 'tok', workshop: 'K7QM' });
    expect(workshopJoinOptions(player, { ...picks, teamChoice: 'auto' }, 'red')).toEqual({ name: 'ann', token: 'tok', workshop: 'K7QM' });
    const { workshop: _w, ...rest } = workshopJoinOptions({ name: 'bob' }, picks, 'blue');
    expect(JoinOptions.safeParse(rest).success).toBe(true);
  });

  it('makes the link and follows the next scenario', () => {
    expect(workshopLink('http://127.0.0.1:2567/', 'K7QM')).toBe('http://127.0.0.1:2567/?workshop=K7QM');
    expect(readWorkshopBroadcast({ op: 'next', roomId: 'r2' })).toEqual({ op: 'next', roomId: 'r2' });
    expect(readWorkshopBroadcast({ op: 'next' })).toBeNull();
    expect(readWorkshopBroadcast('x')).toBeNull();
  });
});

describe('a trainer notice', () => {
  it('puts hints and messages on the banner, not roster notices', () => {
    expect(trainerNotice({ text: 'look at the last rollout', kind: 'hint', from: 'coach' })).toBe('Hint from coach: look at the last rollout');
    expect(trainerNotice({ text: 'Message from coach: break in 5', kind: 'message', from: 'coach' })).toBe('Message from coach: break in 5');
    expect(trainerNotice({ text: 'break in 5', kind: 'message' })).toBe('Message from your trainer: break in 5');
    expect(trainerNotice({ text: 'ann joined team blue' })).toBeNull();
  });
});
