/**
 * The dashboard server, for Node: `startDashboardServer` shows a run of this process in the browser (what
 * `deltaflow train --dashboard` uses), `startReplayServer` a recorded JSONL run (`deltaflow dashboard --replay`),
 * `startPlaygroundServer` the standalone page (`deltaflow dashboard`).
 *
 * @packageDocumentation
 */
export { startDashboardServer } from './dashboard-server.js';
export { startPlaygroundServer } from './playground-server.js';
export type { PlaygroundServerOptions } from './playground-server.js';
export { startReplayServer } from './replay-server.js';
export type { ReplayServerOptions } from './replay-server.js';
export type { DashboardServer, DashboardServerOptions, RunControls, RunDashboardServer } from './options.js';
export { allowedOrigins } from './origins.js';
export { createStaticHandler, findPageDir, pageMetaTags, pluginPath } from './static-files.js';
export type { StaticHandlerOptions } from './static-files.js';
export type { ClientMessage, HelloMessage, ServerMessage } from '../shared/wire.js';
