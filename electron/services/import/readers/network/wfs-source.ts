/**
 * OGC WFS 2.0, 1.1 and 1.0 as a FeatureSource.
 *
 * - GetCapabilities → layers with title, default and other CRSs, output formats and WGS84 bbox; one
 *   DescribeFeatureType request for the field types of every layer (best effort).
 * - GetFeature in pages: WFS 2.0 `COUNT`/`STARTINDEX`, following `next` when the server gives it and
 *   `numberMatched`/`numberReturned` otherwise; WFS 1.1/1.0 one `MAXFEATURES` request (no standard paging).
 * - GeoJSON when the server offers it for GetFeature, else GML (gml-parser.ts).
 * - CRS: asks for `urn:ogc:def:crs:EPSG::n` (1.1/2.0) or `EPSG:n` (1.0) and delivers x/y (easting/northing,
 *   lon/lat) whatever the server's axis order; a page in another CRS than asked is refused.
 */
import { VerkostoError } from '../../../../../shared/errors';
import type { FeatureSource, ReadOptions, SourceFeature, SourceField, SourceLayerInfo } from '../../../../../shared/import/feature-source';
import { axisOrderOf, parseGmlStream, type GmlCollectionInfo } from '../../gml/gml-parser';
import { child, childrenNamed, childText, descendants, parseXmlTree, type XmlElement } from '../../gml/xml-tree';
import { AXIS_SAMPLE, checkAxesAndCrs, decideAxes, extentFromWgs84, geometryFromGeoJson, swapAxes } from './coordinates';
import { abortError, decodeBody, describeContent, fetchJson, fetchXml, httpStream, looksLikeHtml, owsExceptionText, serverName, type HttpOptions } from './http-client';

export type WfsVersion = '2.0.0' | '1.1.0' | '1.0.0';

export interface WfsSourceOptions {
  /** Service endpoint, e.g. https://kartta.hel.fi/ws/geoserver/avoindata/wfs (may carry its own query, e.g. map=). */
  url: string;
  /** Default: the highest the server offers among 2.0.0, 1.1.0, 1.0.0. */
  version?: WfsVersion;
  /** 'auto' (default): GeoJSON when offered and the server pages (WFS 2.0), else GML (streamed). */
  outputFormat?: 'auto' | 'geojson' | 'gml';
  /** EPSG to ask for; default: the layer's default CRS. */
  epsg?: number | null;
  /** Features per GetFeature page (WFS 2.0). Default 1000. */
  pageSize?: number;
  /** The configured layer: on a server with many layers only its fields are described. */
  layer?: string;
  http?: HttpOptions;
}

export interface WfsFeatureType {
  name: string;
  title: string | null;
  defaultEpsg: number | null;
  otherEpsg: number[];
  outputFormats: string[];
  wgs84Bbox: [number, number, number, number] | null;
}

export interface WfsCapabilities {
  version: WfsVersion;
  title: string | null;
  featureTypes: WfsFeatureType[];
  getFeatureFormats: string[];
  paging: boolean;
  countDefault: number | null;
}

const VERSIONS: WfsVersion[] = ['2.0.0', '1.1.0', '1.0.0'];
const MAX_DESCRIBED_LAYERS = 50;

function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const target = new URL(url);
  // Keep the endpoint's own parameters (map=…) but let ours replace any OGC key of the same name.
  for (const key of [...target.searchParams.keys()]) {
    if (Object.keys(params).some((name) => name.toLowerCase() === key.toLowerCase())) target.searchParams.delete(key);
  }
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, String(value));
  return target.toString();
}

function parseCorner(text: string | null): [number, number] | null {
  if (!text) return null;
  const values = text.trim().split(/\s+/).map(Number);
  return values.length >= 2 && values.every(Number.isFinite) ? [values[0]!, values[1]!] : null;
}

function epsgOf(text: string | null | undefined): number | null {
  return text ? axisOrderOf(text).epsg : null;
}

/** Reads a WFS GetCapabilities document (2.0, 1.1 or 1.0). */
export function parseWfsCapabilities(xml: string, server: string): WfsCapabilities {
  let root: XmlElement;
  try {
    // MapServer's WFS 1.0 capabilities list formats as elements named after MIME types (<application/json/>),
    // which is not XML; rewrite them as <Format value="…"/> so the rest can be read.
    root = parseXmlTree(xml.replace(/<([A-Za-z_][\w.:-]*(?:\/[\w.+-]+)+)\s*\/>/g, (_match, name: string) => `<Format value="${name}"/>`));
  } catch (error) {
    throw new VerkostoError('sourceBadResponse', { server, detail: `GetCapabilities: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
  }
  if (root.name !== 'WFS_Capabilities') throw new VerkostoError('sourceBadResponse', { server, detail: `GetCapabilities answered with <${root.name}>` });
  const version = (VERSIONS.find((candidate) => candidate === root.attributes.version) ?? '2.0.0') as WfsVersion;
  const operations = child(root, 'OperationsMetadata');
  const getFeature = childrenNamed(operations, 'Operation').find((operation) => operation.attributes.name === 'GetFeature');
  const formatParameter = childrenNamed(getFeature, 'Parameter').find((parameter) => parameter.attributes.name?.toLowerCase() === 'outputformat');
  let getFeatureFormats = descendants(formatParameter, 'Value').map((value) => value.text);
  if (getFeatureFormats.length === 0) {
    // WFS 1.0: Capability/Request/GetFeature/ResultFormat/<GML2/> …
    const resultFormat = descendants(root, 'GetFeature').flatMap((element) => childrenNamed(element, 'ResultFormat'));
    getFeatureFormats = resultFormat.flatMap((element) => element.children.map((format) => (format.name === 'Format' ? format.attributes.value ?? '' : format.name)));
  }
  const constraint = (name: string): string | null => {
    const element = [...childrenNamed(operations, 'Constraint'), ...childrenNamed(getFeature, 'Constraint')].find((candidate) => candidate.attributes.name === name);
    return element ? (childText(element, 'DefaultValue') ?? descendants(element, 'Value')[0]?.text ?? null) : null;
  };
  const featureTypes = descendants(child(root, 'FeatureTypeList'), 'FeatureType').map((type): WfsFeatureType => {
    const wgs84 = child(type, 'WGS84BoundingBox');
    let bbox: [number, number, number, number] | null = null;
    const lower = parseCorner(childText(wgs84, 'LowerCorner'));
    const upper = parseCorner(childText(wgs84, 'UpperCorner'));
    if (lower && upper) bbox = [lower[0], lower[1], upper[0], upper[1]];
    const latLong = child(type, 'LatLongBoundingBox');
    if (!bbox && latLong) {
      const values = ['minx', 'miny', 'maxx', 'maxy'].map((key) => Number(latLong.attributes[key]));
      if (values.every(Number.isFinite)) bbox = values as [number, number, number, number];
    }
    const others = [...childrenNamed(type, 'OtherCRS'), ...childrenNamed(type, 'OtherSRS')].map((element) => epsgOf(element.text)).filter((code): code is number => code !== null);
    return {
      name: childText(type, 'Name') ?? '',
      title: childText(type, 'Title'),
      defaultEpsg: epsgOf(childText(type, 'DefaultCRS') ?? childText(type, 'DefaultSRS') ?? childText(type, 'SRS')),
      otherEpsg: others,
      outputFormats: descendants(child(type, 'OutputFormats'), 'Format').map((format) => format.text),
      wgs84Bbox: bbox,
    };
  }).filter((type) => type.name !== '');
  const countDefault = Number(constraint('CountDefault'));
  return {
    version,
    title: childText(child(root, 'ServiceIdentification'), 'Title') ?? childText(child(root, 'Service'), 'Title'),
    featureTypes,
    getFeatureFormats,
    paging: (constraint('ImplementsResultPaging') ?? '').toUpperCase() === 'TRUE',
    countDefault: Number.isFinite(countDefault) && countDefault > 0 ? countDefault : null,
  };
}

const XSD_TYPES: Record<string, SourceField['type']> = {
  string: 'string', int: 'integer', integer: 'integer', long: 'integer', short: 'integer', byte: 'integer',
  decimal: 'number', double: 'number', float: 'number', boolean: 'boolean', date: 'date', dateTime: 'date',
  TimeInstantType: 'date',
};

/** Field names and types per feature type from a DescribeFeatureType XSD (geometry properties left out). */
export function parseDescribeFeatureType(xml: string): Map<string, SourceField[]> {
  const root = parseXmlTree(xml);
  const complexTypes = new Map(descendants(root, 'complexType').map((type) => [type.attributes.name ?? '', type]));
  const result = new Map<string, SourceField[]>();
  for (const element of childrenNamed(root, 'element')) {
    const typeName = (element.attributes.type ?? '').replace(/^.*:/, '');
    const complexType = complexTypes.get(typeName) ?? child(element, 'complexType');
    if (!complexType || !element.attributes.name) continue;
    const fields: SourceField[] = [];
    for (const property of descendants(complexType, 'element')) {
      const name = property.attributes.name;
      const type = (property.attributes.type ?? descendants(property, 'restriction')[0]?.attributes.base ?? '').replace(/^.*:/, '');
      if (!name || /PropertyType$/.test(type) && type !== 'TimeInstantPropertyType') continue;
      fields.push({ name, type: XSD_TYPES[type] ?? (type === 'TimeInstantPropertyType' ? 'date' : 'unknown') });
    }
    result.set(element.attributes.name, fields);
  }
  return result;
}

function pickJsonFormat(formats: string[]): string | null {
  const lower = formats.map((format) => format.toLowerCase());
  const exact = lower.indexOf('application/json');
  if (exact >= 0) return formats[exact]!;
  const geojson = lower.findIndex((format) => format.includes('geojson') || format.includes('json'));
  return geojson >= 0 ? formats[geojson]! : null;
}

export class WfsSource implements FeatureSource {
  readonly description: string;
  private readonly options: WfsSourceOptions;
  private readonly server: string;
  private capabilitiesPromise: Promise<WfsCapabilities> | null = null;
  private fieldTypes: Map<string, SourceField[]> | null = null;

  constructor(options: WfsSourceOptions) {
    this.options = options;
    this.server = serverName(options.url);
    this.description = `WFS ${options.url}`;
  }

  private http(options?: ReadOptions): HttpOptions {
    return { ...this.options.http, signal: options?.signal ?? this.options.http?.signal };
  }

  /** GetCapabilities, once per source object. */
  async capabilities(options?: ReadOptions): Promise<WfsCapabilities> {
    if (!this.capabilitiesPromise) {
      const params = { SERVICE: 'WFS', REQUEST: 'GetCapabilities', ...(this.options.version ? { VERSION: this.options.version } : { ACCEPTVERSIONS: '2.0.0,1.1.0,1.0.0' }) };
      this.capabilitiesPromise = fetchXml(withQuery(this.options.url, params), this.http(options)).then((result) => parseWfsCapabilities(result.text, this.server));
      this.capabilitiesPromise.catch(() => { this.capabilitiesPromise = null; });
    }
    return this.capabilitiesPromise;
  }

  private async fields(capabilities: WfsCapabilities, options?: ReadOptions): Promise<Map<string, SourceField[]>> {
    if (this.fieldTypes) return this.fieldTypes;
    // One request describes every layer; on a big server (Helsinki's has hundreds) only the configured one.
    const many = capabilities.featureTypes.length > MAX_DESCRIBED_LAYERS;
    if (many && !this.options.layer) {
      this.fieldTypes = new Map();
      return this.fieldTypes;
    }
    const typeKey = capabilities.version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
    try {
      const result = await fetchXml(withQuery(this.options.url, { SERVICE: 'WFS', VERSION: capabilities.version, REQUEST: 'DescribeFeatureType', ...(many ? { [typeKey]: this.options.layer } : {}) }), { ...this.http(options), attempts: 2 });
      this.fieldTypes = parseDescribeFeatureType(result.text);
    } catch (error) {
      if (options?.signal?.aborted) throw abortError(options.signal);
      // Field types are a convenience: a server without DescribeFeatureType still imports (types from values).
      this.fieldTypes = new Map();
    }
    return this.fieldTypes;
  }

  private findType(capabilities: WfsCapabilities, layer: string): WfsFeatureType {
    const local = (name: string): string => name.replace(/^.*:/, '');
    const found = capabilities.featureTypes.find((type) => type.name === layer) ?? capabilities.featureTypes.find((type) => local(type.name) === local(layer));
    if (!found) {
      const available = capabilities.featureTypes.slice(0, 12).map((type) => type.name).join(', ') + (capabilities.featureTypes.length > 12 ? ', …' : '');
      throw new VerkostoError('sourceLayerNotFound', { server: this.server, layer, available });
    }
    return found;
  }

  /** WFS 1.0 has no SRSNAME: features come in the layer's own SRS, and the pipeline reprojects them. */
  private deliveredEpsg(type: WfsFeatureType, version: WfsVersion): number | null {
    return version === '1.0.0' ? type.defaultEpsg : this.options.epsg ?? type.defaultEpsg;
  }

  async listLayers(options?: ReadOptions): Promise<SourceLayerInfo[]> {
    const capabilities = await this.capabilities(options);
    const fields = await this.fields(capabilities, options);
    const local = (name: string): string => name.replace(/^.*:/, '');
    return capabilities.featureTypes.map((type) => {
      const epsg = this.deliveredEpsg(type, capabilities.version);
      return {
        name: type.name,
        title: type.title,
        epsg,
        latitudeFirst: false,
        fields: fields.get(type.name) ?? fields.get(local(type.name)) ?? [],
        featureCount: null,
        extent: type.wgs84Bbox ? extentFromWgs84(type.wgs84Bbox, epsg) : null,
      };
    });
  }

  /** Number of features (WFS 2.0/1.1 `RESULTTYPE=hits`), or null when the server does not say. */
  async countFeatures(layer: string, options?: ReadOptions): Promise<number | null> {
    const capabilities = await this.capabilities(options);
    if (capabilities.version === '1.0.0') return null;
    const type = this.findType(capabilities, layer);
    const typeKey = capabilities.version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
    const result = await fetchXml(withQuery(this.options.url, { SERVICE: 'WFS', VERSION: capabilities.version, REQUEST: 'GetFeature', [typeKey]: type.name, RESULTTYPE: 'hits' }), this.http(options));
    const match = /number(?:Matched|OfFeatures)="(\d+)"/.exec(result.text);
    return match ? Number(match[1]) : null;
  }

  /** One GetFeature page as GML, parsed while it downloads; axes and CRS checked on the first features. */
  private async *streamGml(
    url: string,
    request: { srsName: string | undefined; version: WfsVersion; epsg: number | null; fieldTypes: Record<string, SourceField['type']>; layer: string },
    page: { info: GmlCollectionInfo | null; bytes: number },
    options: ReadOptions,
  ): AsyncGenerator<SourceFeature> {
    const stream = await httpStream(url, { ...this.http(options), headers: { Accept: 'application/gml+xml, text/xml;q=0.9, */*;q=0.1' } });
    try {
      if (stream.status >= 400 || /text\/html/i.test(stream.contentType)) {
        // Error bodies are small: read them whole for the service's own explanation.
        const parts: Uint8Array[] = [];
        let size = 0;
        for await (const chunk of stream.chunks) {
          parts.push(chunk);
          size += chunk.byteLength;
          if (size > 256 * 1024) break;
        }
        const text = decodeBody(Buffer.concat(parts), stream.contentType);
        const exception = owsExceptionText(text);
        if (exception) throw new VerkostoError('sourceServiceException', { server: this.server, detail: exception });
        if (stream.status >= 400) throw new VerkostoError('sourceHttpError', { server: this.server, status: stream.status, attempts: 1 });
        throw new VerkostoError('sourceNotXml', { server: this.server, received: describeContent(stream.contentType, text) });
      }
      const server = this.server;
      const counted = async function* (): AsyncGenerator<Uint8Array> {
        let first = true;
        for await (const chunk of stream.chunks) {
          if (first) {
            first = false;
            const head = new TextDecoder('latin1').decode(chunk.subarray(0, 300)).replace(/^\uFEFF/, '').trimStart();
            if (!head.startsWith('<') || looksLikeHtml(head, stream.contentType)) throw new VerkostoError('sourceNotXml', { server, received: describeContent(stream.contentType, head) });
          }
          page.bytes += chunk.byteLength;
          yield chunk;
        }
      };
      const gml = parseGmlStream(counted(), {
        source: `${this.server} ${request.layer}`,
        defaultSrsName: request.srsName ?? null,
        // MapServer, deegree and GeoServer 2.x all follow the EPSG axis order for EPSG:n in WFS 1.1/2.0 GML 3.
        epsgColonAxis: request.version === '1.0.0' ? 'xy' : 'epsg',
        fieldTypes: request.fieldTypes,
        encoding: /charset\s*=\s*"?([\w-]+)/i.exec(stream.contentType)?.[1],
      }, (info) => { page.info = info; });
      let swap: boolean | null = null;
      const pending: SourceFeature[] = [];
      const decide = (): void => {
        const declared = page.info?.epsg ?? null;
        if (request.epsg !== null && declared !== null && declared !== request.epsg) {
          throw new VerkostoError('sourceCrsMismatch', { server: this.server, requested: `EPSG:${request.epsg}`, received: `EPSG:${declared}` });
        }
        swap = decideAxes(pending, request.epsg, this.server).swap;
      };
      for await (const feature of gml) {
        if (swap === null) {
          pending.push(feature);
          if (pending.filter((candidate) => candidate.geometry).length < AXIS_SAMPLE) continue;
          decide();
          for (const held of pending.splice(0)) {
            if (swap && held.geometry) swapAxes(held.geometry);
            yield held;
          }
          continue;
        }
        if (swap && feature.geometry) swapAxes(feature.geometry);
        yield feature;
      }
      if (swap === null) {
        decide();
        for (const held of pending) {
          if (swap && held.geometry) swapAxes(held.geometry);
          yield held;
        }
      }
    } finally {
      stream.close();
    }
  }

  async *readFeatures(layer: string, options: ReadOptions = {}): AsyncIterable<SourceFeature> {
    const capabilities = await this.capabilities(options);
    const type = this.findType(capabilities, layer);
    const version = capabilities.version;
    const epsg = this.deliveredEpsg(type, version);
    const formats = type.outputFormats.length > 0 ? [...type.outputFormats, ...capabilities.getFeatureFormats] : capabilities.getFeatureFormats;
    // 'auto': GeoJSON for paged WFS 2.0 (each page is small); without paging (1.1, 1.0) the whole layer comes
    // in one response, so GML, which is parsed as it streams in, keeps memory constant.
    const wantJson = this.options.outputFormat === 'geojson' || (this.options.outputFormat !== 'gml' && version === '2.0.0');
    const jsonFormat = wantJson ? pickJsonFormat(formats) : null;
    if (this.options.outputFormat === 'geojson' && !jsonFormat) {
      throw new VerkostoError('sourceBadResponse', { server: this.server, detail: `no GeoJSON output format for ${type.name}` });
    }
    const fieldTypes = Object.fromEntries(((await this.fields(capabilities, options)).get(type.name) ?? []).map((field) => [field.name, field.type]));
    const srsName = epsg === null || version === '1.0.0' ? undefined : `urn:ogc:def:crs:EPSG::${epsg}`;
    const typeKey = version === '2.0.0' ? 'TYPENAMES' : 'TYPENAME';
    const pageSize = Math.max(1, Math.min(this.options.pageSize ?? 1000, capabilities.countDefault ?? Infinity));
    const paging = version === '2.0.0';
    let bboxParam: string | undefined;
    if (options.bbox && epsg !== null) {
      const [minX, minY, maxX, maxY] = options.bbox;
      // BBOX follows the CRS axis order in WFS 1.1/2.0 (northing first for EPSG:3879 and lat first for 4326).
      const swap = version !== '1.0.0' && axisOrderOf(srsName).swap;
      bboxParam = (swap ? [minY, minX, maxY, maxX] : [minX, minY, maxX, maxY]).join(',') + (srsName ? `,${srsName}` : '');
    }
    let startIndex = 0;
    let read = 0;
    let total: number | null = null;
    const seen = new Set<string>();
    for (let page = 0; ; page++) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const url = withQuery(this.options.url, {
        SERVICE: 'WFS', VERSION: version, REQUEST: 'GetFeature', [typeKey]: type.name,
        SRSNAME: srsName, OUTPUTFORMAT: jsonFormat ?? undefined, BBOX: bboxParam,
        ...(paging ? { COUNT: pageSize, STARTINDEX: startIndex } : {}),
      });
      let features: SourceFeature[];
      let matched: number | null = null;
      let next: string | null = null;
      let bytes = 0;
      if (jsonFormat) {
        const { json, result } = await fetchJson<Record<string, unknown>>(url, this.http(options));
        bytes = result.bytes;
        const exception = typeof json === 'object' && json && 'exceptions' in json ? JSON.stringify((json as { exceptions: unknown }).exceptions).slice(0, 300) : null;
        if (exception) throw new VerkostoError('sourceServiceException', { server: this.server, detail: exception });
        if (!json || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
          throw new VerkostoError('sourceBadResponse', { server: this.server, detail: 'GetFeature did not return a GeoJSON FeatureCollection' });
        }
        const declared = (json.crs as { properties?: { name?: string } } | undefined)?.properties?.name;
        const declaredEpsg = declared ? axisOrderOf(declared).epsg : null;
        if (epsg !== null && declaredEpsg !== null && declaredEpsg !== epsg && !(declaredEpsg === 4326 && /CRS:?84/i.test(declared ?? ''))) {
          throw new VerkostoError('sourceCrsMismatch', { server: this.server, requested: `EPSG:${epsg}`, received: `EPSG:${declaredEpsg}` });
        }
        features = (json.features as Array<Record<string, unknown>>).map((feature, index) => {
          const properties = { ...(feature.properties as Record<string, unknown> | null ?? {}) };
          const id = feature.id ?? properties.gml_id ?? `${type.name}.${startIndex + index + 1}`;
          return { sourceId: String(id), geometry: geometryFromGeoJson(feature.geometry, { server: this.server, feature: String(id) }), properties };
        });
        matched = typeof json.numberMatched === 'number' ? json.numberMatched : typeof json.totalFeatures === 'number' ? json.totalFeatures : null;
        if (typeof json.numberReturned === 'number' && json.numberReturned !== features.length) {
          throw new VerkostoError('sourceBadResponse', { server: this.server, detail: `numberReturned ${json.numberReturned}, ${features.length} features received` });
        }
        const link = Array.isArray(json.links) ? (json.links as Array<{ rel?: string; href?: string }>).find((candidate) => candidate.rel === 'next') : undefined;
        next = link?.href ?? null;
      } else {
        // GML streams: features are handed on as they are parsed, in constant memory however big the page.
        const page = { info: null as GmlCollectionInfo | null, bytes: 0 };
        let pageCount = 0;
        for await (const feature of this.streamGml(url, { srsName, version, epsg, fieldTypes, layer: type.name }, page, options)) {
          pageCount++;
          if (seen.has(feature.sourceId)) continue;
          seen.add(feature.sourceId);
          yield feature;
          if (pageCount % 500 === 0) options.onProgress?.({ featuresRead: read + pageCount, featuresTotal: page.info?.numberMatched ?? total, bytesRead: page.bytes, bytesTotal: null });
        }
        if (page.info?.numberMatched !== null && page.info?.numberMatched !== undefined) total = page.info.numberMatched;
        // WFS 2.0 says how many features the page holds: fewer parsed means the answer was cut short.
        if (version === '2.0.0' && page.info?.numberReturned != null && page.info.numberReturned !== pageCount) {
          throw new VerkostoError('sourceBadResponse', { server: this.server, detail: `numberReturned ${page.info.numberReturned}, ${pageCount} features received` });
        }
        read += pageCount;
        startIndex += pageCount;
        options.onProgress?.({ featuresRead: read, featuresTotal: total, bytesRead: page.bytes, bytesTotal: null });
        if (!paging || pageCount === 0) return;
        if (total !== null && total > 0 && read >= total) return;
        if (!page.info?.next && pageCount < pageSize) return;
        continue;
      }
      checkAxesAndCrs(features, epsg, this.server);
      if (matched !== null) total = matched;
      for (const feature of features) {
        // Paging without a sort order can repeat a feature when the data changes between pages: once each.
        if (seen.has(feature.sourceId)) continue;
        seen.add(feature.sourceId);
        yield feature;
      }
      read += features.length;
      startIndex += features.length;
      options.onProgress?.({ featuresRead: read, featuresTotal: total, bytesRead: bytes, bytesTotal: null });
      if (!paging || features.length === 0) return;
      if (total !== null && total > 0 && read >= total) return;
      // The server's `next` link only says there is more: its URL may drop SRSNAME or OUTPUTFORMAT
      // (MapServer 8 rebuilds it from a subset of the parameters), so the next page is asked with ours.
      if (!next && features.length < pageSize) return;
      if (page > 100_000) return;
    }
  }
}
