/**
 * The built-in bots (shared/game/bots) playing every built-in scenario headless through the console
 * path (server/cli/headless.ts, the loop `gameday sim --bot` runs): skill shows in the score, bots act
 * only through console lines attributed to them, and they read only what a player sees.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listScenarios, resolveSimInput } from '../../server/scenarios/index.ts';
import { botViewOf, consoleLine, runHeadless, type HeadlessResult } from '../../server/cli/headless.ts';
import { DEFAULT_TEAM_ID, teamSummary } from '../../shared/game/index.ts';
import { BOT_LEVELS, botSeed, createBot, type BotLevel, type BotReply } from '../../shared/game/bots/index.ts';
import {
  formatMemory,
  formatQuotaAmount,
  parseAge,
  parseDescribePod,
  parseDrainRefusals,
  parseEndpointHealth,
  parseEtcdRevision,
  parseHpaTargets,
  parseMemoryMiB,
  parseQuotaUsage,
  parseRestarts,
  parseTable,
  quotaAmount,
} from '../../shared/game/bots/read.ts';
import { stateHash } from '../../shared/sim/index.ts';
import { seat, simOf, typeInto } from './helpers.ts';
import { createMatch, advance, getTeam, inject, join as joinMatch, playMatch, type InjectRequest } from '../../shared/game/index.ts';
import type { HorizontalPodAutoscalerManifest } from '../../shared/sim/index.ts';

function play(scenario: string, level: BotLevel, seed = 1): HeadlessResult {
  const r = resolveSimInput({ scenario, seed });
  return runHeadless(r.input, [], { bots: [{ level }], timeDilation: r.timeDilation ?? 4 });
}

/**
 * Scenarios where a novice cannot do better than idle, and why (the test still checks novice >= idle):
 * boutique-node-failure: Kubernetes evicts the failed Node's Pods ~340 s after the failure, 85 real s at
 * the scenario's 4x, before a novice (100-140 real s after the page) has typed anything; nothing is left
 * to fix by then, so novice and idle spend the same budget.
 */
const NOVICE_TIES_IDLE = new Set(['boutique-node-failure']);

describe('bots on every built-in scenario (full length, seed 1)', () => {
  const scenarios = listScenarios().map((s) => s.id);
  const results = new Map<string, Map<BotLevel, HeadlessResult>>();
  for (const id of scenarios) results.set(id, new Map(BOT_LEVELS.map((level) => [level, play(id, level)])));
  const score = (id: string, level: BotLevel) => teamSummary(results.get(id)!.get(level)!.match, DEFAULT_TEAM_ID).score;

  it.each(scenarios)('%s: scores order idle < novice < expert', (id) => {
    const [idle, novice, expert] = [score(id, 'idle'), score(id, 'novice'), score(id, 'expert')];
    if (NOVICE_TIES_IDLE.has(id)) expect(novice).toBeGreaterThanOrEqual(idle);
    else expect(novice).toBeGreaterThan(idle);
    expect(expert).toBeGreaterThan(novice);
  });

  it.each(scenarios)('%s: the expert mitigates every incident the scenario starts, after acting', (id) => {
    const expert = teamSummary(results.get(id)!.get('expert')!.match, DEFAULT_TEAM_ID);
    for (const incident of expert.incidents) expect(incident.mitigatedAt, `${id}: ${JSON.stringify(incident)}`).not.toBeNull();
    expect(results.get(id)!.get('expert')!.bots[0]!.actions).toBeGreaterThan(0);
  });

  it('idle never types; every accepted action is logged under the bot that typed it', () => {
    for (const id of scenarios) {
      const idle = results.get(id)!.get('idle')!;
      expect(idle.bots[0]).toMatchObject({ name: 'bot-idle', level: 'idle', commands: 0, actions: 0, writes: [], acks: [] });
      expect(idle.log).toEqual([]);
      for (const level of ['novice', 'expert'] as const) {
        const res = results.get(id)!.get(level)!;
        expect(res.log.every((l) => l.player === `bot-${level}`)).toBe(true);
        expect(res.log).toHaveLength(res.bots[0]!.actions);
        expect(res.bots[0]!.writes.filter((w) => w.ok)).toHaveLength(res.log.length);
      }
    }
  });

  it('the expert types the runbook fixes a player would: rollback, memory limit 4x, etcd restore', () => {
    const writes = results.get('online-boutique')!.get('expert')!.bots[0]!.writes.map((w) => w.command);
    expect(writes).toContain('kubectl rollout undo deployment/frontend');
    expect(writes).toContain('kubectl set resources deployment/cartservice --limits=memory=512Mi');
    expect(writes.filter((w) => w.startsWith('etcdctl snapshot restore snapshot.db --name '))).toHaveLength(2);
    const sock = results.get('sock-shop-leak')!.get('expert')!.bots[0]!.writes.map((w) => w.command);
    expect(sock[0]).toMatch(/^kubectl set resources deployment\/carts -n sock-shop --limits=memory=/);
  });

  it('the expert regenerates no control-plane manifest for a leader that restarted once after losing its Lease (etcd quorum loss)', () => {
    for (const id of ['online-boutique', 'night-shift']) {
      const writes = results.get(id)!.get('expert')!.bots[0]!.writes.map((w) => w.command);
      expect(writes.filter((w) => w.startsWith('etcdctl snapshot restore'))).not.toEqual([]);
      expect(writes.filter((w) => w.startsWith('kubeadm')), id).toEqual([]);
    }
  });

  it('bots acknowledge the pager when they start working; the expert sooner than the novice', () => {
    const firstAck = (level: BotLevel) => results.get('online-boutique')!.get(level)!.bots[0]!.acks[0];
    const pages = getTeam(results.get('online-boutique')!.get('expert')!.match, DEFAULT_TEAM_ID).workflow.pages;
    expect(firstAck('expert')).toEqual({ page: 'page-1', t: expect.any(Number) });
    expect(pages[0]).toMatchObject({ id: 'page-1', ackedBy: 'bot-expert' });
    expect(firstAck('expert')!.t).toBeLessThan(firstAck('novice')!.t);
  });

  it('the novice raises the cartservice limit too little first (2x of 128Mi < the 300 MiB plateau), then again', () => {
    const writes = results.get('online-boutique')!.get('novice')!.bots[0]!.writes.map((w) => w.command);
    const raises = writes.filter((w) => w.startsWith('kubectl set resources deployment/cartservice'));
    expect(raises).toEqual(['kubectl set resources deployment/cartservice --limits=memory=256Mi', 'kubectl set resources deployment/cartservice --limits=memory=512Mi']);
  });

  it('is deterministic: the same seed gives the same state hash; another seed may play differently', () => {
    const again = play('guestbook', 'expert');
    expect(stateHash(again.state)).toBe(stateHash(results.get('guestbook')!.get('expert')!.state));
    expect(again.bots).toEqual(results.get('guestbook')!.get('expert')!.bots);
  });
});

/** What {@link injected} returns. */
interface Injected {
  /** The bot's accepted write lines, in order. */
  writes: string[];
  /** The incident's mitigation time (sim s), or null. */
  mitigatedAt: number | null;
  /** Availability and latency SLIs over the match's last 300 sim s (good / valid events), and the SLO targets. */
  recent: { availability: number; latency: number };
  targets: { availability: number; latency: number };
}

/** frontend scaled by an HPA between 1 and 2 replicas at 80 % CPU (a ceiling set for normal days). */
const FRONTEND_HPA: HorizontalPodAutoscalerManifest = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'frontend' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' }, minReplicas: 1, maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
};

/**
 * Online Boutique without its schedule (with `autoscalers` when given), 1,500 sim s at 4x; a trainer
 * injects `incident` at t = 120 s and a bot of `level` plays through the console.
 */
function injected(incident: InjectRequest, level: BotLevel, autoscalers?: HorizontalPodAutoscalerManifest[]): Injected {
  const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 1, durationSeconds: 1500 });
  input.incidents = [];
  if (autoscalers) input.autoscalers = autoscalers;
  const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
  const team = getTeam(match, DEFAULT_TEAM_ID);
  const trainer = seat(match, 'trainer', DEFAULT_TEAM_ID, true);
  const joined = joinMatch(match, { name: `bot-${level}`, team: DEFAULT_TEAM_ID });
  if (!joined.ok) throw new Error(joined.error);
  const bot = createBot({ level, seed: botSeed(1, `bot-${level}`), timeDilation: 4 });
  let replies: BotReply[] = [];
  const writes: string[] = [];
  const end = input.settings.durationSeconds;
  const at = (t: number) => (team.sim.t === t ? { a: { ...team.sim.slos.availability }, l: { ...team.sim.slos.latency } } : null);
  let from: ReturnType<typeof at> = null;
  playMatch(match, {
    beforeTick: () => {
      if (team.sim.t === 120) expect(inject(match, trainer, DEFAULT_TEAM_ID, incident)).toMatchObject({ ok: true });
      const lines = bot.observe(botViewOf(team.sim, replies));
      replies = [];
      for (const command of lines) {
        const r = consoleLine(match, joined.player.id, team.sim, command);
        replies.push({ command, ok: r.ok, text: r.text });
        if (r.action && r.ok) writes.push(command);
      }
      from ??= at(end - 300);
    },
  });
  const { availability: a, latency: l } = team.sim.slos;
  const ratio = (good: number, valid: number) => (valid > 0 ? good / valid : 1);
  return {
    writes,
    mitigatedAt: team.sim.incidents[0]?.mitigatedAt ?? null,
    recent: { availability: ratio(a.good - from!.a.good, a.valid - from!.a.valid), latency: ratio(l.good - from!.l.good, l.valid - from!.l.valid) },
    targets: { availability: a.target, latency: l.target },
  };
}

/** The incident is mitigated and both SLIs of the last 300 s meet their SLO targets. */
function expectRecovered(res: Injected): void {
  expect(res.mitigatedAt, JSON.stringify(res.writes)).not.toBeNull();
  expect(res.recent.availability).toBeGreaterThanOrEqual(res.targets.availability);
  expect(res.recent.latency).toBeGreaterThanOrEqual(res.targets.latency);
}

describe('bots on other incident kinds (injected by a trainer)', () => {
  it('the expert rolls back a bad image tag that pages nobody, from the Warning events and the failing Pods', () => {
    const res = injected({ type: 'bad-image-tag', target: 'frontend' }, 'expert');
    expect(res.writes).toEqual(['kubectl rollout undo deployment/frontend']);
    expect(res.mitigatedAt).not.toBeNull();
  });

  it('both levels roll back a misconfigured liveness probe (crash-looping, not OOMKilled: no memory fix)', () => {
    for (const level of ['novice', 'expert'] as const) {
      const res = injected({ type: 'liveness-misconfig', target: 'frontend' }, level);
      expect(res.writes).toEqual(['kubectl rollout undo deployment/frontend']);
      expect(res.mitigatedAt).not.toBeNull();
    }
  });

  it('the expert scales out the saturated tiers of a traffic spike (kubectl top pods, describe deployment)', () => {
    const res = injected({ type: 'traffic-spike', target: 'frontend' }, 'expert');
    expect(res.writes).toContain('kubectl scale deployment/frontend --replicas=2');
    expect(res.mitigatedAt).not.toBeNull();
  });
});

describe('bots on the kube-system, quota, disruption and zone kinds (issue 7; expert, injected at t = 120 s)', () => {
  it('readiness-failure: new Pods Running 0/1 for a minute (Unhealthy events wake it): rollout undo', () => {
    const res = injected({ type: 'readiness-failure', target: 'frontend' }, 'expert');
    expect(res.writes).toEqual(['kubectl rollout undo deployment/frontend']);
    expectRecovered(res);
  });

  it('pdb-drain: drains on MaintenanceScheduled, gives the budget a spare replica when refused, drains again, uncordons after Rebooted', () => {
    const res = injected({ type: 'pdb-drain', target: 'node-a1' }, 'expert');
    const drain = 'kubectl drain node-a1 --ignore-daemonsets --delete-emptydir-data';
    expect(res.writes).toEqual([drain, 'kubectl scale deployment/emailservice --replicas=2', drain, 'kubectl uncordon node-a1']);
    expect(res.mitigatedAt!).toBeLessThan(120 + 900); // before the reboot
    expectRecovered(res);
  });

  it('resource-quota: the FailedCreate "exceeded quota" event, kubectl get resourcequota -A, the used-up resource doubled', () => {
    const res = injected({ type: 'resource-quota', target: 'frontend' }, 'expert');
    expect(res.writes[0]).toMatch(/^kubectl patch resourcequota compute-quota --type merge -p '\{"spec":\{"hard":\{"requests\.cpu":"\d+m"\}\}\}'$/);
    expectRecovered(res);
  });

  it('zone-partition: drains the NotReady Nodes of the zone, uncordons them once the partition healed', () => {
    const res = injected({ type: 'zone-partition', target: 'europe-west1-a' }, 'expert');
    expect(res.writes.slice(0, 2)).toEqual(['kubectl drain node-a1 --ignore-daemonsets --delete-emptydir-data', 'kubectl drain node-a2 --ignore-daemonsets --delete-emptydir-data']);
    expect(res.writes.slice(2).sort()).toEqual(['kubectl uncordon node-a1', 'kubectl uncordon node-a2']);
    expectRecovered(res);
  });

  it('etcd-nospace (pages nobody): the etcd glance shows alarm:NOSPACE; compact to the revision, defrag, disarm', () => {
    const res = injected({ type: 'etcd-nospace', target: 'etcd' }, 'expert');
    expect(res.writes).toEqual([expect.stringMatching(/^etcdctl compact \d+$/), 'etcdctl defrag --cluster', 'etcdctl alarm disarm']);
    expectRecovered(res);
  });

  it('etcd-member-loss (pages nobody): the etcd glance cannot reach a member; endpoint health, snapshot restore', () => {
    const res = injected({ type: 'etcd-member-loss', target: 'etcd-1' }, 'expert');
    expect(res.writes).toEqual(['etcdctl snapshot restore snapshot.db --name etcd-1']);
    expectRecovered(res);
  });

  it.each([
    ['kube-scheduler', 'scheduler'],
    ['kube-controller-manager', 'controller-manager'],
  ])('control-plane-down %s: a crash-looping static Pod, not OOMKilled: kubeadm init phase control-plane %s', (target, phase) => {
    const res = injected({ type: 'control-plane-down', target }, 'expert');
    expect(res.writes).toEqual([`kubeadm init phase control-plane ${phase}`]);
    expectRecovered(res);
  });

  it('coredns-outage: the coredns Pods OOMKilled at 170Mi: their limit raised 4x in kube-system', () => {
    const res = injected({ type: 'coredns-outage', target: 'coredns' }, 'expert');
    expect(res.writes).toEqual(['kubectl set resources deployment/coredns -n kube-system --limits=memory=680Mi']);
    expectRecovered(res);
  });

  it('traffic-spike with the HPA at its maximum: kubectl get hpa -A, maxReplicas doubled (no kubectl scale of the HPA\'s Deployment)', () => {
    const spike: InjectRequest = { type: 'traffic-spike', target: 'frontend', params: { factor: 6 } };
    const res = injected(spike, 'expert', [FRONTEND_HPA]);
    expect(res.writes[0]).toBe(`kubectl patch hpa frontend -p '{"spec":{"maxReplicas":4}}'`);
    expect(res.writes.filter((w) => w.startsWith('kubectl scale deployment/frontend '))).toEqual([]);
    expectRecovered(res);
    expect(injected(spike, 'idle', [FRONTEND_HPA]).recent.latency).toBeLessThan(res.targets.latency); // it does hurt
  });

  it('the novice (pager only, no glances) fixes CoreDNS later and with 2x; it never sees a NOSPACE alarm that pages nobody', () => {
    const expert = injected({ type: 'coredns-outage', target: 'coredns' }, 'expert');
    const novice = injected({ type: 'coredns-outage', target: 'coredns' }, 'novice');
    expect(novice.writes).toEqual(['kubectl set resources deployment/coredns -n kube-system --limits=memory=340Mi']);
    expect(novice.mitigatedAt!).toBeGreaterThan(expert.mitigatedAt!);
    const nospace = injected({ type: 'etcd-nospace', target: 'etcd' }, 'novice');
    expect(nospace).toMatchObject({ writes: [], mitigatedAt: null });
  });
});

describe('what a bot may read', () => {
  it('imports nothing outside shared/game/bots (no sim, no incident list, no schedule)', () => {
    const dir = join(import.meta.dirname, '..', '..', 'shared', 'game', 'bots');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const s of specifiers) expect(s, `${file} imports ${s}`).toMatch(/^\.\/[a-z-]+\.ts$/);
    }
  });

  it('ignores IncidentStarted events (their message names the cause) and acts on a page', () => {
    const bot = createBot({ level: 'expert', seed: 1, timeDilation: 1 });
    const marker = { seq: 1, t: 10, type: 'Warning', reason: 'IncidentStarted', kind: 'Deployment', name: 'frontend', message: 'frontend v2 fails 15 % of requests' };
    const typed: string[] = [];
    let lines: string[] = [];
    const quiet = (t: number) => bot.observe({ t, alerts: [], events: [marker], replies: lines.map((command) => ({ command, ok: true, text: '' })) });
    for (let t = 0; t < 600; t++) typed.push(...(lines = quiet(t)));
    // Only its habits: the etcd member list once, a glance at the Nodes and at etcd now and then.
    expect(new Set(typed)).toEqual(new Set(['etcdctl member list', 'kubectl get nodes', 'etcdctl endpoint status -w table']));
    const page = { id: 'availability-page-fast', severity: 'page', slo: 'availability', since: 600, summary: 'burn rate 15x' };
    const after: string[] = [];
    for (let t = 600; t < 700; t++) {
      lines = bot.observe({ t, alerts: [page], events: [marker], replies: lines.map((command) => ({ command, ok: true, text: '' })) });
      after.push(...lines);
    }
    // 30-60 s (time dilation 1) after the page: the investigation round.
    expect(after).toEqual(expect.arrayContaining(['kubectl get pods -A -o wide', 'kubectl get rs -A']));
  });
});

describe('reading console output', () => {
  it('slices kubectl tables by header offsets, keeping spaces inside cells', () => {
    // kubeSystem off: the table is the scenario's one Pod (kube-system's Pods are read in the test below).
    const match = createMatch({ input: { ...resolveSimInput({ scenario: 'first-oom', seed: 1 }).input, kubeSystem: false }, teams: [DEFAULT_TEAM_ID] });
    seat(match, 'ann');
    for (let i = 0; i < 700; i++) advance(match);
    const rows = parseTable(typeInto(match, 'kubectl get pods -A -o wide', 'ann'));
    expect(rows).toHaveLength(1);
    const pod = rows[0]!;
    expect(pod.get('NAMESPACE')).toBe('default');
    expect(pod.get('RESTARTS')).toMatch(/^\d+ \(\S+ ago\)$/);
    expect(parseRestarts(pod.get('RESTARTS')!)).toBeGreaterThan(0);
    expect(pod.get('NODE')).toBe(Object.values(simOf(match).pods)[0]!.spec.nodeName);
    expect(pod.get('NOMINATED NODE')).toBe('<none>');
    const described = parseDescribePod(typeInto(match, `kubectl describe pod ${pod.get('NAME')}`, 'ann'));
    expect(described.containers).toEqual([expect.objectContaining({ lastReason: 'OOMKilled', memoryLimitMiB: 512 })]);
    expect(described.replicaSet).toMatch(/^podinfo-/);
  });

  it('reads a static Pod from describe, quota usage, HPA targets, the etcd revision and drain refusals (real console output)', () => {
    const { input } = resolveSimInput({ scenario: 'online-boutique', seed: 1, durationSeconds: 600 });
    input.incidents = [];
    input.autoscalers = [FRONTEND_HPA];
    const match = createMatch({ input, teams: [DEFAULT_TEAM_ID] });
    const trainer = seat(match, 'trainer', DEFAULT_TEAM_ID, true);
    seat(match, 'ann');
    for (let i = 0; i < 60; i++) advance(match);
    expect(inject(match, trainer, DEFAULT_TEAM_ID, { type: 'pdb-drain', target: 'node-a1' })).toMatchObject({ ok: true });
    expect(inject(match, trainer, DEFAULT_TEAM_ID, { type: 'resource-quota', target: 'frontend' })).toMatchObject({ ok: true });
    for (let i = 0; i < 30; i++) advance(match);
    const scheduler = parseDescribePod(typeInto(match, 'kubectl describe pod kube-scheduler-control-plane-0 -n kube-system', 'ann'));
    expect(scheduler).toMatchObject({ staticPod: true, replicaSet: '', labels: ['component=kube-scheduler', 'tier=control-plane'] });
    expect(parseDescribePod(typeInto(match, `kubectl describe pod ${simOf(match).pods[Object.keys(simOf(match).pods).find((k) => k.startsWith('default/frontend-'))!]!.metadata.name}`, 'ann')).staticPod).toBe(false);
    const quota = parseTable(typeInto(match, 'kubectl get resourcequota -A', 'ann'))[0]!;
    const cpu = parseQuotaUsage(quota.get('REQUEST')!).get('requests.cpu')!;
    expect(quotaAmount('requests.cpu', cpu.used)).toBe(quotaAmount('requests.cpu', cpu.hard));
    expect([formatQuotaAmount('requests.cpu', 3140), formatQuotaAmount('requests.memory', 2048), formatQuotaAmount('pods', 48)]).toEqual(['3140m', '2Gi', '48']);
    const hpa = parseTable(typeInto(match, 'kubectl get hpa -A', 'ann'))[0]!;
    expect(parseHpaTargets(hpa.get('TARGETS')!)).toEqual({ current: expect.any(Number), target: 80 });
    expect(parseEtcdRevision(typeInto(match, 'etcdctl endpoint status -w json', 'ann'))).toBeGreaterThan(0);
    expect(parseEtcdRevision('not json')).toBeNaN();
    expect(parseDrainRefusals(typeInto(match, 'kubectl drain node-a1 --ignore-daemonsets --delete-emptydir-data', 'ann'))).toEqual([
      { namespace: 'default', pod: expect.stringMatching(/^emailservice-/) },
    ]);
  });

  it('reads ages, quantities and etcd endpoint health', () => {
    expect([parseAge('45s'), parseAge('5m12s'), parseAge('25m'), parseAge('2h10m'), parseAge('3d4h')]).toEqual([45, 312, 1500, 7800, 273600]);
    expect(parseAge('<invalid>')).toBeNaN();
    expect([parseMemoryMiB('128Mi'), parseMemoryMiB('1Gi'), parseMemoryMiB('512Ki')]).toEqual([128, 1024, 0.5]);
    expect([formatMemory(512), formatMemory(2048), formatMemory(1000)]).toEqual(['512Mi', '2Gi', '1000Mi']);
    const health = parseEndpointHealth(
      'https://10.0.0.10:2379 is unhealthy: failed to commit proposal: context deadline exceeded\n' +
        'https://10.0.0.11:2379 is unhealthy: failed to commit proposal: dial tcp 10.0.0.11:2379: connect: connection refused\nError: unhealthy cluster',
    );
    expect(health).toEqual([
      { endpoint: 'https://10.0.0.10:2379', healthy: false, down: false },
      { endpoint: 'https://10.0.0.11:2379', healthy: false, down: true },
    ]);
  });
});
