/**
 * The map preview of an import: the mapped features (already in the project CRS) drawn over the
 * project's municipality outline in an SVG, so the user sees before importing that the points land in
 * the right place (a swapped axis or a wrong CRS shows at once).
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Geometry, Position } from '../../shared/geo/geometry';
import type { PreviewFeature } from '../../shared/import/contract';
import { useProjectStore } from '../state/project-store';

const WIDTH = 320;
const HEIGHT = 240;

function positions(geometry: Geometry): Position[][] {
  switch (geometry.type) {
    case 'Point':
      return [[geometry.coordinates]];
    case 'MultiPoint':
      return geometry.coordinates.map((p) => [p]);
    case 'LineString':
      return [geometry.coordinates];
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates;
    case 'MultiPolygon':
      return geometry.coordinates.flat();
  }
}

export function ImportPreviewMap({ features }: { features: PreviewFeature[] }) {
  const { t } = useTranslation();
  const summary = useProjectStore((state) => state.summary);
  const municipality = summary?.layers.find((layer) => layer.id === 'municipality')?.extent ?? null;
  const drawn = useMemo(() => {
    const parts = features.filter((f) => f.geometry).map((f) => positions(f.geometry!));
    let [minX, minY, maxX, maxY] = municipality ?? [Infinity, Infinity, -Infinity, -Infinity];
    for (const rings of parts) for (const ring of rings) for (const [x, y] of ring) {
      minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
    }
    if (!Number.isFinite(minX)) return null;
    const span = Math.max(maxX - minX, maxY - minY, 1) * 1.05;
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    const scale = Math.min(WIDTH, HEIGHT) / span;
    const px = (p: Position) => [WIDTH / 2 + (p[0] - cx) * scale, HEIGHT / 2 - (p[1] - cy) * scale] as const;
    return { parts: parts.map((rings) => rings.map((ring) => ring.map(px))), frame: municipality ? [px([municipality[0], municipality[3]]), px([municipality[2], municipality[1]])] : null };
  }, [features, municipality]);
  return (
    <figure className="import-preview-map" data-testid="import-preview-map">
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('importer.previewMap')}>
        <rect width={WIDTH} height={HEIGHT} className="import-preview-bg" />
        {drawn?.frame && <rect x={drawn.frame[0]![0]} y={drawn.frame[0]![1]} width={drawn.frame[1]![0] - drawn.frame[0]![0]} height={drawn.frame[1]![1] - drawn.frame[0]![1]} className="import-preview-frame" />}
        {drawn?.parts.map((rings, index) =>
          rings.length === 1 && rings[0]!.length === 1 ? (
            <circle key={index} cx={rings[0]![0]![0]} cy={rings[0]![0]![1]} r={3} className="import-preview-point" />
          ) : (
            <path key={index} d={rings.map((ring) => `M${ring.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join('L')}Z`).join('')} className="import-preview-area" />
          ),
        )}
      </svg>
      <figcaption>{municipality ? t('importer.previewCaption') : t('importer.previewCaptionNoArea')}</figcaption>
    </figure>
  );
}
