/**
 * The bot levels' behaviour ({@link BotProfile}), in real seconds at the match's time dilation.
 *
 * Both run `etcdctl member list` once early (its names map the endpoints `etcdctl endpoint health`
 * prints; it fails once etcd has lost quorum).
 * - `expert`: first command 30-60 s after a page (the on-call target of a well-run team: SRE Workbook
 *   ch. 9 expects acknowledgement within minutes; a practised responder types at once), 3-6 s between
 *   commands, checks again 15-30 s after a fix, raises an OOMKilled limit 4x, also wakes on Warning
 *   events, glances at `kubectl get nodes` and `etcdctl endpoint status -w table` every 1-2 min while the pager is quiet (how it finds what pages nobody), fixes everything it found in one round (control plane first, then rollouts, memory, Nodes)
 *   and uncordons the Nodes it drained once they are back.
 * - `novice`: first command 100-140 s after a page (the pager only), 6-12 s between commands, 45-90 s
 *   before checking again, reads the Pods first and the Nodes last, one fix per round in the order it
 *   found them, raises a limit only 2x (too little when the working set plateaus above twice the limit),
 *   never uncordons, never glances at the cluster while the pager is quiet. (About 2 min, not 3-5: the
 *   beginner scenarios leave 4-5 real minutes after their incident, first-oom's page fires at 362 of 900 s.)
 * - `idle`: never acts (its profile is never used).
 */
import type { BotLevel, BotProfile } from './types.ts';

/** Profiles by level. */
export const BOT_PROFILES: Readonly<Record<BotLevel, BotProfile>> = {
  idle: { reaction: [0, 0], think: [0, 0], verify: [0, 0], memoryFactor: 1, watchesEvents: false, patrol: null, triage: false, uncordons: false },
  novice: { reaction: [100, 140], think: [6, 12], verify: [45, 90], memoryFactor: 2, watchesEvents: false, patrol: null, triage: false, uncordons: false },
  expert: { reaction: [30, 60], think: [3, 6], verify: [15, 30], memoryFactor: 4, watchesEvents: true, patrol: [60, 120], triage: true, uncordons: true },
};
