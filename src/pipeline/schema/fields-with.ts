/** Where in the input did this come from? The string fields of validated (hence shallow) data. */
export function stringFields(data: unknown, path = ''): { path: string; value: string }[] {
  if (typeof data === 'string') return [{ path, value: data }];
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => stringFields(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** Paths of the string fields that pass a test. */
export function stringFieldsWhere(data: unknown, test: (s: string) => boolean): string[] {
  return stringFields(data)
    .filter((f) => test(f.value))
    .map((f) => f.path);
}
