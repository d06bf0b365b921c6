/**
 * A command about one letter (preview, render, validate) parses each of zod's schemas once, so
 * zod's compiled fast path — source text generated per object schema and compiled with
 * new Function on its first parse — costs more than it saves: interpreted, a cold preview's
 * validation took about half the time (issue 31). Both ways give the same result; the
 * service and the batch workers, which parse the same schemas thousands of times, keep it.
 */
import * as z from 'zod';

export async function forOneLetter<T>(run: () => Promise<T>): Promise<T> {
  const before = z.config().jitless;
  z.config({ jitless: true });
  try {
    return await run();
  } finally {
    z.config({ jitless: before });
  }
}
