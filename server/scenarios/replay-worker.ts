/**
 * Worker thread of {@link postmortemInWorker}: re-simulates one stored match off the main thread (a
 * one-hour match is about a second of CPU), so rooms on the process keep their tick while a
 * postmortem is written. Receives `{ record }` (a {@link ReplayRecord} as JSON), posts back
 * `{ ok: true, markdown, matches }` or `{ ok: false, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ReplayRecord, replayRecord } from './replay.ts';

const parsed = ReplayRecord.safeParse((workerData as { record: unknown }).record);
if (!parsed.success) parentPort!.postMessage({ ok: false, error: `not a stored match: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
else {
  try {
    const result = replayRecord(parsed.data, { postmortem: true });
    parentPort!.postMessage({ ok: true, markdown: result.postmortem, matches: result.matches });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
}
