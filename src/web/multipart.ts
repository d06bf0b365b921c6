/**
 * multipart/form-data of the import form, already read into memory within the size limit
 * (express.raw): its text fields and at most one file. Small and strict, because the form is ours.
 */
export interface Multipart {
  fields: Record<string, string>;
  /** Every text field in order, repeated names included (a group of checkboxes). */
  all: [string, string][];
  file: { name: string; bytes: Buffer } | null;
}

export function parseMultipart(body: Buffer, contentType: string): Multipart | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b || b.length > 70) return null;
  const delimiter = Buffer.from(`--${b}`);
  const out: Multipart = { fields: {}, all: [], file: null };
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  let parts = 0;
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0 || ++parts > 20) return null;
    const part = body.subarray(start + 2, next - 2); // after CRLF, before CRLF--boundary
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return null;
    const head = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) return null;
    if (filename !== undefined) {
      if (out.file) return null;
      out.file = { name: filename.replace(/^.*[\\/]/, '').slice(0, 120), bytes: Buffer.from(content) };
    } else if (content.length <= 4096) {
      out.fields[name] = content.toString('utf8');
      out.all.push([name, out.fields[name]]);
    }
    at = next;
  }
  return out;
}
