/**
 * The two comparison maps, side by side or stacked with a swipe: B lies over A and is cut at a divider the
 * user drags (or moves with the arrow keys), so a changed boundary shows in place. The maps share one view,
 * so panning either pans both; outside B's clip the pointer reaches A.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

interface SwipeMapsProps {
  layout: 'side' | 'swipe';
  onLayout(layout: 'side' | 'swipe'): void;
  leftRef: RefObject<HTMLDivElement | null>;
  rightRef: RefObject<HTMLDivElement | null>;
  nameA: string;
  nameB: string;
}

const KEY_STEP = 5;

export function SwipeMaps({ layout, onLayout, leftRef, rightRef, nameA, nameB }: SwipeMapsProps) {
  const { t } = useTranslation();
  const [position, setPosition] = useState(50);
  const stackRef = useRef<HTMLDivElement>(null);
  const swipe = layout === 'swipe';

  const moveTo = (clientX: number) => {
    const box = stackRef.current?.getBoundingClientRect();
    if (!box || box.width === 0) return;
    setPosition(Math.min(100, Math.max(0, ((clientX - box.left) / box.width) * 100)));
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    event.preventDefault();
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (event.currentTarget.hasPointerCapture(event.pointerId)) moveTo(event.clientX);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0;
    if (step === 0) return;
    setPosition((current) => Math.min(100, Math.max(0, current + step)));
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <>
      <div className="segmented compare-layout" role="group" aria-label={t('compare.layout')}>
        <button type="button" className="button" aria-pressed={!swipe} onClick={() => onLayout('side')} data-testid="compare-layout-side">
          {t('compare.sideBySide')}
        </button>
        <button type="button" className="button" aria-pressed={swipe} onClick={() => onLayout('swipe')} data-testid="compare-layout-swipe">
          {t('compare.swipe')}
        </button>
      </div>
      <div ref={stackRef} className={swipe ? 'compare-maps compare-maps--swipe' : 'compare-maps'} data-testid="compare-maps" data-layout={layout}>
        <figure>
          <figcaption>A: {nameA}</figcaption>
          <div ref={leftRef} className="compare-map" data-testid="compare-map-a" />
        </figure>
        <figure style={swipe ? { clipPath: `inset(0 0 0 ${position}%)` } : undefined} data-testid="compare-figure-b">
          <figcaption>B: {nameB}</figcaption>
          <div ref={rightRef} className="compare-map" data-testid="compare-map-b" />
        </figure>
        {swipe && (
          <div
            className="compare-swipe-divider"
            style={{ left: `${position}%` }}
            role="slider"
            tabIndex={0}
            aria-label={t('compare.swipeHandle')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(position)}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onKeyDown={onKeyDown}
            data-testid="compare-swipe"
          >
            <span className="compare-swipe-grip" aria-hidden="true">
              ◀▶
            </span>
          </div>
        )}
      </div>
    </>
  );
}
