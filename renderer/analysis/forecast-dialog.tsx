/**
 * The forecast dialog: pick the method (cohort-component with the Helsinki model's inputs, Hamilton–Perry
 * from two observed years, or a city's own forecast table as CSV/XLSX) and the target year, then run it on
 * the host with progress and Cancel. The result is one undoable `forecast.apply` command; the KPI worker
 * recomputes when the host reports the change.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastSummary, HostEvents } from '../../shared/contract/host-api';
import type { ErrorPayload } from '../../shared/errors';
import { useHost } from '../app/host-context';
import { Modal } from '../app/modal';
import { uploadBytes } from '../import/upload';

type Method = 'cohort' | 'hamilton-perry' | 'import';
type Phase = 'form' | 'running' | 'done';

const METHODS: Method[] = ['cohort', 'hamilton-perry', 'import'];
const DEFAULT_TO_YEAR = 2035;

function toPayload(caught: unknown): ErrorPayload {
  const payload = caught as Partial<ErrorPayload> & { message?: string };
  return { code: (payload.code ?? 'internal') as ErrorPayload['code'], params: payload.params ?? { detail: String(payload.message ?? caught) }, message: String(payload.message ?? caught) };
}

export function ForecastDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const host = useHost();
  const [method, setMethod] = useState<Method>('cohort');
  const [toYear, setToYear] = useState(String(DEFAULT_TO_YEAR));
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('form');
  const [fraction, setFraction] = useState(0);
  const [summary, setSummary] = useState<ForecastSummary | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const jobRef = useRef<string | null>(null);
  const uploadAbort = useRef<AbortController | null>(null);

  useEffect(() => {
    const offProgress = host.on('forecastProgress', (event: HostEvents['forecastProgress']) => {
      if (event.jobId === jobRef.current) setFraction(event.fraction);
    });
    const offFinished = host.on('forecastFinished', (event: HostEvents['forecastFinished']) => {
      if (event.jobId !== jobRef.current) return;
      jobRef.current = null;
      if (event.error) {
        setError(event.error);
        setPhase('form');
      } else {
        setSummary(event.summary);
        setPhase('done');
      }
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [host]);

  const year = Number(toYear);
  const yearValid = method === 'import' || (Number.isInteger(year) && year >= 2020 && year <= 2040);
  const canStart = phase === 'form' && yearValid && (method !== 'import' || file !== null);

  async function start() {
    setError(null);
    setSummary(null);
    setFraction(0);
    setPhase('running');
    try {
      let uploadId: string | undefined;
      if (method === 'import') {
        uploadAbort.current = new AbortController();
        uploadId = await uploadBytes(host, file!.name, new Uint8Array(await file!.arrayBuffer()), { signal: uploadAbort.current.signal });
        uploadAbort.current = null;
      }
      const { jobId } = await host.forecastStart({ method, ...(method === 'import' ? { uploadId } : { toYear: year }) });
      jobRef.current = jobId;
    } catch (caught) {
      uploadAbort.current = null;
      if ((caught as { name?: string }).name === 'AbortError') setError({ code: 'forecastCancelled', params: {}, message: 'cancelled' });
      else setError(toPayload(caught));
      setPhase('form');
    }
  }

  async function cancel() {
    uploadAbort.current?.abort();
    if (jobRef.current) await host.forecastCancel({ jobId: jobRef.current }).catch(() => undefined);
  }

  const close = () => {
    if (phase === 'running') void cancel();
    onClose();
  };

  return (
    <Modal
      title={t('analysis.forecastDialog.title')}
      onClose={close}
      testId="forecast-dialog"
      footer={
        phase === 'running' ? (
          <button type="button" className="button" onClick={() => void cancel()} data-testid="forecast-cancel">
            {t('analysis.forecastDialog.cancelRun')}
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={close} data-testid="forecast-close">
              {phase === 'done' ? t('analysis.forecastDialog.close') : t('common.cancel')}
            </button>
            {phase === 'form' && (
              <button type="button" className="button button--primary" disabled={!canStart} onClick={() => void start()} data-testid="forecast-start">
                {t('analysis.forecastDialog.start')}
              </button>
            )}
          </>
        )
      }
    >
      <fieldset className="forecast-methods" disabled={phase !== 'form'}>
        <legend>{t('analysis.forecastDialog.method')}</legend>
        {METHODS.map((option) => (
          <label key={option} className="forecast-method">
            <input type="radio" name="forecast-method" value={option} checked={method === option} onChange={() => setMethod(option)} data-testid={`forecast-method-${option}`} />
            <span>
              <strong>{t(`analysis.forecastDialog.methods.${option}`)}</strong>
              <span className="field-hint">{t(`analysis.forecastDialog.hints.${option}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {method === 'import' ? (
        <label className="field">
          <span>{t('analysis.forecastDialog.file')}</span>
          <input type="file" accept=".csv,.txt,.xlsx,.xls,.ods" disabled={phase !== 'form'} onChange={(event) => setFile(event.target.files?.[0] ?? null)} data-testid="forecast-file" />
          <span className="field-hint">{t('analysis.forecastDialog.fileHint')}</span>
        </label>
      ) : (
        <label className="field">
          <span>{t('analysis.forecastDialog.toYear')}</span>
          <input type="number" min={2020} max={2040} step={1} value={toYear} disabled={phase !== 'form'} onChange={(event) => setToYear(event.target.value)} data-testid="forecast-to-year" />
          {!yearValid && (
            <span className="field-error" role="alert">
              {t('analysis.forecastDialog.badYear')}
            </span>
          )}
        </label>
      )}
      {phase === 'running' && (
        <div className="forecast-progress" data-testid="forecast-progress">
          <p>{t('analysis.forecastRunning', { percent: Math.round(fraction * 100) })}</p>
          <progress max={1} value={fraction} />
        </div>
      )}
      {phase === 'done' && summary && (
        <p role="status" data-testid="forecast-done">
          {t('analysis.forecastDone', { years: summary.toYear - summary.fromYear + 1, rows: summary.rows, method: t(`analysis.forecastDialog.methods.${summary.method}`) })}{' '}
          {t('analysis.forecastDialog.undoHint')}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="forecast-error">
          {t(`errors.${error.code}`, { ...error.params, defaultValue: error.message })}
        </p>
      )}
    </Modal>
  );
}
