/**
 * The bot players' contract: what a bot sees ({@link BotView}: a narrow, documented subset of what a
 * player's client gets) and what it does (console lines). Bots never see the incident schedule, the
 * incident list, or the cluster's internals; they play through the pager, the events table and the
 * replies to the kubectl / etcdctl lines they type.
 *
 * Units: every `t`, `since` is sim seconds since match start; reaction and think times in
 * {@link BotProfile} are REAL seconds, turned into sim seconds with the match's time dilation
 * (sim seconds per real second).
 *
 * May import: nothing at run time (types only).
 */

/** Bot skill levels: `idle` never acts, `novice` is slow and less targeted, `expert` is quick and precise. */
export type BotLevel = 'idle' | 'novice' | 'expert';
/** Every {@link BotLevel}, weakest first. */
export const BOT_LEVELS = ['idle', 'novice', 'expert'] as const satisfies readonly BotLevel[];

/** A burn-rate alert firing now, as the pager shows it (the room's `AlertView`). */
export interface BotAlert {
  /** e.g. `availability-page-fast`. */
  id: string;
  /** `page` or `ticket`. */
  severity: string;
  /** `availability` or `latency`. */
  slo: string;
  /** Sim second it started firing. */
  since: number;
  summary: string;
}

/** A row of the events feed (the room's `EventView`): an Event or one of the game's notices (alerts, incident markers). */
export interface BotEvent {
  /** The feed's total order (Events and notices in the order written). */
  seq: number;
  /** Sim second of the occurrence. */
  t: number;
  /** `Normal` or `Warning`. */
  type: string;
  reason: string;
  /** Involved object's kind and name (`Pod`, `cartservice-...`). */
  kind: string;
  name: string;
  message: string;
}

/** The answer to one console line the bot typed (the room's `reply` to a `kubectl` message). */
export interface BotReply {
  /** The line as typed. */
  command: string;
  ok: boolean;
  /** Output text when ok, the error text otherwise. */
  text: string;
}

/**
 * What a bot observes at one moment: the same projection a player's client gets, narrowed to the
 * pager, the events table and the console.
 */
export interface BotView {
  /** Sim seconds since match start. */
  t: number;
  /** Alerts firing now (page and ticket tiers). */
  alerts: readonly BotAlert[];
  /** Events in the events table now (any window; the bot remembers the highest `seq` it has read). */
  events: readonly BotEvent[];
  /** Replies to the bot's own lines since the previous observation, in the order the lines were sent. */
  replies: readonly BotReply[];
  /** The pager's pages (the team's `pages` in the view; absent: no pager workflow). */
  pages?: readonly BotPage[];
}

/** A page on the pager (the room's `PageView`). */
export interface BotPage {
  /** `page-N`. */
  id: string;
  acked: boolean;
}

/** A bot player: observes what a player sees and answers with console lines to type now. */
export interface Bot {
  readonly level: BotLevel;
  /** Player name (e.g. `bot-expert`): the match attributes its actions to it. */
  readonly name: string;
  /**
   * Takes one observation, returns the console lines to type now (in order; usually zero or one).
   * Deterministic: the same sequence of views gives the same sequence of lines.
   */
  observe(view: BotView): string[];
  /**
   * The pages to acknowledge now (ids from the last view's `pages`), taken once: the adapter sends
   * them (workflow `ack`) right after {@link observe}. A bot acknowledges the open pages when it starts a
   * round of investigation (the first after its reaction time, then one per verify delay).
   */
  takeAcks(): string[];
}

/** Options of `createBot`. */
export interface BotOptions {
  level: BotLevel;
  /** Player name (default `bot-LEVEL`). */
  name?: string;
  /** Seed of the bot's PRNG (reaction and think times): derive it from the match seed (`botSeed`). */
  seed: number;
  /** Sim seconds per real second of the match (converts the profile's real seconds). Must be > 0. */
  timeDilation: number;
}

/** A level's behaviour. Times are real seconds `[min, max]`, drawn uniformly from the bot's PRNG. */
export interface BotProfile {
  /** From a new alert (or, when `watchesEvents`, a new Warning event) to the first command. */
  reaction: readonly [number, number];
  /** Between two consecutive commands (reading the reply, typing the next line). */
  think: readonly [number, number];
  /** After a round of fixes, before checking again whether alerts still fire. */
  verify: readonly [number, number];
  /** Raise an OOMKilled container's memory limit to this many times its current limit. */
  memoryFactor: number;
  /** Also wake up on Warning events in the events table (not only on the pager). */
  watchesEvents: boolean;
  /** Fix everything found in one round, most urgent first (else one fix per round, in discovery order). */
  triage: boolean;
  /**
   * While the pager is quiet, glance at the cluster (`kubectl get nodes`, `etcdctl endpoint status -w
   * table`) every `[min, max]` real seconds, the way a responder keeps an eye on the dashboard; null:
   * never. A control plane that times out is worked at once (an etcd quorum loss pages nobody: Pods keep
   * serving), so are an unreachable member and the NOSPACE alarm.
   */
  patrol: readonly [number, number] | null;
  /** Uncordon a Node the bot drained once it is Ready again. */
  uncordons: boolean;
}
