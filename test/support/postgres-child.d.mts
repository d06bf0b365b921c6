export function startPostgresChild(): Promise<{ url: string; stop: () => Promise<void> }>;
