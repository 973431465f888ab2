/**
 * Connects the host, the KPI worker and the analysis store: loads the project's analysis data into the
 * worker when a project opens; after every command, undo or redo that touches what the KPIs depend on it
 * reads only the touched rows (getAnalysisChanges) and sends them as a delta (the worker recomputes only
 * what they touch); and it asks for the selected year and service.
 */
import type { HostClient } from '../../shared/contract/host-api';
import { isDemandService } from '../../shared/analysis/settings';
import { analysisChangesFor, type AnalysisChangesRequest } from '../../shared/analysis/analysis-delta';
import { useAnalysisStore } from './analysis-store';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';


export function attachAnalysis(host: HostClient): () => void {
  const store = useAnalysisStore;
  // A Web Worker where the page may start one; where it may not (a file:// page in some Electron setups),
  // the same handler runs on the main thread, a message at a time, so the analysis still works.
  let worker: { postMessage(request: WorkerRequest): void; terminate(): void; onmessage: ((event: MessageEvent<WorkerResponse>) => void) | null };
  let lastLoad: WorkerRequest | null = null;
  let started = false;
  const inThread = () => {
    let receive: ((event: MessageEvent<WorkerResponse>) => void) | null = null;
    let handle: ((request: WorkerRequest) => void) | null = null;
    const fallback = {
      get onmessage() {
        return receive;
      },
      set onmessage(listener: ((event: MessageEvent<WorkerResponse>) => void) | null) {
        receive = listener;
      },
      postMessage(request: WorkerRequest) {
        setTimeout(async () => {
          handle ??= (await import('./kpi-handler')).createKpiHandler((message) => receive?.({ data: message } as MessageEvent<WorkerResponse>));
          handle(request);
        }, 0);
      },
      terminate() {
        receive = null;
      },
    };
    return fallback;
  };
  try {
    const real = new Worker(new URL('./kpi.worker.ts', import.meta.url), { type: 'module' });
    real.onerror = (event) => {
      if (started) return store.setState({ status: 'error', error: event.message || 'worker error' });
      // The worker never started: switch to the main thread and replay the data.
      const listener = worker.onmessage;
      worker = inThread();
      worker.onmessage = listener;
      if (lastLoad) worker.postMessage(lastLoad);
    };
    worker = real;
  } catch {
    worker = inThread();
  }
  let nextId = 1;
  let pendingId = 0;
  let disposed = false;
  let loading: Promise<void> = Promise.resolve();

  const send = (request: WorkerRequest) => {
    if (request.type === 'load') lastLoad = request;
    worker.postMessage(request);
  };

  const requestCompute = () => {
    const { year, service, status } = store.getState();
    if (year === null || status === 'loading') return;
    pendingId = nextId++;
    store.setState({ status: 'computing' });
    send({ type: 'compute', id: pendingId, year, service, withSeries: true });
  };

  worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
    started = true;
    const message = event.data;
    const state = store.getState();
    if (message.type === 'loaded') {
      const services = message.services;
      const service = services.includes(state.service) ? state.service : (services[0] ?? state.service);
      // Keep the chosen year while it exists; otherwise the newest year that is not a forecast.
      const observed = message.years.filter((year) => !message.forecastYears.includes(year));
      const year = state.year !== null && message.years.includes(state.year) ? state.year : (observed[observed.length - 1] ?? message.years[0] ?? null);
      store.setState({ years: message.years, forecastYears: message.forecastYears, services, unitKinds: message.unitKinds, service, year, status: 'ready', error: null, baseline: null });
      if (message.years[0] !== undefined) send({ type: 'compute', id: -1, year: message.years[0], service, withSeries: false });
      requestCompute();
    } else if (message.type === 'updated') {
      store.setState({ lastUpdateMs: message.milliseconds });
      requestCompute();
    } else if (message.type === 'result') {
      if (message.id === -1) {
        store.setState({ baseline: message.result });
        return;
      }
      if (message.id !== pendingId) return; // a newer request is on its way
      store.setState((current) => ({ status: 'ready', result: message.result, series: message.series ?? current.series, lastComputeMs: message.milliseconds, revision: current.revision + 1 }));
    } else if (message.type === 'series') {
      if (message.id === pendingId) store.setState({ series: message.series });
    } else {
      store.setState({ status: 'error', error: message.message });
    }
  };

  const load = (type: 'load' | 'update') => {
    loading = loading.then(async () => {
      if (disposed) return;
      if (type === 'load') store.setState({ status: 'loading' });
      try {
        const data = await host.getAnalysisData({});
        if (!disposed) {
          store.setState({ settings: data.settings });
          send({ type, data });
        }
      } catch (error) {
        store.setState({ status: 'error', error: error instanceof Error ? error.message : String(error) });
      }
    });
  };

  /** The edit path: only the rows the edit touched travel from the host to the worker. */
  const loadDelta = (request: AnalysisChangesRequest) => {
    loading = loading.then(async () => {
      if (disposed) return;
      try {
        const delta = await host.getAnalysisChanges(request);
        if (disposed) return;
        if (delta.settings) store.setState({ settings: delta.settings });
        send({ type: 'delta', delta });
      } catch (error) {
        store.setState({ status: 'error', error: error instanceof Error ? error.message : String(error) });
      }
    });
  };

  load('load');
  const offChanged = host.on('projectChanged', (result) => {
    // Population, units or an edit that does not list its rows (an older producer): the full read.
    const changes = analysisChangesFor(result.touched, result.touchedKeys);
    if (changes === 'reload') load('update');
    else if (changes) loadDelta(changes);
  });
  const offOpened = host.on('projectOpened', () => load('load'));
  // Switching scenarios rewrites the plan tables: the KPIs follow the scenario shown. The host lists the rows a switch rewrote, so a switch takes the same delta path as an edit.
  const offScenarios = host.on('scenariosChanged', (state) => {
    const changes = analysisChangesFor(state.touched, state.touchedKeys);
    if (changes === 'reload') load('update');
    else if (changes) loadDelta(changes);
  });
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.year !== previous.year || state.service !== previous.service) {
      if (state.service !== previous.service && isDemandService(state.service)) {
        const first = state.years[0];
        if (first !== undefined) send({ type: 'compute', id: -1, year: first, service: state.service, withSeries: false });
      }
      requestCompute();
    }
  });
  return () => {
    disposed = true;
    offChanged();
    offOpened();
    offScenarios();
    unsubscribe();
    worker.terminate();
    store.getState().reset();
  };
}
