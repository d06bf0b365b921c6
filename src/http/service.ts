/** The whole service: server + render pool + registry, as `hanjian serve` and `npm start` run it. */
import { Admission, ISSUE_QUEUE_FULL_DETAIL } from './admission.js';
import { openRegistry, type Renderer } from '../registry/registry.js';
import type { ServerConfig } from './config.js';
import { Metrics } from './metrics.js';
import { renderPoolFor } from './pool.js';
import { registryRoutes } from './registry-routes.js';
import { startServer, type Logger, type RunningServer } from './server.js';

export async function startService(config: ServerConfig, log?: Logger): Promise<RunningServer> {
  // Issuing renders in its own worker pool so that previews cannot starve it (and vice versa).
  const issuePool = renderPoolFor(config, 1, 64, config.renderTimeoutMs * 3);
  const render: Renderer = async (input, o) => {
    const r = await issuePool.render({ input, mode: 'render', letterNo: o.letterNo, verification: o.verification, today: o.today });
    return { pdf: Buffer.from(r.pdf), sha256: r.sha256, inputSha256: r.inputSha256, template: { kind: r.kind, version: r.version } };
  };
  const registry = openRegistry({ db: config.db, publicBaseUrl: config.publicBaseUrl ?? `http://127.0.0.1:${config.port}`, render, creditorPrefix: config.creditorLetterPrefix, busyTimeoutMs: config.registryBusyTimeoutMs });
  const metrics = new Metrics();
  const admission = new Admission(config.maxIssueQueue);
  return startServer(config, {
    log,
    metrics,
    mountRegistry: registryRoutes(registry, metrics, admission),
    shed: [{ method: 'POST', path: '/v1/letters', saturated: () => admission.saturated, detail: ISSUE_QUEUE_FULL_DETAIL }],
    onClose: async () => { await issuePool.close(); await registry.close(); },
  });
}
