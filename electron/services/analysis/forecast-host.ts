/**
 * The forecast job of the HostApi (`forecastStart` / `forecastCancel`): runs a forecast method on the host
 * with progress events and cancellation, and stores the result as one undoable `forecast.apply` command.
 * A cancelled or failed job leaves the project as it was (nothing is written before the last step).
 */
import { randomBytes } from 'node:crypto';
import { toErrorPayload } from '../../../shared/errors';
import type { HostApi, HostEventSink } from '../../../shared/contract/host-api';
import type { ProjectFile } from '../../store/project-file';
import { runForecast } from './forecast-service';

export interface ForecastHostContext {
  requireProject(): ProjectFile;
  emit: HostEventSink;
  /** The file of a finished upload (import-host.ts). */
  uploadedFile(uploadId: string): { name: string; file: string };
}

export type ForecastMethods = Pick<HostApi, 'forecastStart' | 'forecastCancel'> & { disposeForecasts(): void };

/**
 * VERKOSTO_FORECAST_STEP_DELAY_MS slows the cohort model's yearly steps down (0 by default): the end-to-end
 * test sets it so that its Cancel press always lands while the job is still running.
 */
function stepDelayMs(): number {
  const value = Number(process.env.VERKOSTO_FORECAST_STEP_DELAY_MS ?? 0);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 5000) : 0;
}

export function createForecastMethods(context: ForecastHostContext): ForecastMethods {
  const jobs = new Map<string, AbortController>();
  return {
    async forecastStart({ method, toYear, uploadId }) {
      const project = context.requireProject();
      // Resolved before the job starts, so an unknown upload is an error of this call.
      const input = method === 'import' ? context.uploadedFile(uploadId!) : null;
      const jobId = randomBytes(16).toString('hex');
      const controller = new AbortController();
      jobs.set(jobId, controller);
      let last = 0;
      void (async () => {
        try {
          const outcome = await runForecast(project, method, {
            ...(toYear === undefined ? {} : { toYear }),
            ...(input ? { input: input.file, inputName: input.name } : {}),
            signal: controller.signal,
            stepDelayMs: stepDelayMs(),
            onProgress: (fraction) => {
              const now = Date.now();
              if (now - last < 100 && fraction < 1) return;
              last = now;
              context.emit('forecastProgress', { jobId, fraction });
            },
          });
          context.emit('projectChanged', outcome.edit);
          context.emit('forecastFinished', { jobId, summary: { method: outcome.method, fromYear: outcome.fromYear, toYear: outcome.toYear, rows: outcome.rows }, error: null });
        } catch (error) {
          context.emit('forecastFinished', { jobId, summary: null, error: toErrorPayload(error) });
        } finally {
          jobs.delete(jobId);
        }
      })();
      return { jobId };
    },

    async forecastCancel({ jobId }) {
      // A job that already ended has nothing to stop: its forecastFinished event tells the outcome.
      jobs.get(jobId)?.abort();
    },

    disposeForecasts() {
      for (const job of jobs.values()) job.abort();
      jobs.clear();
    },
  };
}
