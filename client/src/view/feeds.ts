/**
 * The pager feed (alerts that fired and resolved during the match) and the incident list, derived from
 * successive snapshots. Pure.
 *
 * Alerts are the server's multi-window burn-rate alerts (SRE Workbook ch. 5; page vs ticket severity).
 * The state only holds alerts firing *now*; the feed remembers when each one fired and resolved.
 */
import type { AlertView, IncidentView } from '../../../shared/protocol.ts';

/** One alert in the pager feed, with when it fired and resolved. */
export interface PagerEntry {
  /** Alert id, e.g. `availability-page-fast`. */
  id: string;
  /** `page` or `ticket`. */
  severity: string;
  /** `availability` or `latency`. */
  slo: string;
  /** The server's one-line summary (burn rate, windows, threshold), refreshed while firing. */
  summary: string;
  /** Sim second it started firing. */
  firedAt: number;
  /** Sim second it stopped firing, or null while firing. */
  resolvedAt: number | null;
}

/** Remembers alert transitions across snapshots. Newest entries first. */
export class PagerFeed {
  readonly #entries: PagerEntry[] = [];
  readonly #limit: number;

  /** @param limit most entries kept. */
  constructor(limit = 50) {
    this.#limit = limit;
  }

  /** Entries, newest first. */
  get entries(): readonly PagerEntry[] {
    return this.#entries;
  }

  /** Entries still firing. */
  get firing(): PagerEntry[] {
    return this.#entries.filter((e) => e.resolvedAt === null);
  }

  /**
   * Fold in the alerts firing now.
   *
   * @param alerts the team's current `alerts`.
   * @param t current sim second (resolution time of alerts that disappeared).
   * @returns the alerts that started firing with this update (to flash or announce them).
   */
  update(alerts: readonly AlertView[], t: number): PagerEntry[] {
    const now = new Set(alerts.map((a) => a.id));
    for (const e of this.#entries) if (e.resolvedAt === null && !now.has(e.id)) e.resolvedAt = t;
    const fresh: PagerEntry[] = [];
    for (const a of [...alerts].sort((x, y) => x.since - y.since || (x.id < y.id ? -1 : 1))) {
      const open = this.#entries.find((e) => e.id === a.id && e.resolvedAt === null);
      if (open) {
        open.summary = a.summary;
        continue;
      }
      const entry: PagerEntry = { id: a.id, severity: a.severity, slo: a.slo, summary: a.summary, firedAt: a.since, resolvedAt: null };
      this.#entries.unshift(entry);
      fresh.push(entry);
    }
    this.#entries.splice(this.#limit);
    return fresh;
  }

  /** Forget everything (new match). */
  clear(): void {
    this.#entries.length = 0;
  }
}

/**
 * Time to mitigate an incident, sim seconds, or null while it is still active.
 */
export function timeToMitigate(incident: Pick<IncidentView, 'startedAt' | 'mitigatedAt'>): number | null {
  return incident.mitigatedAt >= 0 ? Math.max(0, incident.mitigatedAt - incident.startedAt) : null;
}

/** Incidents for display: active ones first (oldest first), then mitigated (most recent first). */
export function sortIncidents(incidents: readonly IncidentView[]): IncidentView[] {
  const active = incidents.filter((i) => i.status !== 'mitigated').sort((a, b) => a.startedAt - b.startedAt);
  const done = incidents.filter((i) => i.status === 'mitigated').sort((a, b) => b.mitigatedAt - a.mitigatedAt);
  return [...active, ...done];
}
