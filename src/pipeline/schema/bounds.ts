/**
 * Bounds on the shape of untrusted input, checked before anything else looks at it: nesting
 * depth, number of values, and prototype keys. The walk is iterative with parent links, so
 * its cost is linear in the size of the input and a 100,000-level array cannot overflow the
 * stack (a recursive walk, zod, structured clone and JSON.stringify all can).
 */
import { type Issue, makeIssue } from '../../shared/errors.js';

export const INPUT_LIMITS = {
  /** A letter nests 4 levels (creditor.paymentChannels.0.type); 32 leaves room and stops abuse early. */
  maxDepth: 32,
  /** Objects, arrays and values together; a full letter with 100 history entries has ~400. */
  maxValues: 5_000,
  /** Fields of one object: the widest in a letter has 15, so 64 refuses junk before zod lists each unknown key. */
  maxKeys: 64,
} as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Frame {
  value: unknown;
  key: string;
  parent: Frame | null;
  depth: number;
  forbidden?: boolean;
}

function pathOf(f: Frame): string {
  const parts: string[] = [];
  for (let cur: Frame | null = f; cur?.parent; cur = cur.parent) parts.push(cur.key);
  return parts.reverse().join('.');
}

export interface BoundsOptions {
  maxDepth?: number;
  maxValues?: number;
  maxKeys?: number;
}

/**
 * Issues for input that is too deep or too large (the walk stops at the first of those) and
 * for every forbidden key. An empty list means the input is safe to hand to zod and to workers.
 */
export function checkInputBounds(input: unknown, options: BoundsOptions = {}): Issue[] {
  const maxDepth = options.maxDepth ?? INPUT_LIMITS.maxDepth;
  const maxValues = options.maxValues ?? INPUT_LIMITS.maxValues;
  const maxKeys = options.maxKeys ?? INPUT_LIMITS.maxKeys;
  const out: Issue[] = [];
  const stack: Frame[] = [{ value: input, key: '', parent: null, depth: 0 }];
  let seen = 0;
  while (stack.length) {
    const f = stack.pop()!;
    if (++seen > maxValues) {
      out.push(
        makeIssue(
          '',
          'INPUT_TOO_LARGE',
          `输入包含的值超过 ${maxValues} 个`,
          `the input holds more than ${maxValues} values`,
        ),
      );
      return out;
    }
    if (f.forbidden) {
      out.push(
        makeIssue(pathOf(f), 'FORBIDDEN_KEY', `不允许的字段名“${f.key}”`, `field name "${f.key}" is not allowed`),
      );
      continue; // its value is never looked at
    }
    const v = f.value;
    if (v === null || typeof v !== 'object') continue;
    if (f.depth >= maxDepth) {
      out.push(
        makeIssue(
          pathOf(f),
          'INPUT_TOO_DEEP',
          `嵌套层数超过 ${maxDepth} 层`,
          `nested more than ${maxDepth} levels deep`,
        ),
      );
      return out;
    }
    const keys = Object.keys(v);
    if (!Array.isArray(v) && keys.length > maxKeys) {
      out.push(
        makeIssue(
          pathOf(f),
          'INPUT_TOO_WIDE',
          `对象的字段超过 ${maxKeys} 个`,
          `an object has more than ${maxKeys} fields`,
        ),
      );
      return out;
    }
    // Pushed in reverse so that issues come out in document order.
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const forbidden = FORBIDDEN_KEYS.has(key);
      stack.push({
        value: forbidden ? undefined : (v as Record<string, unknown>)[key],
        key,
        parent: f,
        depth: f.depth + 1,
        forbidden,
      });
    }
  }
  return out;
}
