/**
 * Five-field cron schedules as the CronJob controller reads them (robfig/cron standard parser, used by
 * K pkg/controller/cronjob): `minute hour day-of-month month day-of-week`, each `*`, `N`, `A-B`, lists
 * `A,B`, steps `*\/S` / `A-B/S` / `A/S`, month and weekday names (`jan`, `mon`; Sunday 0 or 7), `?` as
 * `*`, and the macros `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`),
 * `@hourly`. When both day-of-month and day-of-week are restricted a day matching either runs (cron's
 * rule). Evaluated in UTC, or in the CronJob's `spec.timeZone` (an IANA name, GA in 1.27): see
 * {@link nextCronTime}.
 *
 * Sim time: sim second 0 is the fixed epoch `2025-01-01T00:00:00Z` (./names.ts `simTimestamp`), so a
 * schedule runs at the sim seconds whose epoch-based time matches (`*\/5 * * * *`: 300, 600, ...). Pure:
 * integer calendar maths, and `Intl.DateTimeFormat` only as the time-zone database (the offset of a zone at a
 * given instant; no wall clock).
 *
 * May import: nothing.
 */

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were restricted (not `*`). */
  domStar: boolean;
  dowStar: boolean;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(text: string, name: string, min: number, max: number, names?: readonly string[], nameBase = 0): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  const value = (v: string): number => {
    const lower = v.toLowerCase();
    const idx = names ? names.indexOf(lower) : -1;
    if (idx >= 0) return idx + nameBase;
    if (!/^\d+$/.test(v)) throw new Error(`failed to parse ${name} "${v}"`);
    return Number(v);
  };
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && (!/^\d+$/.test(stepText) || step < 1)) throw new Error(`failed to parse ${name} step "${stepText}"`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      [lo, hi] = [min, max];
      if (stepText === undefined) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`${name} out of range (${min}-${max}): "${part}"`);
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

/**
 * Parses a schedule. @throws Error with the CronJob validation's wording (`unparseable schedule: ...`)
 * for a malformed one, `TZ=`/`CRON_TZ=` prefixes included (refused, like the API server since 1.27).
 */
export function parseCron(schedule: string): CronSchedule {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) throw new Error('unparseable schedule: CRON_TZ or TZ used in schedule, use spec.timeZone instead');
  const expanded = MACROS[text.toLowerCase()] ?? text;
  if (expanded.startsWith('@')) throw new Error(`unparseable schedule: unrecognized descriptor: ${text}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new Error(`unparseable schedule: expected exactly 5 fields, found ${parts.length}: ${text}`);
  try {
    const dow = field(parts[4]!, 'day of week', 0, 7, DAYS);
    const weekdays = new Set([...dow.set].map((d) => d % 7));
    const dom = field(parts[2]!, 'day of month', 1, 31);
    return {
      minutes: field(parts[0]!, 'minute', 0, 59).set,
      hours: field(parts[1]!, 'hour', 0, 23).set,
      days: dom.set,
      months: field(parts[3]!, 'month', 1, 12, MONTHS, 1).set,
      weekdays,
      domStar: dom.star,
      dowStar: dow.star,
    };
  } catch (e) {
    throw new Error(`unparseable schedule: ${(e as Error).message}`, { cause: e });
  }
}

/** Unix seconds of sim second 0 (2025-01-01T00:00:00Z). */
const EPOCH_UNIX = 1_735_689_600;

/** Days since 1970-01-01 of a civil date (month 1-12). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day count since 1970-01-01. */
function civilFromDays(z0: number): { y: number; m: number; d: number } {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function dayMatches(s: CronSchedule, d: number, weekday: number): boolean {
  const dom = s.days.has(d);
  const dow = s.weekdays.has(weekday);
  if (s.domStar || s.dowStar) return dom && dow;
  return dom || dow;
}

/**
 * The first sim second strictly after `t` (sim seconds) at which `s` runs (a whole minute), or null when
 * none within five years (e.g. `0 0 30 2 *`). The fields are read on the wall clock of `timeZone` (the
 * CronJob's `spec.timeZone`, an IANA name; default UTC, as the controller's when the field is unset on a
 * UTC kube-controller-manager): `0 9 * * *` in `Europe/Berlin` runs at 08:00Z in winter, 07:00Z in
 * summer. A time skipped by a daylight-saving change does not run that day; a repeated one runs once.
 * Source: K pkg/controller/cronjob/utils.go (`getTimeZone`), robfig/cron v3 `SpecSchedule.Next`.
 * @throws RangeError when `timeZone` is not a zone of the runtime's database ({@link timeZoneError}).
 */
export function nextCronTime(s: CronSchedule, t: number, timeZone?: string): number | null {
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') return nextLocalMinute(s, EPOCH_UNIX + t, (u) => u);
  const zone = timeZone;
  // Search the zone's wall-clock minutes after t's; each candidate maps back to the instant that shows
  // it. A wall-clock time skipped by a DST change (no instant shows it) does not run; one shown twice
  // runs at its first instant after t.
  const start = EPOCH_UNIX + t;
  return nextLocalMinute(s, start + zoneOffsetSeconds(zone, start), (local) => {
    // The offsets in force a day either side cover any change near `local`; the earliest match wins.
    const guesses = [local - zoneOffsetSeconds(zone, local - 86_400), local - zoneOffsetSeconds(zone, local), local - zoneOffsetSeconds(zone, local + 86_400)].sort((a, b) => a - b);
    for (const guess of guesses) {
      if (guess > start && guess + zoneOffsetSeconds(zone, guess) === local) return guess;
    }
    return null;
  });
}

/**
 * The civil-calendar search behind {@link nextCronTime}: the first whole minute strictly after `from`
 * (Unix seconds on the clock being searched) that `s` matches and `accept` maps to a Unix instant, as
 * sim seconds; null when none within five years.
 */
function nextLocalMinute(s: CronSchedule, from: number, accept: (clock: number) => number | null): number | null {
  let u = (Math.floor(from / 60) + 1) * 60;
  const limit = u + 5 * 366 * 86_400;
  while (u < limit) {
    const day = Math.floor(u / 86_400);
    const sec = u - day * 86_400;
    const { y, m, d } = civilFromDays(day);
    if (!s.months.has(m)) {
      u = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) * 86_400;
      continue;
    }
    if (!dayMatches(s, d, (((day + 4) % 7) + 7) % 7)) {
      u = (day + 1) * 86_400;
      continue;
    }
    const hour = Math.floor(sec / 3600);
    if (!s.hours.has(hour)) {
      u = day * 86_400 + (hour + 1) * 3600;
      continue;
    }
    if (!s.minutes.has(Math.floor((sec % 3600) / 60))) {
      u += 60;
      continue;
    }
    const at = accept(u);
    if (at !== null) return at - EPOCH_UNIX;
    u += 60;
  }
  return null;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Why `zone` cannot be a CronJob's `spec.timeZone`, in the API server's words, or null when it is a zone
 * of the IANA database this runtime carries (`Europe/Berlin`, `UTC`; names are case-sensitive, as Go's
 * `time.LoadLocation` reads them from files). Source: K pkg/apis/batch/validation `validateTimeZone`.
 */
export function timeZoneError(zone: string): string | null {
  if (zone === '') return 'timeZone must be nil or non-empty string';
  if (zone.toLowerCase() === 'local') return 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones';
  const unknown = `unknown time zone ${zone}`;
  if (zone.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z_+\-0-9]+$/.test(part))) return unknown;
  try {
    const resolved = zoneFormat(zone).resolvedOptions().timeZone;
    return resolved !== zone && resolved.toLowerCase() === zone.toLowerCase() ? unknown : null;
  } catch {
    zoneFormats.delete(zone);
    return unknown;
  }
}

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(zone, f);
  }
  return f;
}

/**
 * The offset of `zone` from UTC at Unix second `unix`, in seconds (Europe/Berlin in January: 3600).
 * @throws RangeError for a zone the runtime does not know (check with {@link timeZoneError}).
 */
export function zoneOffsetSeconds(zone: string, unix: number): number {
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  for (const p of zoneFormat(zone).formatToParts(unix * 1000)) {
    const v = Number(p.value);
    if (p.type === 'year') y = v;
    else if (p.type === 'month') mo = v;
    else if (p.type === 'day') d = v;
    else if (p.type === 'hour') h = v;
    else if (p.type === 'minute') mi = v;
    else if (p.type === 'second') se = v;
  }
  return daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - unix;
}

/** The Unix time in minutes of sim second `t` (the CronJob controller names Jobs `<cronjob>-<this>`). */
export function unixMinutes(t: number): number {
  return Math.floor((EPOCH_UNIX + t) / 60);
}
