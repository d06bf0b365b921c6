/** Prometheus text metrics: requests by route and status, latency histogram, letters by kind, queue depth. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface RegistryStats {
  queries: number;
  pool: { total: number; idle: number; waiting: number } | null;
}

export class Metrics {
  private requests = new Map<string, number>();
  private latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private letters = new Map<string, number>();
  queueDepth = () => 0;
  inFlight = () => 0;
  /** The registry's database: statements sent, and (PostgreSQL) the connection pool. */
  registry: () => RegistryStats | null = () => null;

  observe(route: string, status: number, seconds: number): void {
    const k = `${route}\u0000${status}`;
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    const h = this.latency.get(route) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
    this.latency.set(route, h);
  }

  letter(kind: string, mode: 'preview' | 'issue'): void {
    const k = `${kind}\u0000${mode}`;
    this.letters.set(k, (this.letters.get(k) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    out.push(
      '# HELP hanjian_http_requests_total HTTP requests by route and status.',
      '# TYPE hanjian_http_requests_total counter',
    );
    for (const [k, v] of this.requests) {
      const [route, status] = k.split('\u0000');
      out.push(`hanjian_http_requests_total{route="${esc(route!)}",status="${status}"} ${v}`);
    }
    out.push(
      '# HELP hanjian_http_request_duration_seconds Request latency.',
      '# TYPE hanjian_http_request_duration_seconds histogram',
    );
    for (const [route, h] of this.latency) {
      BUCKETS.forEach((b, i) =>
        out.push(`hanjian_http_request_duration_seconds_bucket{route="${esc(route)}",le="${b}"} ${h.buckets[i]}`),
      );
      out.push(`hanjian_http_request_duration_seconds_bucket{route="${esc(route)}",le="+Inf"} ${h.count}`);
      out.push(`hanjian_http_request_duration_seconds_sum{route="${esc(route)}"} ${h.sum}`);
      out.push(`hanjian_http_request_duration_seconds_count{route="${esc(route)}"} ${h.count}`);
    }
    out.push(
      '# HELP hanjian_letters_rendered_total Letters rendered by kind and mode.',
      '# TYPE hanjian_letters_rendered_total counter',
    );
    for (const [k, v] of this.letters) {
      const [kind, mode] = k.split('\u0000');
      out.push(`hanjian_letters_rendered_total{kind="${kind}",mode="${mode}"} ${v}`);
    }
    out.push(
      '# HELP hanjian_render_queue_depth Renders waiting for a worker.',
      '# TYPE hanjian_render_queue_depth gauge',
      `hanjian_render_queue_depth ${this.queueDepth()}`,
    );
    out.push(
      '# HELP hanjian_render_in_flight Renders running in workers.',
      '# TYPE hanjian_render_in_flight gauge',
      `hanjian_render_in_flight ${this.inFlight()}`,
    );
    const r = this.registry();
    if (r) {
      out.push(
        '# HELP hanjian_registry_queries_total Statements sent to the registry database (round trips).',
        '# TYPE hanjian_registry_queries_total counter',
        `hanjian_registry_queries_total ${r.queries}`,
      );
      if (r.pool) {
        out.push(
          '# HELP hanjian_registry_pool_connections PostgreSQL connections of this instance by state.',
          '# TYPE hanjian_registry_pool_connections gauge',
          `hanjian_registry_pool_connections{state="idle"} ${r.pool.idle}`,
          `hanjian_registry_pool_connections{state="busy"} ${r.pool.total - r.pool.idle}`,
        );
        out.push(
          '# HELP hanjian_registry_pool_waiting Queries waiting for a free PostgreSQL connection.',
          '# TYPE hanjian_registry_pool_waiting gauge',
          `hanjian_registry_pool_waiting ${r.pool.waiting}`,
        );
      }
    }
    return `${out.join('\n')}\n`;
  }
}
