/** The letter_events table (delivery/event-store.ts). */
import type { EventStore } from '../../delivery/event-store.js';
import type { EventType, LetterEvent } from '../../delivery/lifecycle.js';
import type { Db } from '../db.js';

export class SqlEventStore implements EventStore {
  constructor(private db: Db) {}

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  lockLetter(letterId: string): Promise<void> {
    return this.db.lock(`events:${letterId}`);
  }

  async events(letterId: string): Promise<LetterEvent[]> {
    return (await this.db.all('SELECT * FROM letter_events WHERE letter_id = ? ORDER BY seq', [letterId])).map(toEvent);
  }

  async eventsOfLetters(letterIds: string[]): Promise<LetterEvent[]> {
    const out: LetterEvent[] = [];
    // In slices: a long IN list is bounded by both databases' parameter limits.
    for (let i = 0; i < letterIds.length; i += 500) {
      const ids = letterIds.slice(i, i + 500);
      const marks = ids.map(() => '?').join(', ');
      const rows = await this.db.all(
        `SELECT * FROM letter_events WHERE letter_id IN (${marks}) ORDER BY letter_id, seq`,
        ids,
      );
      out.push(...rows.map(toEvent));
    }
    return out;
  }

  async nextSeq(letterId: string): Promise<number> {
    const row = await this.db.get<{ m: number }>(
      'SELECT COALESCE(MAX(seq), 0) m FROM letter_events WHERE letter_id = ?',
      [letterId],
    );
    return Number(row?.m ?? 0) + 1;
  }

  async insert(e: LetterEvent): Promise<void> {
    await this.db.run(
      'INSERT INTO letter_events (id, letter_id, seq, type, at, actor, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [e.id, e.letterId, e.seq, e.type, e.at, e.actor, JSON.stringify(e.details), e.createdAt],
    );
  }
}

function toEvent(r: Record<string, unknown>): LetterEvent {
  return {
    id: r.id as string,
    letterId: r.letter_id as string,
    seq: Number(r.seq),
    type: r.type as EventType,
    at: r.at as string,
    actor: r.actor as string,
    details: JSON.parse(r.details as string) as Record<string, unknown>,
    createdAt: r.created_at as string,
  };
}
