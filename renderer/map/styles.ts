/**
 * OpenLayers styles of the workspace layers. Styles are built once per class or colour and reused: the
 * 250 m grid has thousands of cells and a style function runs for each of them on every frame.
 */
import type { FeatureLike } from 'ol/Feature.js';
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style, Text } from 'ol/style.js';
import { rampFor } from './classify';
import {
  CATCHMENT_FILL_OPACITY,
  CATCHMENT_PALETTE,
  CLOSED_FACILITY_COLOUR,
  HIGHLIGHT_COLOUR,
  LAND_COLOUR,
  LANGUAGE_COLOURS,
  MUNICIPALITY_OUTLINE,
  POPULATION_FILL_OPACITY,
  POPULATION_RAMP,
  darker,
  withOpacity,
} from './palette';

/** Feature keys the renderer sets on OL features (never sent to the host). */
export const RENDER_KEYS = {
  /** Index into CATCHMENT_PALETTE. */
  colour: 'verkostoColour',
  /** Choropleth class index, or -1 for no data. */
  populationClass: 'verkostoClass',
  /** Size class of a residential point by its weight (0 = light … 3 = heavy). */
  weightClass: 'verkostoWeightClass',
} as const;

const FACILITY_LABEL_MAX_RESOLUTION = 6;

/** Which name labels show: Swedish names where the UI is Swedish and the facility has one. */
let labelLanguage = 'fi';

export function setFacilityLabelLanguage(language: string): void {
  labelLanguage = language;
}

function facilityLabel(feature: FeatureLike): string {
  const swedish = feature.get('name_sv');
  if (labelLanguage === 'sv' && typeof swedish === 'string' && swedish.trim()) return swedish;
  return String(feature.get('name_fi') ?? '');
}

function facilityColour(feature: FeatureLike): string {
  const status = feature.get('status');
  if (status === 'closed') return CLOSED_FACILITY_COLOUR;
  return feature.get('language') === 'sv' ? LANGUAGE_COLOURS.sv : LANGUAGE_COLOURS.fi;
}

const facilitySymbolCache = new Map<string, Style>();

/** Symbol radius by zoom: small at city scale, where schools crowd, larger when zoomed in. */
function facilityRadius(resolution: number): number {
  if (resolution > 40) return 5;
  if (resolution > 12) return 6.5;
  return 8;
}

function facilitySymbol(kind: string, colour: string, planned: boolean, radius: number): Style {
  const key = `${kind}|${colour}|${planned}|${radius}`;
  let style = facilitySymbolCache.get(key);
  if (!style) {
    const fill = new Fill({ color: planned ? '#ffffff' : colour });
    const stroke = new Stroke({ color: planned ? colour : '#ffffff', width: planned ? 2.5 : radius < 6 ? 1.5 : 2 });
    const image =
      kind === 'daycare'
        ? new RegularShape({ points: 4, radius: radius * 1.2, angle: Math.PI / 4, fill, stroke, declutterMode: 'obstacle' })
        : new CircleStyle({ radius, fill, stroke, declutterMode: 'obstacle' });
    style = new Style({ image, zIndex: kind === 'school' ? 2 : 1 });
    facilitySymbolCache.set(key, style);
  }
  return style;
}

const labelFill = new Fill({ color: '#1b2433' });
const labelHalo = new Stroke({ color: 'rgba(255,255,255,0.92)', width: 3.5 });

/**
 * Facilities: circle = school, square = daycare; colour = teaching language; hollow = planned; names when
 * zoomed in. Symbol and name share one Style, so the layer's declutter keeps or drops the name without ever
 * hiding the symbol (declutterMode 'obstacle').
 */
export function facilityStyle(feature: FeatureLike, resolution: number): Style {
  const symbol = facilitySymbol(String(feature.get('facility_kind') ?? 'school'), facilityColour(feature), feature.get('status') === 'planned', facilityRadius(resolution));
  if (resolution > FACILITY_LABEL_MAX_RESOLUTION) return symbol;
  return new Style({
    image: symbol.getImage() ?? undefined,
    zIndex: symbol.getZIndex(),
    text: new Text({
      text: facilityLabel(feature),
      font: '600 12px system-ui, "Segoe UI", Roboto, sans-serif',
      textBaseline: 'bottom',
      offsetY: -11,
      fill: labelFill,
      stroke: labelHalo,
    }),
  });
}

const catchmentStyles = CATCHMENT_PALETTE.map(
  (colour) =>
    new Style({
      fill: new Fill({ color: withOpacity(colour, CATCHMENT_FILL_OPACITY) }),
      stroke: new Stroke({ color: darker(colour, 0.8), width: 2.2 }),
    }),
);

/** Catchments: a categorical fill per catchment (neighbours differ) with a darker outline; only the shown set. */
export function createCatchmentStyle(isShown: (feature: FeatureLike) => boolean) {
  return (feature: FeatureLike): Style | undefined => {
    if (!isShown(feature)) return undefined;
    const index = Number(feature.get(RENDER_KEYS.colour) ?? 0);
    return catchmentStyles[index % catchmentStyles.length];
  };
}

function populationStyles(classCount: number, withOutline: boolean): Style[] {
  return rampFor(POPULATION_RAMP, classCount).map(
    (colour) =>
      new Style({
        fill: new Fill({ color: withOpacity(colour, POPULATION_FILL_OPACITY) }),
        stroke: withOutline ? new Stroke({ color: 'rgba(70,82,96,0.55)', width: 0.7 }) : undefined,
      }),
  );
}

const noDataOutline = new Style({ stroke: new Stroke({ color: 'rgba(70,82,96,0.55)', width: 0.7 }) });

/** Choropleth of the population class set on each feature; `classCount` follows the current breaks. */
export function createPopulationStyle(withOutline: boolean) {
  let styles = populationStyles(5, withOutline);
  const style = (feature: FeatureLike): Style | undefined => {
    const populationClass = Number(feature.get(RENDER_KEYS.populationClass) ?? -1);
    if (populationClass < 0) return withOutline ? noDataOutline : undefined;
    return styles[Math.min(populationClass, styles.length - 1)];
  };
  style.setClassCount = (classCount: number) => {
    styles = populationStyles(Math.max(1, classCount), withOutline);
  };
  return style;
}

export const municipalityOutlineStyle = new Style({
  stroke: new Stroke({ color: MUNICIPALITY_OUTLINE, width: 2.2 }),
});

/** The land under everything in the vector-only look (no basemap). */
export const landStyle = new Style({
  fill: new Fill({ color: LAND_COLOUR }),
  stroke: new Stroke({ color: 'rgba(38,50,70,0.35)', width: 1 }),
});

export const highlightStyles = {
  polygon: [
    new Style({ stroke: new Stroke({ color: '#ffffff', width: 6 }), fill: new Fill({ color: withOpacity(HIGHLIGHT_COLOUR, 0.12) }) }),
    new Style({ stroke: new Stroke({ color: HIGHLIGHT_COLOUR, width: 3 }) }),
  ],
  point: [
    new Style({ image: new CircleStyle({ radius: 13, stroke: new Stroke({ color: '#ffffff', width: 6 }) }) }),
    new Style({ image: new CircleStyle({ radius: 13, stroke: new Stroke({ color: HIGHLIGHT_COLOUR, width: 3 }) }) }),
  ],
};

export function highlightStyle(feature: FeatureLike): Style[] {
  return feature.getGeometry()?.getType() === 'Point' ? highlightStyles.point : highlightStyles.polygon;
}

/**
 * Residential points: small dark teal dots with a white rim (readable on every catchment colour). Their size grows lightly with
 * the point's weight relative to the layer's typical weight (RENDER_KEYS.weightClass 0–3), so a block of
 * flats reads bigger than a house without hiding the map.
 */
export const RESIDENTIAL_POINT_COLOUR = '#004d40';
const residentialPointStyles = [2, 2.6, 3.3, 4].map(
  (radius) => new Style({ image: new CircleStyle({ radius, fill: new Fill({ color: 'rgba(0, 77, 64, 0.85)' }), stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.9)', width: 0.8 }) }) }),
);
export function residentialPointStyle(feature: FeatureLike): Style {
  const weightClass = Number(feature.get(RENDER_KEYS.weightClass) ?? 0);
  return residentialPointStyles[Math.max(0, Math.min(residentialPointStyles.length - 1, weightClass))]!;
}

/** Residents' feedback: a small violet triangle, distinct from the facilities' circles and diamonds. */
export const FEEDBACK_COLOUR = '#7b1fa2';
export const feedbackStyle = new Style({
  image: new RegularShape({ points: 3, radius: 8, fill: new Fill({ color: FEEDBACK_COLOUR }), stroke: new Stroke({ color: '#ffffff', width: 1.6 }) }),
  // Above the facilities: feedback is shown on purpose, to be read against the network.
  zIndex: 5,
});
