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
 * | alerts fire and nothing above explains them; `kubectl top pods -A` and `describe deployment` show Pods at >= 85 % of their CPU limit | `kubectl scale deployment/X --replicas=2N` (not for a Deployment an HPA scales) |
 * | the same check; `kubectl get hpa -A` shows an HPA at MAXPODS with TARGETS above target | `kubectl patch hpa X -p '{"spec":{"maxReplicas":2N}}'` |
 * | a newer ReplicaSet's Pods `Running` `0/1` for >= 60 s on a Ready Node (readiness never passes) | `kubectl rollout undo deployment/X -n NS` (the rollout rule) |
 * | a kube-system static Pod in `CrashLoopBackOff`, not OOMKilled, `component=kube-scheduler` or `kube-controller-manager` | `kubeadm init phase control-plane scheduler` or `controller-manager` |
 * | a write refused `mvcc: database space exceeded`, or `alarm:NOSPACE` in the etcd glance | `etcdctl alarm list`, `endpoint status -w json`, `compact REV`, `defrag --cluster`, `alarm disarm` |
 * | the etcd glance cannot reach a member | `etcdctl endpoint health`, then the restore above |
 * | a Warning `FailedCreate` "exceeded quota: Q ... limited: R=V" | `kubectl get resourcequota -A`, then `kubectl patch resourcequota Q --type merge -p` with each used-up R doubled |
 * | a Warning `MaintenanceScheduled` on Node N | `kubectl drain N`; Pods a PDB protects: `kubectl scale deployment/D --replicas=N+1`, wait until Ready, drain again; (expert) `kubectl uncordon N` after `Rebooted` |
 *
 * The expert's glance while the pager is quiet is `kubectl get nodes` and `etcdctl endpoint status -w
 * table` (what pages nobody: quorum or member loss, NOSPACE; and drained Nodes Ready again: uncordoned).
 * It never reads the incident schedule, the incident list or the cluster: only {@link BotView}. The
 * `IncidentStarted` rows of the events feed (the game's notices) are ignored like any player should.
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
  formatQuotaAmount,
  parseDescribeDeployment,
  parseDescribePod,
  parseDrainRefusals,
  parseEtcdRevision,
  parseHpaTargets,
  parseMillicores,
  parseEndpointHealth,
  parseMemberList,
  parseQuotaUsage,
  parseRestarts,
  parseTable,
  quotaAmount,
  replicaSetOfPod,
  serviceOfAlert,
  type Row,
} from './read.ts';
import type { Bot, BotEvent, BotLevel, BotOptions, BotProfile, BotReply, BotView } from './types.ts';

/** The console error while etcd has no quorum (shared/kubectl: `Error from server: etcdserver: request timed out`). */
const API_TIMEOUT = 'etcdserver: request timed out';
/** The console error of every write while etcd's NOSPACE alarm is raised (shared/kubectl). */
const NO_SPACE = 'mvcc: database space exceeded';
/** The kubeadm phase that writes a control-plane component's static Pod manifest again, by the Pod's `component` label. */
const KUBEADM_PHASE: ReadonlyMap<string, string> = new Map([
  ['kube-scheduler', 'scheduler'],
  ['kube-controller-manager', 'controller-manager'],
]);

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
  /**
   * Part of the expert's etcd glance and its follow-ups: the think time after it is drawn from the
   * bot's second PRNG stream, so adding the glance did not shift the reaction and think times every
   * other line draws (the bots' scores on the built-in scenarios stay comparable).
   */
  etcdGlance?: true;
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
  /** The second PRNG stream (think times after the etcd glance's lines). */
  private readonly glanceRandom: () => number;
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
  /** Sim second the bot last regenerated a control-plane component's manifest (kubeadm phase name). */
  private regenerated = new Map<string, number>();
  /** Sim second the bot last started etcd's NOSPACE routine, or null. */
  private spaceFixAt: number | null = null;
  /** Nodes announced for maintenance (Warning `MaintenanceScheduled`): `announced`, then `drained` until `Rebooted`. */
  private maintenance = new Map<string, 'announced' | 'draining' | 'drained'>();
  /** Quotas a `FailedCreate` event said were exceeded since they were last raised: name -> the `limited:` resources. */
  private quotaHits = new Map<string, string[]>();
  /** `namespace/deployment` of the Deployments an HPA scales (from the last `kubectl get hpa -A`): `kubectl scale` would be undone. */
  private autoscaled = new Set<string>();
  /** Sim second the bot last raised an HPA's ceiling, by `namespace/name`. */
  private ceilings = new Map<string, number>();

  constructor(opts: BotOptions) {
    if (!(opts.timeDilation > 0)) throw new RangeError(`timeDilation must be > 0, got ${opts.timeDilation}`);
    this.level = opts.level;
    this.name = opts.name ?? `bot-${opts.level}`;
    this.profile = BOT_PROFILES[opts.level];
    this.dilation = opts.timeDilation;
    this.random = prng(opts.seed);
    this.glanceRandom = prng(opts.seed ^ 0x5bd1e995);
  }

  /** A uniform draw from a `[min, max]` range of real seconds, in sim seconds. */
  private draw(range: readonly [number, number], random = this.random): number {
    return Math.round((range[0] + (range[1] - range[0]) * random()) * this.dilation);
  }

  observe(view: BotView): string[] {
    this.now = view.t;
    for (const reply of view.replies) {
      if (this.awaiting !== null && reply.command === this.awaiting.command) {
        const step = this.awaiting;
        this.awaiting = null;
        step.onReply?.(reply);
        // Any write refused for lack of etcd space: free it first, the refused fix comes again next round.
        if (!reply.ok && reply.text.includes(NO_SPACE)) this.queueSpaceFix();
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
        this.queue.push(
          { command: 'kubectl get nodes', onReply: (r) => this.readPatrol(r) },
          { command: 'etcdctl endpoint status -w table', onReply: (r) => this.readEtcdStatus(r), etcdGlance: true },
        );
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
    this.nextAt = this.now + this.draw(this.profile.think, step.etcdGlance ? this.glanceRandom : this.random);
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
      if (e.seq <= this.lastSeq || ignoredReason(e.reason)) continue;
      if (e.type === 'Warning') warned = true;
      this.noteEvent(e);
    }
    for (const e of view.events) this.lastSeq = Math.max(this.lastSeq, e.seq);
    if (warned) this.warnedSinceRound = true;
    return warned;
  }

  /**
   * What an event tells a responder beyond "something is wrong": a Node announced for maintenance
   * (`MaintenanceScheduled`: drain it before the reboot), back from it (`Rebooted`: uncordon it, expert),
   * a ReplicaSet refused Pods by a quota (`FailedCreate` "exceeded quota: NAME, ... limited: R=Q").
   */
  private noteEvent(e: BotEvent): void {
    if (e.reason === 'MaintenanceScheduled' && e.kind === 'Node' && !this.maintenance.has(e.name)) this.maintenance.set(e.name, 'announced');
    if (e.reason === 'Rebooted' && e.kind === 'Node' && this.maintenance.get(e.name) === 'drained') {
      this.maintenance.delete(e.name);
      if (this.profile.uncordons) this.queue.push({ command: `kubectl uncordon ${e.name}` });
    }
    const quota = /exceeded quota: ([a-z0-9]([-a-z0-9.]*[a-z0-9])?),.*limited: (\S+)/.exec(e.message);
    if (e.reason === 'FailedCreate' && quota) {
      const resources = quota[3]!.split(',').map((x) => x.split('=')[0]!).filter((x) => x !== '');
      this.quotaHits.set(quota[1]!, [...new Set([...(this.quotaHits.get(quota[1]!) ?? []), ...resources])].sort());
    }
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

  /**
   * A glance while the pager is quiet: a control plane that times out is worked at once; a Node the bot
   * drained that is `Ready` again (a partition healed, a machine back) is uncordoned (expert).
   */
  private readPatrol(r: BotReply): void {
    if (r.ok) {
      for (const row of parseTable(r.text)) {
        const node = cell(row, 'NAME');
        if (this.profile.uncordons && cell(row, 'STATUS') === 'Ready,SchedulingDisabled' && this.drained.has(node) && !this.maintenance.has(node)) {
          this.queue.push(this.uncordonStep(node));
        }
      }
      return;
    }
    if (!r.text.includes(API_TIMEOUT) || this.engaged) return;
    this.engaged = true;
    this.inRound = true;
    this.roundAt = null;
    this.findings = { apiDown: false, nodes: [], pods: [], replicaSets: [] };
    this.apiDown(r);
  }

  /**
   * The patrol's `etcdctl endpoint status -w table`: a member it cannot reach (`Failed to get the status
   * of endpoint`) is looked at with `etcdctl endpoint health` (restored when refusing connections); the
   * `alarm:NOSPACE` error starts the space routine.
   */
  private readEtcdStatus(r: BotReply): void {
    if (r.text.includes('alarm:NOSPACE')) this.queueSpaceFix();
    if (r.text.includes('Failed to get the status of endpoint') && !this.queue.some((s) => s.command === 'etcdctl endpoint health')) {
      this.queue.push({ command: 'etcdctl endpoint health', onReply: (h) => this.readEndpointHealth(h) });
    }
  }

  /**
   * etcd's space routine (etcd maintenance guide, "Space quota"): `etcdctl alarm list` to confirm NOSPACE,
   * `etcdctl endpoint status -w json` for the revision, `etcdctl compact REV`, `etcdctl defrag --cluster`,
   * `etcdctl alarm disarm`. Put first in the queue (every write waits on it); at most once per 8 think times.
   */
  private queueSpaceFix(): void {
    if (this.spaceFixAt !== null && this.now - this.spaceFixAt < 8 * this.profile.think[1] * this.dilation) return;
    this.spaceFixAt = this.now;
    this.queue.unshift({
      command: 'etcdctl alarm list',
      onReply: (a) => {
        if (!a.text.includes('alarm:NOSPACE')) return;
        this.queue.unshift({
          command: 'etcdctl endpoint status -w json',
          onReply: (j) => {
            const revision = parseEtcdRevision(j.text);
            const steps: Step[] = [];
            if (Number.isFinite(revision)) steps.push({ command: `etcdctl compact ${revision}` });
            steps.push({ command: 'etcdctl defrag --cluster' }, { command: 'etcdctl alarm disarm' });
            this.queue.unshift(...steps);
          },
        });
      },
    });
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
    const fixes: Fix[] = [...this.crashLoopFixes(), ...this.rolloutFixes(), ...this.nodeFixes(), ...this.maintenanceFixes(), ...this.quotaFixes()];
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
    const notReadyNodes = new Set(this.findings.nodes.filter((n) => cell(n, 'STATUS').startsWith('NotReady')).map((n) => cell(n, 'NAME')));
    for (const p of this.findings.pods) {
      if (FAILING_STATUSES.has(cell(p, 'STATUS')) || this.neverReady(p, notReadyNodes)) failingRs.add(`${cell(p, 'NAMESPACE') || 'default'}/${replicaSetOfPod(cell(p, 'NAME'))}`);
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

  /**
   * A Pod `Running` with no container Ready (`0/1`) for at least {@link NEVER_READY_SECONDS}, on a Node
   * that is not `NotReady`: its readiness probe keeps failing (a release that never turns Ready).
   */
  private neverReady(p: Row, notReadyNodes: ReadonlySet<string>): boolean {
    if (cell(p, 'STATUS') !== 'Running' || notReadyNodes.has(cell(p, 'NODE'))) return false;
    const ready = /^(\d+)\/(\d+)$/.exec(cell(p, 'READY'));
    return ready !== null && ready[1] === '0' && parseAge(cell(p, 'AGE')) >= NEVER_READY_SECONDS;
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
    if (!oom && pod.staticPod) {
      // Still crash-looping (a one-off restart is a leader that lost its Lease during an etcd outage: normal).
      if (pod.containers.some((c) => c.stateReason === 'CrashLoopBackOff')) this.staticPodFix(pod.labels);
      return;
    }
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
   * A control-plane static Pod crash-looping (State Waiting, Reason CrashLoopBackOff) without OOMKilled
   * (its process exits: a bad flag in the manifest): deleting the mirror Pod does nothing, so write the manifest again with
   * `kubeadm init phase control-plane scheduler|controller-manager` (the phase by its `component` label).
   * Not again within 8 think times.
   */
  private staticPodFix(labels: readonly string[]): void {
    const component = labels.find((l) => l.startsWith('component='))?.slice('component='.length) ?? '';
    const phase = KUBEADM_PHASE.get(component);
    if (phase === undefined || this.recently(this.regenerated, phase, 8)) return;
    this.queue.unshift({
      command: `kubeadm init phase control-plane ${phase}`,
      onReply: (w) => {
        if (w.ok) this.regenerated.set(phase, this.now);
      },
    });
  }

  /**
   * Nodes announced for maintenance (`MaintenanceScheduled`), not drained yet: `kubectl drain`. Pods a
   * PodDisruptionBudget protects (drain's `error when evicting ... disruption budget`) get a spare: read the
   * Deployment (`kubectl get deployment`), `kubectl scale --replicas=N+1`, wait until every replica is
   * Ready (re-reading, at most 12 times), then drain again. The drained Node is uncordoned after its
   * `Rebooted` event (expert), not by the uncordon-when-Ready rule (it is Ready before the reboot).
   */
  private maintenanceFixes(): Fix[] {
    const fixes: Fix[] = [];
    for (const [node, stage] of [...this.maintenance].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (stage !== 'announced') continue;
      this.maintenance.set(node, 'draining');
      fixes.push({ priority: 3, steps: [this.maintenanceDrain(node, 0)] });
    }
    return fixes;
  }

  private maintenanceDrain(node: string, attempt: number): Step {
    return {
      command: `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`,
      onReply: (w) => {
        if (!w.ok) {
          this.maintenance.set(node, 'announced'); // try again next round
          return;
        }
        const refused = parseDrainRefusals(w.text);
        if (refused.length === 0) {
          this.maintenance.set(node, 'drained');
          return;
        }
        if (attempt >= 2) {
          this.maintenance.set(node, 'announced');
          return;
        }
        const deployments = [...new Map(refused.map((r) => [`${r.namespace}/${deploymentOfReplicaSet(replicaSetOfPod(r.pod))}`, r])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const steps: Step[] = deployments.map(([, r]) => this.spareStep(r.namespace, deploymentOfReplicaSet(replicaSetOfPod(r.pod))));
        steps.push(...deployments.map(([, r]) => this.waitReadyStep(r.namespace, deploymentOfReplicaSet(replicaSetOfPod(r.pod)), 0)));
        steps.push(this.maintenanceDrain(node, attempt + 1));
        this.queue.unshift(...steps);
      },
    };
  }

  /** `kubectl get deployment D`, then `kubectl scale --replicas=N+1` (N: the READY column's desired count). */
  private spareStep(ns: string, deployment: string): Step {
    return {
      command: `kubectl get deployment ${deployment}${nsFlag(ns)}`,
      onReply: (r) => {
        const ready = /^(\d+)\/(\d+)$/.exec(cell(parseTable(r.text)[0] ?? new Map(), 'READY'));
        if (!r.ok || !ready) return;
        this.queue.unshift({ command: `kubectl scale deployment/${deployment}${nsFlag(ns)} --replicas=${Number(ready[2]) + 1}` });
      },
    };
  }

  /** Re-reads `kubectl get deployment D` until READY is `N/N` (at most 12 reads, a think time apart). */
  private waitReadyStep(ns: string, deployment: string, reads: number): Step {
    return {
      command: `kubectl get deployment ${deployment}${nsFlag(ns)}`,
      onReply: (r) => {
        const ready = /^(\d+)\/(\d+)$/.exec(cell(parseTable(r.text)[0] ?? new Map(), 'READY'));
        if (r.ok && ready && ready[1] === ready[2]) return;
        if (reads < 11) this.queue.unshift(this.waitReadyStep(ns, deployment, reads + 1));
      },
    };
  }

  /**
   * Quotas a `FailedCreate` event named exceeded: `kubectl get resourcequota -A`, and for each such quota
   * whose named resources are used up (used >= hard), double them: `kubectl patch resourcequota NAME
   * --type merge -p '{"spec":{"hard":{"requests.cpu":"3140m"}}}'`.
   */
  private quotaFixes(): Fix[] {
    if (this.quotaHits.size === 0) return [];
    return [
      {
        priority: 2,
        steps: [
          {
            command: 'kubectl get resourcequota -A',
            onReply: (r) => {
              if (!r.ok) return;
              const patches: Step[] = [];
              for (const row of parseTable(r.text)) {
                const name = cell(row, 'NAME');
                const ns = cell(row, 'NAMESPACE') || 'default';
                const resources = this.quotaHits.get(name);
                if (resources === undefined) continue;
                const usage = new Map([...parseQuotaUsage(cell(row, 'REQUEST')), ...parseQuotaUsage(cell(row, 'LIMIT'))]);
                const hard: [string, string][] = [];
                for (const res of resources) {
                  const u = usage.get(res);
                  if (!u) continue;
                  const used = quotaAmount(res, u.used);
                  const limit = quotaAmount(res, u.hard);
                  if (Number.isFinite(used) && Number.isFinite(limit) && used >= limit) hard.push([res, formatQuotaAmount(res, Math.max(limit * 2, 1))]);
                }
                if (hard.length === 0) continue;
                const patch = JSON.stringify({ spec: { hard: Object.fromEntries(hard) } });
                patches.push({
                  command: `kubectl patch resourcequota ${name}${nsFlag(ns)} --type merge -p '${patch}'`,
                  onReply: (w) => {
                    if (w.ok) this.quotaHits.delete(name);
                  },
                });
              }
              this.queue.unshift(...patches);
            },
          },
        ],
      },
    ];
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
          { command: 'kubectl get hpa -A', onReply: (r) => this.readAutoscalers(r) },
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

  /**
   * `kubectl get hpa -A`: remembers which Deployments an HPA scales (`kubectl scale` would be undone at
   * its next sync); an HPA at its ceiling (REPLICAS >= MAXPODS) with TARGETS above target gets its
   * ceiling doubled: `kubectl patch hpa NAME -p '{"spec":{"maxReplicas":2N}}'` (at most 64; not again
   * within 8 think times).
   */
  private readAutoscalers(r: BotReply): void {
    if (!r.ok) return;
    this.autoscaled.clear();
    const patches: Step[] = [];
    for (const row of parseTable(r.text)) {
      const ns = cell(row, 'NAMESPACE') || 'default';
      const name = cell(row, 'NAME');
      const ref = cell(row, 'REFERENCE');
      if (ref.startsWith('Deployment/')) this.autoscaled.add(`${ns}/${ref.slice('Deployment/'.length)}`);
      const max = Number(cell(row, 'MAXPODS'));
      const replicas = Number(cell(row, 'REPLICAS'));
      const { current, target } = parseHpaTargets(cell(row, 'TARGETS'));
      const key = `${ns}/${name}`;
      if (!(max > 0) || !(replicas >= max) || !(current > target) || max >= 64 || this.recently(this.ceilings, key, 8)) continue;
      const maxReplicas = Math.min(64, max * 2);
      patches.push({
        command: `kubectl patch hpa ${name}${nsFlag(ns)} -p '{"spec":{"maxReplicas":${maxReplicas}}}'`,
        onReply: (w) => {
          if (w.ok) this.ceilings.set(key, this.now);
        },
      });
    }
    this.queue.unshift(...patches);
  }

  private readSaturation(r: BotReply, ns: string, deployment: string, meanMillicores: number): void {
    if (!r.ok || this.autoscaled.has(`${ns}/${deployment}`)) return;
    const d = parseDescribeDeployment(r.text);
    if (!Number.isFinite(d.desired) || !(d.cpuLimitMillicores > 0) || d.desired >= 32) return;
    if (meanMillicores < 0.85 * d.cpuLimitMillicores) return;
    const replicas = Math.min(32, Math.max(2, d.desired * 2));
    this.queue.unshift({ command: `kubectl scale deployment/${deployment}${nsFlag(ns)} --replicas=${replicas}` });
  }

  private uncordonStep(node: string): Step {
    return {
      command: `kubectl uncordon ${node}`,
      onReply: (w) => {
        if (w.ok) this.drained.delete(node);
      },
    };
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
      } else if (this.profile.uncordons && status === 'Ready,SchedulingDisabled' && this.drained.has(node) && !this.maintenance.has(node)) {
        fixes.push({ priority: 4, steps: [this.uncordonStep(node)] });
      }
    }
    return fixes;
  }
}

/** Sim seconds a `Running` Pod may stay `0/N` Ready before the bot calls it a release that never turns Ready. */
const NEVER_READY_SECONDS = 60;

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
