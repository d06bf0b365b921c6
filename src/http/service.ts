/** The whole service: server + render pool + registry, as `hanjian serve` and `npm start` run it. */
import { openRegistry, type Renderer } from '../registry/registry.js';
import { loadSealConfig } from '../seals.js';
import type { ServerConfig } from './config.js';
import { Metrics } from './metrics.js';
import { renderPoolFor } from './pool.js';
import { registryRoutes } from './registry-routes.js';
import { startServer, type Logger, type RunningServer } from './server.js';

export async function startService(config: ServerConfig, log?: Logger): Promise<RunningServer> {
  // The render workers load the seals when they start; a bad seals file must stop the start here, named, not fail in every worker.
  if (config.sealsFile) loadSealConfig(config.sealsFile);
  // Issuing renders in its own worker pool so that previews cannot starve it (and vice versa).
  const issuePool = renderPoolFor(config, 1, 64, config.renderTimeoutMs * 3);
  const render: Renderer = async (input, o) => {
    const r = await issuePool.render({ input, mode: 'render', letterNo: o.letterNo, verification: o.verification, today: o.today });
    return { pdf: Buffer.from(r.pdf), sha256: r.sha256, inputSha256: r.inputSha256, template: { kind: r.kind, version: r.version } };
  };
  const registry = openRegistry({ db: config.db, publicBaseUrl: config.publicBaseUrl ?? `http://127.0.0.1:${config.port}`, render, creditorPrefix: config.creditorLetterPrefix });
  const metrics = new Metrics();
  return startServer(config, {
    log,
    metrics,
    mountRegistry: registryRoutes(registry, metrics),
    onClose: async () => { await issuePool.close(); await registry.close(); },
  });
}
