/**
 * Who sees what: one Colyseus `StateView` per client (Colyseus 0.18, @colyseus/schema 5). A team's
 * cluster (`state.teams[id]`: summaries of its Nodes, Deployments, Services, and the small fixed
 * parts) and its detail (`state.teamDetail[id]`: Pods, and the rest of each Node, Deployment and
 * Service) are `.view()` fields: a client receives only what its view holds. A player's view holds
 * their own team; a trainer's holds every team. Detail:
 * - small clusters (at most {@link ALL_PODS_LIMIT} Pods): all of it (the view subscribes to the detail
 *   maps, so new entries flow by themselves): the client draws every Pod, as before;
 * - large clusters: only what the client looks at (`focus` message): the focused Node's, Deployment's
 *   or Service's detail and its Pods, refreshed when Pods come, go or move. Node and Deployment
 *   summaries always carry their Pod counts by display status (`podsByStatus`), so the overview needs
 *   no detail. The projection then writes Pod entries only for the Pods some client of the room looks
 *   at ({@link TeamViews} `#scope`, projection.ts `scopePodDetail`): a big cluster's Pod changes cost
 *   counts, not Schema entries and their encoding (issue 12, "Bounded cost per match").
 *
 * The room calls {@link registerTeam} at creation, {@link TeamViews.attach} on join (and reconnect),
 * {@link TeamViews.focus} on a `focus` message, {@link TeamViews.refresh} after projecting, and
 * {@link TeamViews.detach} on leave.
 *
 * May import @colyseus/core types, @colyseus/schema, shared/sim types and ./projection.ts, ./schema.ts.
 */
import { StateView, type Schema } from '@colyseus/schema';
import type { SimState } from '../../shared/sim/types.ts';
import type { MatchStateSchema, TeamDetailSchema, TeamSchema } from './schema.ts';
import { focusedPodKeys, podsVersionOf, projectedPodCount, scopePodDetail, teamDetailOf, viewInputsVersion, type Focus } from './projection.ts';

/**
 * Pods per team up to which every client gets every Pod and all detail (the built-in scenarios have
 * 1-540 Pods; 200 Pods are ~25 KB of join snapshot, the 540-Pod `big-fleet` ~70 KB). Above it, detail
 * follows the client's focus (the client does not yet draw an overview from the summaries alone).
 */
export const ALL_PODS_LIMIT = 600;

/** What {@link TeamViews} needs of a client (a Colyseus `Client`). */
export interface ViewClient {
  sessionId: string;
  view?: StateView;
}

interface Seat {
  client: ViewClient;
  /** Team ids this client sees (its own, or all for a trainer). */
  teams: string[];
  focus: Focus | null;
  /** Per team: 'all' (subscribed to every Pod and detail) or the detail entries added one by one (`Kind|key`). */
  pods: Map<string, { mode: 'all' } | { mode: 'focus'; keys: Set<string>; version: number; focus: Focus | null }>;
}

/** The detail entry named `Kind|key` (a Pod, or a focused Node's, Deployment's or Service's detail). */
function entryOf(detail: TeamDetailSchema, id: string): Schema | undefined {
  const i = id.indexOf('|');
  const kind = id.slice(0, i);
  const key = id.slice(i + 1);
  switch (kind) {
    case 'Pod':
      return detail.pods.get(key);
    case 'Node':
      return detail.nodes.get(key);
    case 'Deployment':
      return detail.deployments.get(key);
    case 'Service':
      return detail.services.get(key);
    default:
      return undefined;
  }
}

/** Put a team's Schemas into the room state: `state.teams[id]` and `state.teamDetail[id]`. */
export function registerTeam(state: MatchStateSchema, id: string, team: TeamSchema): void {
  state.teams.set(id, team);
  state.teamDetail.set(id, teamDetailOf(team));
}

/** The per-client StateViews of one room. */
export class TeamViews {
  readonly #seats = new Map<string, Seat>();
  /** {@link viewInputsVersion} at the last {@link refresh} (-1: none yet). */
  #refreshed = -1;
  private readonly teamOf: (id: string) => { schema: TeamSchema; sim: SimState } | undefined;
  private readonly allPodsLimit: number;

  /**
   * @param teamOf the team Schema and sim of a team id (undefined for an unknown id).
   * @param allPodsLimit Pods per team up to which every Pod is sent (default {@link ALL_PODS_LIMIT}).
   */
  constructor(teamOf: (id: string) => { schema: TeamSchema; sim: SimState } | undefined, allPodsLimit = ALL_PODS_LIMIT) {
    this.teamOf = teamOf;
    this.allPodsLimit = allPodsLimit;
  }

  /**
   * Give `client` a fresh view of `teams` (its own team; every team for a trainer). Replaces any
   * earlier view of the same session (a reconnect, or a player promoted to trainer).
   */
  attach(client: ViewClient, teams: readonly string[]): void {
    this.detach(client);
    const view = new StateView();
    client.view = view;
    const seat: Seat = { client, teams: [...teams].sort(), focus: null, pods: new Map() };
    this.#seats.set(client.sessionId, seat);
    for (const id of seat.teams) {
      const team = this.teamOf(id);
      if (!team) continue;
      // The team's cluster (recursively: Nodes, Deployments, Services... and new ones as they come).
      // Its Pods holder is not added here: adding it would add every Pod (see #sync).
      view.add(team.schema);
    }
    this.#sync(seat);
  }

  /**
   * Change the teams `client` sees in place (a player who moved to another team in the lobby): the
   * teams it no longer sees are removed from its view (the client is sent their deletion, so it keeps
   * no stale copy), the new ones added. Without a view yet, the same as {@link attach}.
   */
  retarget(client: ViewClient, teams: readonly string[]): void {
    const seat = this.#seats.get(client.sessionId);
    const view = client.view;
    if (!seat || !view || seat.client !== client) {
      this.attach(client, teams);
      return;
    }
    const wanted = [...teams].sort();
    for (const id of seat.teams) {
      if (wanted.includes(id)) continue;
      const team = this.teamOf(id);
      if (!team) continue;
      const detail = teamDetailOf(team.schema);
      if (view.has(detail)) {
        for (const map of [detail.pods, detail.nodes, detail.deployments, detail.services]) view.unsubscribe(map);
        view.remove(detail);
      }
      const had = seat.pods.get(id);
      if (had?.mode === 'focus') for (const key of had.keys) this.#remove(view, detail, key);
      seat.pods.delete(id);
      if (view.has(team.schema)) view.remove(team.schema);
    }
    for (const id of wanted) {
      if (seat.teams.includes(id)) continue;
      const team = this.teamOf(id);
      if (team) view.add(team.schema);
    }
    seat.teams = wanted;
    this.#sync(seat);
  }

  /** Forget `client`'s view (on leave). */
  detach(client: ViewClient): void {
    const seat = this.#seats.get(client.sessionId);
    if (!seat) return;
    this.#seats.delete(client.sessionId);
    seat.client.view?.dispose();
  }

  /** Set what `client` looks at (null: nothing) and send that Pod detail. */
  focus(client: ViewClient, focus: Focus | null): void {
    const seat = this.#seats.get(client.sessionId);
    if (!seat) return;
    seat.focus = focus;
    this.#sync(seat);
  }

  /**
   * After projecting: follow Pods that came, went or moved, and clusters crossing the limit. Nothing
   * is read when no projection moved what the views follow since the last refresh (most patches:
   * projection.ts `viewInputsVersion`); attach, retarget and focus sync their seat themselves.
   */
  refresh(): void {
    const version = viewInputsVersion();
    if (version === this.#refreshed) return;
    this.#refreshed = version;
    for (const seat of this.#seats.values()) this.#sync(seat);
  }

  #sync(seat: Seat): void {
    const view = seat.client.view;
    if (!view) return;
    for (const id of seat.teams) {
      const team = this.teamOf(id);
      if (!team) continue;
      const all = projectedPodCount(team.schema) <= this.allPodsLimit;
      const was = seat.pods.get(id);
      if (all && was?.mode === 'all') continue; // subscribed: new entries flow by themselves
      const detail = teamDetailOf(team.schema);
      const maps = [detail.pods, detail.nodes, detail.deployments, detail.services] as const;
      if (all) {
        if (was?.mode === 'focus') for (const key of was.keys) this.#remove(view, detail, key);
        scopePodDetail(team.schema, team.sim, null); // every Pod's entry, before the view subscribes
        view.add(detail);
        for (const map of maps) view.subscribe(map);
        seat.pods.set(id, { mode: 'all' });
        continue;
      }
      if (was?.mode === 'all') for (const map of maps) view.unsubscribe(map);
      const version = podsVersionOf(team.schema);
      if (was?.mode === 'focus' && was.version === version && was.focus === seat.focus) continue;
      const focus = seat.focus;
      const wanted = new Set<string>();
      if (focus) {
        wanted.add(`${focus.kind}|${focus.key}`);
        for (const key of focusedPodKeys(team.schema, team.sim, focus)) wanted.add(`Pod|${key}`);
      }
      const had = was?.mode === 'focus' ? was.keys : new Set<string>();
      for (const key of had) if (!wanted.has(key)) this.#remove(view, detail, key);
      seat.pods.set(id, { mode: 'focus', keys: wanted, version, focus });
      this.#scope(id, team); // the entries of the Pods now wanted exist before the view adds them
      for (const key of wanted) {
        const entry = entryOf(detail, key);
        if (entry && !view.has(entry)) view.add(entry);
      }
    }
  }

  /**
   * Tell the projection which of team `id`'s Pods get a detail entry: those the room's seats following
   * the team by focus want (their union; O(wanted keys of the room's seats), each time a seat's
   * wanted set is recomputed). A seat still subscribed to every Pod keeps every entry.
   */
  #scope(id: string, team: { schema: TeamSchema; sim: SimState }): void {
    const pods = new Set<string>();
    for (const seat of this.#seats.values()) {
      const held = seat.pods.get(id);
      if (held?.mode === 'all') return scopePodDetail(team.schema, team.sim, null);
      if (held?.mode !== 'focus') continue;
      for (const key of held.keys) if (key.startsWith('Pod|')) pods.add(key.slice(4));
    }
    scopePodDetail(team.schema, team.sim, pods);
  }

  #remove(view: StateView, detail: TeamDetailSchema, key: string): void {
    const entry = entryOf(detail, key);
    if (entry && view.has(entry)) view.remove(entry);
  }
}
