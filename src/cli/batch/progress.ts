/** Progress on stderr: a redrawn bar on a terminal, otherwise one line every few seconds. */
import { terminal } from '../terminal.js';
export class Progress {
  private start = performance.now();
  private lastLine = 0;
  constructor(
    private total: number | null,
    private tty: boolean,
    private intervalMs = 5000,
  ) {}

  update(done: number, failed: number): void {
    const now = performance.now();
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const eta = this.total && rate > 0 ? Math.max(0, (this.total - done) / rate) : null;
    const count = this.total ? `${done}/${this.total}` : `${done}`;
    const tail = `${count}  ${rate.toFixed(1)}/s  ${failed} failed${eta !== null ? `  ETA ${fmt(eta)}` : ''}`;
    if (this.tty) {
      const width = 28;
      const filled = this.total ? Math.round((done / this.total) * width) : 0;
      terminal().stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}\x1b[K`);
    } else if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      terminal().stderr.write(`progress: ${tail}\n`);
    }
  }

  finish(): void {
    if (this.tty) terminal().stderr.write('\n');
  }
}

function fmt(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${Math.round(s)}s`;
}
