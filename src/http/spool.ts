/**
 * A request body copied to a temporary file as fast as it arrives, then read back from there.
 * Node's requestTimeoutMs covers receiving the request: a 100,000-row batch read straight into
 * the store would be received only as fast as its rows are parsed, encrypted and stored, and a
 * busy machine would cut it off (408) half-way. Spooled, the upload takes network time only;
 * the rows are then ingested from disk, still one line in memory at a time.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

export interface Spooled {
  /** The body again, from the file. */
  read(): AsyncIterable<Buffer>;
  remove(): Promise<void>;
}

/** `parent`: where the temporary folder goes (the OS temp folder; a test's own one). */
export async function spool(body: AsyncIterable<Buffer>, parent = tmpdir()): Promise<Spooled> {
  const dir = await mkdtemp(join(parent, 'hanjian-batch-'));
  const file = join(dir, 'body');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const out = createWriteStream(file, { mode: 0o600 }); // personal data: readable by this service only
    try {
      for await (const chunk of body) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
    } finally {
      out.end();
      await finished(out);
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { read: () => createReadStream(file, { highWaterMark: 256 * 1024 }), remove };
}
