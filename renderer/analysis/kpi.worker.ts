/**
 * The KPI engine in a Web Worker: the map and panels stay responsive while it computes (kpi-handler.ts has
 * the logic; the renderer falls back to running it on the main thread where workers are unavailable).
 */
import { createKpiHandler } from './kpi-handler';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

// The renderer's tsconfig has the DOM library, not the worker one: the worker scope's postMessage takes one argument.
const handle = createKpiHandler((message: WorkerResponse) => (self as unknown as { postMessage(message: WorkerResponse): void }).postMessage(message));
self.onmessage = (event: MessageEvent<WorkerRequest>) => handle(event.data);
