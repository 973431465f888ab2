/**
 * Asks before a refused shape is repaired: says what was wrong with it and what the repair gives (parts and
 * area). It is docked beside the map, not over it, so the repaired shape drawn on the map in green stays in
 * view. "Repair and save" sends the repaired command — one command, so one undo step; "Cancel" (or Esc)
 * leaves the project as it was. The map takes no clicks meanwhile. An invalid shape is never stored.
 */
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditingStore } from './editing-store';

function squareMetres(value: number): string {
  return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('fi-FI');
}

export function RepairDialog() {
  const { t } = useTranslation();
  const titleId = useId();
  const repair = useEditingStore((state) => state.repair);
  const accept = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!repair) return;
    accept.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') repair.decide(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [repair]);

  if (!repair) return null;
  const { offer, decide } = repair;
  return (
    <section className="editing-panel editing-repair" role="alertdialog" aria-labelledby={titleId} data-testid="repair-dialog">
      <header className="editing-panel-header">
        <h2 id={titleId}>{t('editing.repair.title')}</h2>
      </header>
      {offer.shapes.map((shape, index) => (
        <div key={index} data-testid="repair-shape">
          <p>
            <strong>{t('editing.repair.problem', { name: shape.name, problem: t(`editing.geometryProblem.${shape.problem}`, { name: shape.name }) })}</strong>
          </p>
          <p>{t(`editing.repair.how.${shape.problem}`)}</p>
          <p data-testid="repair-result">{t('editing.repair.result', { count: shape.after.coordinates.length, area: squareMetres(shape.areaAfter) })}</p>
        </div>
      ))}
      <p className="editing-muted">{t('editing.repair.never')}</p>
      <div className="editing-row editing-repair-actions">
        <button type="button" className="button" onClick={() => decide(false)} data-testid="repair-cancel">
          {t('common.cancel')}
        </button>
        <button ref={accept} type="button" className="button button--primary" onClick={() => decide(true)} data-testid="repair-accept">
          {t('editing.repair.accept')}
        </button>
      </div>
    </section>
  );
}
