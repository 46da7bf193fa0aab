/**
 * Incremental sync: `lastSyncTimestamp` asks Clinicea for everything added, modified or deleted strictly
 * after an instant written `YYYY-MM-DDTHH:mm:ss+0:00`, as the docs' example writes it (no milliseconds and no
 * `Z`: the vendor answers 400 to either, observed). The explicit offset leaves the vendor no zone to guess.
 *
 * Whole seconds cost precision, and the side we round to decides whether changes can be lost. The vendor may
 * keep its change times to the second (the simulator does), so a change at 12:00:00.900 can be stored as
 * `12:00:00`. Asked for changes after 12:00:00.500, flooring to `12:00:00` would drop it, as `12:00:00` is
 * not strictly after `12:00:00`. So we ask from one second before the floor: every change stamped in the
 * second that holds `changedSince`, or later, comes back. The price is that changes from up to two seconds
 * before `changedSince` may come back again, and a lead created in that second may be reported `Added`
 * rather than `Modified`. Sync consumers upsert by id, so a repeat is harmless; a loss is not.
 */
import { invalidQuery } from './responses.ts';
import { CLINICEA_TIMESTAMP_PATTERN, CLINICEA_UTC_OFFSET } from './wire.ts';

const SECOND_MS = 1000;

/** `YYYY-MM-DDTHH:mm:ss` in UTC, or undefined for an instant the vendor cannot be told. */
export function formatTimestamp(epochMs: number): string | undefined {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return undefined;
  const text = date.toISOString().slice(0, 19);
  // Years outside 0000-9999 come out as `+010000-...`, which the vendor cannot read.
  return CLINICEA_TIMESTAMP_PATTERN.test(text) ? text : undefined;
}

/** The `lastSyncTimestamp` that returns every change made after `changedSince` (and a little before it). */
export function lastSyncTimestamp(changedSince: Date): string {
  const ms = changedSince.getTime();
  const text = formatTimestamp(Math.floor(ms / SECOND_MS) * SECOND_MS - SECOND_MS);
  if (text === undefined) {
    throw invalidQuery('changedSince', 'expected changedSince to be a date between the years 0001 and 9999');
  }
  return `${text}${CLINICEA_UTC_OFFSET}`;
}
