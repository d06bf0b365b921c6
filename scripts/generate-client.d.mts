export const GENERATED_HEADER: string;
export function clientTypes(doc: unknown): Promise<string>;
