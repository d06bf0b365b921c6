/** Paths of the string fields of validated data that pass a test: "where in the input did this come from?" */
export function stringFieldsWhere(data: unknown, test: (s: string) => boolean, path = ''): string[] {
  if (typeof data === 'string') return test(data) ? [path] : [];
  if (data && typeof data === 'object') {
    return Object.entries(data).flatMap(([k, v]) => stringFieldsWhere(v, test, path ? `${path}.${k}` : k));
  }
  return [];
}
