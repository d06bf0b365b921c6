/** What the delivery part needs from storage (store/sql/events.ts): a letter's events in order. */
import type { Transactional } from '../shared/transactional.js';
import type { LetterEvent } from './lifecycle.js';

export interface EventStore extends Transactional {
  /** Inside a transaction: holds the letter's event lock until it ends (two instances never both append after one state). */
  lockLetter(letterId: string): Promise<void>;
  /** The letter's events, oldest first, with details as stored. */
  events(letterId: string): Promise<LetterEvent[]>;
  /** The events of many letters (a page of the 函件 list), each letter's oldest first. */
  eventsOfLetters(letterIds: string[]): Promise<LetterEvent[]>;
  nextSeq(letterId: string): Promise<number>;
  insert(e: LetterEvent): Promise<void>;
}
