/**
 * The bots on `kubelet-cert-expiry` (issue 7), injected by a trainer into online-boutique: from what a
 * player sees only — a `NotReady` Node in `kubectl get nodes`, its kubelet journal over ssh showing
 * `Unauthorized` — they issue the Node a new kubelet client certificate through the console
 * (`kubeadm kubeconfig user ...`) and the incident is mitigated. Times are sim seconds.
 */
import { describe, expect, it } from 'vitest';
import { resolveSimInput } from '../../server/scenarios/index.ts';
import { botViewOf, consoleLine } from '../../server/cli/headless.ts';
import { DEFAULT_TEAM_ID } from '../../shared/game/index.ts';
import { botSeed, createBot, type BotLevel, type BotReply } from '../../shared/game/bots/index.ts';
import { seat } from './helpers.ts';
import { createMatch, getTeam, inject, join as joinMatch, playMatch } from '../../shared/game/index.ts';

/** online-boutique for 1500 s, the incident injected at 120 s on its first Node; the bot's lines and the outcome. */
function play(level: BotLevel): { node: string; lines: string[]; writes: string[]; mitigatedAt: number | null; startedAt: number | null } {
  const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 1, durationSeconds: 1500 });
  input.incidents = [];
  const node = [...input.nodes!].map((n) => n.name).sort()[0]!;
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const team = getTeam(match, DEFAULT_TEAM_ID);
  const trainer = seat(match, 'trainer', DEFAULT_TEAM_ID, true);
  const joined = joinMatch(match, { name: `bot-${level}`, team: DEFAULT_TEAM_ID });
  if (!joined.ok) throw new Error(joined.error);
  const bot = createBot({ level, seed: botSeed(1, `bot-${level}`), timeDilation: 4 });
  let replies: BotReply[] = [];
  const lines: string[] = [];
  const writes: string[] = [];
  playMatch(match, {
    beforeTick: () => {
      if (team.sim.t === 120) expect(inject(match, trainer, DEFAULT_TEAM_ID, { type: 'kubelet-cert-expiry', target: node })).toMatchObject({ ok: true });
      const typed = bot.observe(botViewOf(team.sim, replies));
      replies = [];
      for (const command of typed) {
        const r = consoleLine(match, joined.player.id, team.sim, command);
        replies.push({ command, ok: r.ok, text: r.text });
        lines.push(command);
        if (r.action && r.ok) writes.push(command);
      }
    },
  });
  const inc = team.sim.incidents[0];
  return { node, lines, writes, mitigatedAt: inc?.mitigatedAt ?? null, startedAt: inc?.startedAt ?? null };
}

describe('bots on kubelet-cert-expiry (injected by a trainer)', () => {
  it('the expert reads the NotReady Node\'s kubelet journal and issues it a new client certificate', () => {
    const res = play('expert');
    const renew = `kubeadm kubeconfig user --org system:nodes --client-name system:node:${res.node}`;
    const journal = res.lines.indexOf(`ssh ${res.node} sudo journalctl -u kubelet -n 20 --no-pager`);
    expect(journal).toBeGreaterThanOrEqual(0);
    expect(res.writes).toContain(renew);
    expect(res.lines.indexOf(renew)).toBeGreaterThan(journal); // diagnosed first, from the journal
    expect(res.mitigatedAt).not.toBeNull();
  });

  it('a Node whose machine is down gets no certificate (ssh answers No route to host)', () => {
    const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 1, durationSeconds: 900 });
    input.incidents = [];
    const node = [...input.nodes!].map((n) => n.name).sort()[0]!;
    const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
    const team = getTeam(match, DEFAULT_TEAM_ID);
    const trainer = seat(match, 'trainer', DEFAULT_TEAM_ID, true);
    const joined = joinMatch(match, { name: 'bot-expert', team: DEFAULT_TEAM_ID });
    if (!joined.ok) throw new Error(joined.error);
    const bot = createBot({ level: 'expert', seed: botSeed(1, 'bot-expert'), timeDilation: 4 });
    let replies: BotReply[] = [];
    const lines: string[] = [];
    playMatch(match, {
      beforeTick: () => {
        if (team.sim.t === 120) expect(inject(match, trainer, DEFAULT_TEAM_ID, { type: 'node-failure', target: node })).toMatchObject({ ok: true });
        const typed = bot.observe(botViewOf(team.sim, replies));
        replies = [];
        for (const command of typed) {
          const r = consoleLine(match, joined.player.id, team.sim, command);
          replies.push({ command, ok: r.ok, text: r.text });
          lines.push(command);
        }
      },
    });
    expect(lines).toContain(`ssh ${node} sudo journalctl -u kubelet -n 20 --no-pager`);
    expect(lines.some((l) => l.startsWith('kubeadm kubeconfig user'))).toBe(false);
  });
});
