/** The service's log: one JSON line per entry, never a request body or personal data. */

export type Logger = (entry: Record<string, unknown>) => void;

/**
 * One JSON line per entry on stdout. Writes to a pipe are synchronous on Linux, so lines are
 * coalesced per event-loop turn: under a flood of requests that is one write, not thousands.
 */
let pending: string[] = [];
let scheduled = false;
function flushLogs(): void {
  scheduled = false;
  if (!pending.length || stdoutBroken) return;
  const chunk = pending.join('');
  pending = [];
  process.stdout.write(chunk);
}
process.on('exit', flushLogs);
// A closed log pipe (the collector died) must not take the service down with an unhandled EPIPE:
// requests go on being answered; the lines are lost, which is all that can happen to them.
let stdoutBroken = false;
process.stdout.on('error', () => {
  stdoutBroken = true;
  pending = [];
});
export const jsonLogger: Logger = (entry) => {
  pending.push(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry })}\n`);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushLogs);
  }
};
