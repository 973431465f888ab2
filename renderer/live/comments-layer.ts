/**
 * Comment pins on the map: a vector layer over everything else. The facilitator sees hidden pins faded;
 * participants never receive them. Text is shown with textContent in the side list, never as HTML.
 */
import Feature from 'ol/Feature.js';
import type OlMap from 'ol/Map.js';
import Point from 'ol/geom/Point.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from 'ol/style.js';
import type { WorkshopComment } from '../../shared/contract/host-api';

const PIN_COLOUR = '#c2410c';

function pinStyle(hidden: boolean, index: number): Style {
  return new Style({
    image: new CircleStyle({
      radius: 11,
      fill: new Fill({ color: hidden ? 'rgba(194, 65, 12, 0.25)' : PIN_COLOUR }),
      stroke: new Stroke({ color: '#ffffff', width: 2 }),
    }),
    text: new Text({ text: String(index), fill: new Fill({ color: '#ffffff' }), font: '600 11px system-ui, sans-serif' }),
    zIndex: 100,
  });
}

export class CommentsLayer {
  private readonly source = new VectorSource();
  private readonly layer = new VectorLayer({ source: this.source, zIndex: 1000, properties: { name: 'comments' } });

  constructor(private readonly map: OlMap) {
    map.addLayer(this.layer);
  }

  show(comments: WorkshopComment[]): void {
    this.source.clear();
    this.source.addFeatures(
      comments.map((comment, index) => {
        const feature = new Feature({ geometry: new Point([comment.x, comment.y]) });
        feature.setId(`comment-${comment.fid}`);
        feature.setStyle(pinStyle(comment.hidden, index + 1));
        return feature;
      }),
    );
  }

  dispose(): void {
    this.map.removeLayer(this.layer);
  }
}
