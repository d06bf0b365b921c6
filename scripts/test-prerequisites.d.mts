export const PROGRAMS: Record<string, { package: string | null; how?: string; works: () => boolean }>;
export function skippedOnRequest(env?: NodeJS.ProcessEnv): string[];
export function installCommand(programs: string[]): string;
export function missingLine(program: string): string;
export function missingPrograms(env?: NodeJS.ProcessEnv): string[];
