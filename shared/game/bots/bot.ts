/**
 * The built-in bot players (issue 8 "Bots"): a responder that plays only through what a player sees.
 * It wakes on the pager (a burn-rate alert starting to fire) and, at `expert`, on Warning events in the
 * events table; after its reaction time it investigates with console reads, diagnoses from the symptoms
 * and types the fixes a runbook gives (kubernetes-behaviour.md; the README's symptom table):
 *
 * | what the console shows | fix typed |
 * | --- | --- |
 * | `kubectl get nodes` answers `etcdserver: request timed out` | `etcdctl endpoint health`, then `etcdctl snapshot restore snapshot.db --name MEMBER` for each member whose endpoint refuses connections (names from `etcdctl member list`, read early) |
 * | a Deployment with a newer ReplicaSet the bot did not cause, scaled up, while an alert fires or its Pods fail to start (`ImagePullBackOff`, `CreateContainerConfigError`, `CrashLoopBackOff`) (`kubectl get rs -A`) | `kubectl rollout undo deployment/X -n NS` |
 * | Pods `CrashLoopBackOff` / `OOMKilled` or with growing restarts, `describe pod` shows `OOMKilled` and `Limits: memory` | `kubectl set resources deployment/X -n NS --limits=memory=(factor x limit)` |
 * | (added) a `NotReady` Node whose kubelet journal (`ssh NODE sudo journalctl -u kubelet`) shows `Unauthorized` / an expired kubelet.conf | `kubeadm kubeconfig user --org system:nodes --client-name system:node:NODE` |
 * | a `NotReady` Node with Pods on it that are not `Terminating` yet, while availability burns | `kubectl drain NODE --ignore-daemonsets --delete-emptydir-data` (expert: `kubectl uncordon NODE` once it is `Ready` again) |
 * | alerts fire and nothing above explains them; `kubectl top pods -A` and `describe deployment` show Pods at >= 85 % of their CPU limit | `kubectl scale deployment/X --replicas=2N` |
 *
 * It never reads the incident schedule, the incident list or the cluster: only {@link BotView}. The
 * `IncidentStarted` events (whose message names the cause) are ignored like any player should.
 * Deterministic: its only randomness is its own seeded PRNG (reaction, think and verify times).
 *
 * Time: all `t` are sim seconds; profile times are real seconds x `timeDilation`.
 *
 * May import: ./types.ts, ./profiles.ts, ./read.ts.
 */
import { BOT_PROFILES } from './profiles.ts';
import {
  cell,
  deploymentOfReplicaSet,
  formatMemory,
  parseAge,
  parseDescribeDeployment,
  parseDescribePod,
  parseMillicores,
  parseEndpointHealth,
  parseMemberList,
  parseRestarts,
  parseTable,
  replicaSetOfPod,
  serviceOfAlert,
  type Row,
} from './read.ts';
import type { Bot, BotLevel, BotOptions, BotProfile, BotReply, BotView } from './types.ts';

/** The console error while etcd has no quorum (shared/kubectl: `Error from server: etcdserver: request timed out`). */
const API_TIMEOUT = 'etcdserver: request timed out';

/** Event reasons a bot does not react to: the game's own incident markers name the cause, a player should not read them. */
function ignoredReason(reason: string): boolean {
  return reason.startsWith('Incident');
}

/** 32-bit FNV-1a of a string (deriving a bot's seed from the match seed and its name). */
function fnv32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The seed of a bot named `name` in a match seeded `matchSeed` (uint32): different bots of one match
 * draw different times, the same bot in the same match always the same.
 */
export function botSeed(matchSeed: number, name: string): number {
  return (fnv32(name) ^ Math.imul(matchSeed >>> 0, 0x9e3779b1)) >>> 0;
}

/** mulberry32: a small seeded PRNG; returns floats in [0, 1). State is the closure's uint32. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A console line the bot will type, and what it does with the reply. */
interface Step {
  command: string;
  onReply?: (reply: BotReply) => void;
}

/** What one investigation round read. */
interface Findings {
  apiDown: boolean;
  nodes: Row[];
  pods: Row[];
  replicaSets: Row[];
}

/** A fix found by {@link BotPlayer.decide}: its priority (lower first, expert only) and its steps. */
interface Fix {
  priority: number;
  steps: Step[];
}

/**
 * A bot player: see the file comment. Create with {@link createBot}.
 */
class BotPlayer implements Bot {
  readonly level: BotLevel;
  readonly name: string;
  private readonly profile: BotProfile;
  private readonly dilation: number;
  private readonly random: () => number;
  private now = 0;
  private started = false;
  /** Lines to type, in order. */
  private queue: Step[] = [];
  /** The line typed whose reply has not come yet. */
  private awaiting: Step | null = null;
  /** Earliest sim second the next line may be typed. */
  private nextAt = 0;
  /** Working an incident: rounds follow each other (verify delays) until the pager is quiet. */
  private engaged = false;
  /** A round of reads is queued or running. */
  private inRound = false;
  /** Sim second the next round starts, or null. */
  private roundAt: number | null = null;
  /** The next round checks first whether anything still fires (a verify round). */
  private verifying = false;
  private firing = new Set<string>();
  private availabilityFiring = false;
  /** The Services the firing alerts are about (first words of their summaries), sorted. */
  private alertedServices: string[] = [];
  private lastSeq = -1;
  /** Unacknowledged pages in the last view. */
  private openPages: string[] = [];
  /** Pages the bot chose to acknowledge, not yet taken; and every page it ever chose. */
  private acks: string[] = [];
  private acked = new Set<string>();
  /** Sim second of the next glance at the cluster while not engaged (expert), or null. */
  private patrolAt: number | null = null;
  /** A Warning event (not an incident marker) arrived since the last round started. */
  private warnedSinceRound = false;
  private findings: Findings = { apiDown: false, nodes: [], pods: [], replicaSets: [] };
  /** etcd member names by client URL, from `etcdctl member list`. */
  private members = new Map<string, string>();
  private membersKnown = false;
  /** Restart counts seen per `namespace/pod`. */
  private restarts = new Map<string, number>();
  private drained = new Map<string, number>();
  private restored = new Map<string, number>();
  private undone = new Set<string>();
  /** Sim second the bot last changed a Deployment's template (`namespace/name`). */
  private touched = new Map<string, number>();
  /** The memory limit (MiB) the bot last set per Deployment. */
  private resized = new Map<string, number>();
  /** Deployments whose crashing Pod was described and was not OOMKilled (another cause: not a memory fix). */
  private notOom = new Set<string>();

  constructor(opts: BotOptions) {
    if (!(opts.timeDilation > 0)) throw new RangeError(`timeDilation must be > 0, got ${opts.timeDilation}`);
    this.level = opts.level;
    this.name = opts.name ?? `bot-${opts.level}`;
    this.profile = BOT_PROFILES[opts.level];
    this.dilation = opts.timeDilation;
    this.random = prng(opts.seed);
  }

  /** A uniform draw from a `[min, max]` range of real seconds, in sim seconds. */
  private draw(range: readonly [number, number]): number {
    return Math.round((range[0] + (range[1] - range[0]) * this.random()) * this.dilation);
  }

  observe(view: BotView): string[] {
    this.now = view.t;
    for (const reply of view.replies) {
      if (this.awaiting !== null && reply.command === this.awaiting.command) {
        const step = this.awaiting;
        this.awaiting = null;
        step.onReply?.(reply);
      }
    }
    const newAlert = this.readPager(view);
    this.openPages = (view.pages ?? []).filter((p) => !p.acked).map((p) => p.id);
    const newWarning = this.readEvents(view);
    if (this.level === 'idle') return [];
    if (!this.started) {
      this.started = true;
      // A habit worth having: map etcd member names to endpoints while the cluster is healthy.
      this.queue.push(this.memberListStep());
      this.nextAt = this.now + this.draw(this.profile.think);
    }
    if (!this.engaged && (newAlert || (this.profile.watchesEvents && newWarning))) {
      this.engaged = true;
      this.verifying = false;
      this.roundAt = this.now + this.draw(this.profile.reaction);
      this.nextAt = Math.max(this.nextAt, this.roundAt);
    }
    if (this.awaiting !== null) return [];
    if (!this.engaged && this.profile.patrol !== null && this.queue.length === 0) {
      if (this.patrolAt === null) this.patrolAt = this.now + this.draw(this.profile.patrol);
      else if (this.now >= this.patrolAt) {
        this.patrolAt = null;
        this.queue.push({ command: 'kubectl get nodes', onReply: (r) => this.readPatrol(r) });
      }
    }
    if (this.queue.length === 0 && this.inRound) {
      this.inRound = false;
      this.verifying = true;
      this.roundAt = this.now + this.draw(this.profile.verify);
    }
    if (this.queue.length === 0 && this.roundAt !== null && this.now >= this.roundAt) {
      this.roundAt = null;
      this.startRound();
      // The responder looks at the pager when a round starts: every open page gets acknowledged.
      if (this.engaged) this.acknowledgeOpenPages();
    }
    if (this.queue.length === 0 || this.now < this.nextAt) return [];
    const step = this.queue.shift()!;
    this.awaiting = step;
    this.nextAt = this.now + this.draw(this.profile.think);
    return [step.command];
  }

  takeAcks(): string[] {
    const out = this.acks;
    this.acks = [];
    return out;
  }

  private acknowledgeOpenPages(): void {
    if (this.level === 'idle') return;
    for (const id of this.openPages) {
      if (this.acked.has(id)) continue;
      this.acked.add(id);
      this.acks.push(id);
    }
  }

  /** Updates the firing set; true when an alert started firing since the last view. */
  private readPager(view: BotView): boolean {
    const now = new Set(view.alerts.map((a) => a.id));
    let fresh = false;
    for (const id of now) if (!this.firing.has(id)) fresh = true;
    this.firing = now;
    this.availabilityFiring = view.alerts.some((a) => a.slo === 'availability');
    this.alertedServices = [...new Set(view.alerts.map((a) => serviceOfAlert(a.summary)).filter((x) => x !== ''))].sort();
    return fresh;
  }

  /** Reads events newer than the last seen; true when a Warning (not an incident marker) arrived. */
  private readEvents(view: BotView): boolean {
    let warned = false;
    for (const e of view.events) {
      if (e.seq <= this.lastSeq) continue;
      if (e.type === 'Warning' && !ignoredReason(e.reason)) warned = true;
    }
    for (const e of view.events) this.lastSeq = Math.max(this.lastSeq, e.seq);
    if (warned) this.warnedSinceRound = true;
    return warned;
  }

  /** Queues a round of reads; a verify round with a quiet pager ends the engagement instead. */
  private startRound(): void {
    if (this.verifying && this.firing.size === 0 && !this.warnedSinceRound) {
      this.engaged = false;
      this.verifying = false;
      return;
    }
    this.verifying = false;
    this.warnedSinceRound = false;
    this.inRound = true;
    this.findings = { apiDown: false, nodes: [], pods: [], replicaSets: [] };
    const nodes: Step = { command: 'kubectl get nodes', onReply: (r) => this.readNodes(r) };
    const pods: Step = { command: 'kubectl get pods -A -o wide', onReply: (r) => this.readPods(r) };
    const rs: Step = { command: 'kubectl get rs -A', onReply: (r) => this.readReplicaSets(r) };
    if (this.profile.triage) {
      this.queue.push(nodes, pods, rs);
    } else {
      // A novice looks at the Pods first and at the Nodes last.
      this.queue.push(pods, rs, nodes);
    }
  }

  /** A glance while the pager is quiet: a control plane that times out is worked at once. */
  private readPatrol(r: BotReply): void {
    if (r.ok || !r.text.includes(API_TIMEOUT) || this.engaged) return;
    this.engaged = true;
    this.inRound = true;
    this.roundAt = null;
    this.findings = { apiDown: false, nodes: [], pods: [], replicaSets: [] };
    this.apiDown(r);
  }

  private memberListStep(): Step {
    return {
      command: 'etcdctl member list',
      onReply: (r) => {
        if (!r.ok) return;
        for (const m of parseMemberList(r.text)) this.members.set(m.clientUrl, m.name);
        this.membersKnown = this.members.size > 0;
      },
    };
  }

  /** An etcd timeout on any read: the control plane is down, nothing else can be read or fixed. */
  private apiDown(r: BotReply): boolean {
    if (r.ok || !r.text.includes(API_TIMEOUT)) return false;
    if (this.findings.apiDown) return true;
    this.findings.apiDown = true;
    this.queue = [];
    if (!this.membersKnown) this.queue.push(this.memberListStep());
    this.queue.push({ command: 'etcdctl endpoint health', onReply: (h) => this.readEndpointHealth(h) });
    return true;
  }

  private readNodes(r: BotReply): void {
    if (this.apiDown(r) || !r.ok) return;
    this.findings.nodes = parseTable(r.text);
    this.maybeDecide();
  }

  private readPods(r: BotReply): void {
    if (this.apiDown(r) || !r.ok) return;
    this.findings.pods = parseTable(r.text);
    this.maybeDecide();
  }

  private readReplicaSets(r: BotReply): void {
    if (this.apiDown(r) || !r.ok) return;
    this.findings.replicaSets = parseTable(r.text);
    this.maybeDecide();
  }

  /** After the round's last read: decide (the reads' order differs per level). */
  private maybeDecide(): void {
    if (this.queue.some((s) => s.command.startsWith('kubectl get'))) return;
    this.decide();
  }

  private readEndpointHealth(r: BotReply): void {
    const health = parseEndpointHealth(r.text);
    const down = health
      .map((h, i) => ({ h, name: this.members.get(h.endpoint) ?? `etcd-${i}` }))
      .filter(({ h, name }) => h.down && !this.recently(this.restored, name, 8));
    const picked = this.profile.triage ? down : down.slice(0, 1);
    for (const { name } of picked) {
      this.queue.push({
        command: `etcdctl snapshot restore snapshot.db --name ${name}`,
        onReply: (w) => {
          if (w.ok) this.restored.set(name, this.now);
        },
      });
    }
  }

  /** True when `map` holds `key` set less than `thinkTimes` think-time maxima ago. */
  private recently(map: Map<string, number>, key: string, thinkTimes: number): boolean {
    const at = map.get(key);
    return at !== undefined && this.now - at < thinkTimes * this.profile.think[1] * this.dilation;
  }

  /** Turns the round's findings into fixes and queues them (expert: all, by priority; novice: the first found). */
  private decide(): void {
    const fixes: Fix[] = [...this.crashLoopFixes(), ...this.rolloutFixes(), ...this.nodeFixes()];
    if (fixes.length === 0 && this.firing.size > 0) fixes.push(...this.saturationChecks());
    fixes.push(...this.kubeletFixes()); // (added) a NotReady Node's kubelet journal, after the other rules
    if (this.profile.triage) {
      fixes.sort((a, b) => a.priority - b.priority); // stable: discovery order within a priority
      for (const fix of fixes) this.queue.push(...fix.steps);
    } else if (fixes.length > 0) {
      this.queue.push(...fixes[0]!.steps);
    }
  }

  /** (added) NotReady Nodes whose kubelet journal the bot read this episode (cleared once Ready again). */
  private kubeletChecked = new Set<string>();

  /**
   * (added) A `NotReady` Node: read its kubelet's journal (`ssh NODE sudo journalctl -u kubelet`); when
   * it shows the kubelet cannot authenticate (`Unauthorized`, `kubelet.conf is expired`, `Current
   * certificate is expired`), issue it a new client certificate (`kubeadm kubeconfig user --org
   * system:nodes --client-name system:node:NODE`). After every other fix (priority 9), one Node per
   * round, once per NotReady episode of a Node; a host that does not answer ssh (a machine down, a zone
   * cut off) tells the bot the other NotReady Nodes of this round are unreachable too: not read.
   */
  private kubeletFixes(): Fix[] {
    const notReady: string[] = [];
    for (const row of this.findings.nodes) {
      const node = cell(row, 'NAME');
      if (node === '') continue;
      if (cell(row, 'STATUS').startsWith('NotReady')) notReady.push(node);
      else this.kubeletChecked.delete(node);
    }
    const node = notReady.find((n) => !this.kubeletChecked.has(n));
    if (node === undefined) return [];
    this.kubeletChecked.add(node);
    return [{
      priority: 9,
      steps: [
        {
          command: `ssh ${node} sudo journalctl -u kubelet -n 20 --no-pager`,
          onReply: (r) => {
            if (!r.ok) {
              for (const n of notReady) this.kubeletChecked.add(n);
            } else if (/Unauthorized|kubelet\.conf is expired|Current certificate is expired/.test(r.text)) {
              this.queue.unshift({ command: `kubeadm kubeconfig user --org system:nodes --client-name system:node:${node}` });
            }
          },
        },
      ],
    }];
  }

  /**
   * A newer ReplicaSet, scaled up, that the bot did not cause, while an SLO burns or while its own Pods
   * fail to start (`ErrImagePull`, `ImagePullBackOff`, `CreateContainerConfigError`, `CrashLoopBackOff`):
   * roll it back.
   */
  private rolloutFixes(): Fix[] {
    const failingRs = new Set<string>();
    for (const p of this.findings.pods) {
      if (FAILING_STATUSES.has(cell(p, 'STATUS'))) failingRs.add(`${cell(p, 'NAMESPACE') || 'default'}/${replicaSetOfPod(cell(p, 'NAME'))}`);
    }
    const byDeployment = new Map<string, { ns: string; deployment: string; rs: { name: string; desired: number; createdAt: number }[] }>();
    for (const row of this.findings.replicaSets) {
      const ns = cell(row, 'NAMESPACE') || 'default';
      const name = cell(row, 'NAME');
      const age = parseAge(cell(row, 'AGE'));
      if (name === '' || Number.isNaN(age)) continue;
      const deployment = deploymentOfReplicaSet(name);
      const key = `${ns}/${deployment}`;
      let entry = byDeployment.get(key);
      if (!entry) byDeployment.set(key, (entry = { ns, deployment, rs: [] }));
      entry.rs.push({ name, desired: Number(cell(row, 'DESIRED')) || 0, createdAt: this.now - age });
    }
    const fixes: Fix[] = [];
    for (const [key, { ns, deployment, rs }] of [...byDeployment].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (rs.length < 2) continue;
      rs.sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? -1 : 1));
      const newest = rs[0]!;
      if (newest.desired <= 0 || this.undone.has(newest.name)) continue;
      if (this.firing.size === 0 && !failingRs.has(`${ns}/${newest.name}`)) continue;
      const touchedAt = this.touched.get(key);
      if (touchedAt !== undefined && newest.createdAt >= touchedAt) continue; // our own change
      fixes.push({
        priority: 1,
        steps: [
          {
            command: `kubectl rollout undo deployment/${deployment}${nsFlag(ns)}`,
            onReply: (w) => {
              if (!w.ok) return;
              this.undone.add(newest.name);
              this.touched.set(key, this.now);
            },
          },
        ],
      });
    }
    return fixes;
  }

  /** Crash-looping or restarting Pods of a Deployment: describe one, raise its memory limit if OOMKilled. */
  private crashLoopFixes(): Fix[] {
    const worst = new Map<string, { ns: string; deployment: string; pod: string; restarts: number }>();
    for (const row of this.findings.pods) {
      const ns = cell(row, 'NAMESPACE') || 'default';
      const pod = cell(row, 'NAME');
      const status = cell(row, 'STATUS');
      const restarts = parseRestarts(cell(row, 'RESTARTS'));
      const podKey = `${ns}/${pod}`;
      const before = this.restarts.get(podKey) ?? 0;
      this.restarts.set(podKey, restarts);
      const crashing = status === 'CrashLoopBackOff' || status === 'OOMKilled' || status === 'Error' || restarts > before;
      if (!crashing || pod === '') continue;
      const deployment = deploymentOfReplicaSet(replicaSetOfPod(pod));
      const key = `${ns}/${deployment}`;
      if (this.notOom.has(key)) continue;
      const known = worst.get(key);
      if (!known || restarts > known.restarts || (restarts === known.restarts && pod < known.pod)) worst.set(key, { ns, deployment, pod, restarts });
    }
    const fixes: Fix[] = [];
    for (const [key, { ns, deployment, pod }] of [...worst].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      fixes.push({
        priority: 2,
        steps: [{ command: `kubectl describe pod ${pod}${nsFlag(ns)}`, onReply: (r) => this.readDescribedPod(r, key, ns, deployment) }],
      });
    }
    return fixes;
  }

  private readDescribedPod(r: BotReply, key: string, ns: string, deployment: string): void {
    if (!r.ok) return;
    const pod = parseDescribePod(r.text);
    if (pod.replicaSet !== '' && deploymentOfReplicaSet(pod.replicaSet) !== deployment) return; // not a Deployment's Pod
    const oom = pod.containers.find((c) => (c.lastReason === 'OOMKilled' || c.stateReason === 'OOMKilled') && Number.isFinite(c.memoryLimitMiB));
    if (!oom) {
      this.notOom.add(key);
      return;
    }
    const set = this.resized.get(key);
    if (set !== undefined && oom.memoryLimitMiB < set) return; // an old Pod: the new limit is rolling out
    const limit = oom.memoryLimitMiB * this.profile.memoryFactor;
    const container = pod.containers.length > 1 ? ` --containers=${oom.name}` : '';
    this.queue.unshift({
      command: `kubectl set resources deployment/${deployment}${nsFlag(ns)}${container} --limits=memory=${formatMemory(limit)}`,
      onReply: (w) => {
        if (!w.ok) return;
        this.resized.set(key, Math.ceil(limit));
        this.touched.set(key, this.now);
      },
    });
  }

  /**
   * Alerts fire and nothing else explains them: is a tier out of CPU (a traffic spike)? `kubectl top
   * pods -A`; for the busiest Deployments (mean >= 100m per Pod, at most 4, the alerting Service first)
   * `kubectl describe deployment X` (its CPU limit and desired replicas); then, when its Pods average
   * >= 85 % of the limit, `kubectl scale --replicas=2N` (at most 32). Rounds repeat while alerts fire.
   */
  private saturationChecks(): Fix[] {
    return [
      {
        priority: 5,
        steps: [
          {
            command: 'kubectl top pods -A',
            onReply: (r) => {
              if (!r.ok) return;
              const byDeployment = new Map<string, { ns: string; deployment: string; sum: number; n: number }>();
              for (const row of parseTable(r.text)) {
                const ns = cell(row, 'NAMESPACE') || 'default';
                const deployment = deploymentOfReplicaSet(replicaSetOfPod(cell(row, 'NAME')));
                const m = parseMillicores(cell(row, 'CPU(cores)'));
                if (!Number.isFinite(m)) continue;
                const key = `${ns}/${deployment}`;
                const entry = byDeployment.get(key) ?? { ns, deployment, sum: 0, n: 0 };
                entry.sum += m;
                entry.n += 1;
                byDeployment.set(key, entry);
              }
              const busy = [...byDeployment.values()]
                .map((e) => ({ ...e, mean: e.sum / e.n, alerted: this.alertedServices.includes(e.deployment) }))
                .filter((e) => e.mean >= 100)
                .sort((a, b) => Number(b.alerted) - Number(a.alerted) || b.mean - a.mean || (a.deployment < b.deployment ? -1 : 1))
                .slice(0, 4);
              this.queue.unshift(
                ...busy.map((e) => ({
                  command: `kubectl describe deployment ${e.deployment}${nsFlag(e.ns)}`,
                  onReply: (d: BotReply) => this.readSaturation(d, e.ns, e.deployment, e.mean),
                })),
              );
            },
          },
        ],
      },
    ];
  }

  private readSaturation(r: BotReply, ns: string, deployment: string, meanMillicores: number): void {
    if (!r.ok) return;
    const d = parseDescribeDeployment(r.text);
    if (!Number.isFinite(d.desired) || !(d.cpuLimitMillicores > 0) || d.desired >= 32) return;
    if (meanMillicores < 0.85 * d.cpuLimitMillicores) return;
    const replicas = Math.min(32, Math.max(2, d.desired * 2));
    this.queue.unshift({ command: `kubectl scale deployment/${deployment}${nsFlag(ns)} --replicas=${replicas}` });
  }

  /** NotReady Nodes whose Pods are not evicted yet: drain; (expert) Nodes it drained that are back: uncordon. */
  private nodeFixes(): Fix[] {
    const fixes: Fix[] = [];
    for (const row of this.findings.nodes) {
      const node = cell(row, 'NAME');
      const status = cell(row, 'STATUS');
      if (node === '') continue;
      if (status.startsWith('NotReady') && !this.drained.has(node) && this.availabilityFiring) {
        const stuck = this.findings.pods.some((p) => cell(p, 'NODE') === node && cell(p, 'STATUS') !== 'Terminating');
        if (!stuck) continue;
        fixes.push({
          priority: 3,
          steps: [
            {
              command: `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`,
              onReply: (w) => {
                if (w.ok) this.drained.set(node, this.now);
              },
            },
          ],
        });
      } else if (this.profile.uncordons && status === 'Ready,SchedulingDisabled' && this.drained.has(node)) {
        fixes.push({
          priority: 4,
          steps: [
            {
              command: `kubectl uncordon ${node}`,
              onReply: (w) => {
                if (w.ok) this.drained.delete(node);
              },
            },
          ],
        });
      }
    }
    return fixes;
  }
}

/** Pod statuses of a release that cannot start or keeps crashing (kubectl's STATUS column). */
const FAILING_STATUSES = new Set(['ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CrashLoopBackOff', 'InvalidImageName']);

/** `-n NS` for a non-default namespace (kubectl's flag after the subcommand). */
function nsFlag(ns: string): string {
  return ns === 'default' ? '' : ` -n ${ns}`;
}

/**
 * A bot player of `opts.level`, seeded with `opts.seed` (use {@link botSeed} of the match seed).
 * @throws RangeError when `opts.timeDilation` is not > 0.
 */
export function createBot(opts: BotOptions): Bot {
  return new BotPlayer(opts);
}
