/**
 * A real OGC server for the import tests: Debian's MapServer 8 (`mapserver-bin`) as CGI behind `lighttpd -D`
 * on 127.0.0.1, serving a GeoPackage built from ../shared/data with GDAL's ogr2ogr. It speaks WFS 1.0/1.1/2.0
 * and OGC API – Features (Part 1) from one generated mapfile. Recipe and its traps:
 * /work/shared/recipes/ogc-server-mapserver.md.
 *
 * Everything lives in a fresh temp folder (mapfile, mapserver.conf, lighttpd.conf, data). lighttpd runs in its
 * own process group (detached) with an idle timeout, so a leaked server dies on its own; stop() sends SIGTERM
 * to the group, then SIGKILL, and removes the folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The open data shipped with the repository (copied from ../shared/data; see its SOURCES.md). */
export const SAMPLE_DATA = path.join(REPO_ROOT, 'resources', 'sample-data');

const MAPSERV = '/usr/bin/mapserv';
const LIGHTTPD = '/usr/sbin/lighttpd';

export interface ServedLayer {
  /** Layer (and GeoPackage table) name, e.g. "osaalueet". */
  name: string;
  type: 'POINT' | 'POLYGON' | 'LINE';
  /** EPSG code the table is stored in. */
  epsg: number;
  title: string;
  /** Extra layer METADATA entries. */
  metadata?: Record<string, string>;
}

export interface OgcServer {
  port: number;
  /** WFS base URL (append `?SERVICE=WFS&...`). */
  wfs: string;
  /** OGC API – Features landing page URL. */
  ogcapi: string;
  /** The served GeoPackage: edits to it are visible on the next request (MapServer opens it per request). */
  gpkg: string;
  directory: string;
  stop(): Promise<void>;
}

/** Why the server cannot run here, or null when MapServer 8, lighttpd and ogr2ogr are installed. */
export function ogcServerUnavailableReason(): string | null {
  for (const [binary, pkg] of [[MAPSERV, 'mapserver-bin'], [LIGHTTPD, 'lighttpd']] as const) {
    if (!existsSync(binary)) return `${binary} is missing: apt-get install ${pkg} (.ci/run does it)`;
  }
  const ogr = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  if (ogr.status !== 0) return 'ogr2ogr is missing: apt-get install gdal-bin';
  return null;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

/**
 * The default test data: Helsinki's 148 sub-districts (EPSG:3879) and Statistics Finland's 129 Helsinki
 * schools of 2022 (EPSG:3067). Written without a spatial index so a test can edit rows with plain
 * SQLite (the GDAL R-tree triggers need SpatiaLite functions).
 */
export function buildHelsinkiGeoPackage(file: string): ServedLayer[] {
  const common = ['-lco', 'FID=fid', '-lco', 'SPATIAL_INDEX=NO'];
  run('ogr2ogr', ['-f', 'GPKG', file, path.join(SAMPLE_DATA, 'osaalueet.json'), '-nln', 'osaalueet', '-t_srs', 'EPSG:3879', '-nlt', 'POLYGON', ...common]);
  run('ogr2ogr', ['-f', 'GPKG', '-update', file, path.join(SAMPLE_DATA, 'koulut_helsinki_2022.geojson'), '-nln', 'koulut', ...common]);
  // Statistics Finland style: -1 marks a protected cell (here Kruununhaka's he_0_2).
  run('ogr2ogr', ['-f', 'GPKG', '-update', file, path.join(SAMPLE_DATA, 'osaalueet.json'), '-nln', 'pno_tilasto', '-t_srs', 'EPSG:3067', '-nlt', 'POLYGON',
    '-dialect', 'SQLite', '-sql', "SELECT geometry, tunnus AS postinumeroalue, nimi_fi AS nimi, CASE WHEN tunnus = '010' THEN -1 ELSE 10 + CAST(tunnus AS INTEGER) END AS he_0_2 FROM osaalueet", ...common]);
  // A misconfigured layer: the data is in EPSG:3067 but the mapfile declares EPSG:3879, so MapServer sends
  // 3067 numbers labelled 3879 (the "wrong CRS in the response" bad input).
  run('ogr2ogr', ['-f', 'GPKG', '-update', file, path.join(SAMPLE_DATA, 'koulut_helsinki_2022.geojson'), '-nln', 'koulut_vaara_crs', ...common]);
  return [
    { name: 'osaalueet', type: 'POLYGON', epsg: 3879, title: 'Helsinki osa-alueet' },
    { name: 'koulut', type: 'POINT', epsg: 3067, title: 'Koulut 2022 (Tilastokeskus)' },
    { name: 'pno_tilasto', type: 'POLYGON', epsg: 3067, title: 'Postinumeroalueet (testi)' },
    // Without this MapServer would clip the misplaced points away with the map extent.
    { name: 'koulut_vaara_crs', type: 'POINT', epsg: 3879, title: 'Koulut, väärin ilmoitettu koordinaattijärjestelmä', metadata: { wfs_use_default_extent_for_getfeature: 'false' } },
  ];
}

function mapfile(port: number, gpkg: string, layers: ServedLayer[]): string {
  const layerBlocks = layers.map((layer) => `
  LAYER
    NAME "${layer.name}"
    TYPE ${layer.type}
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "${gpkg}"
    DATA "SELECT fid AS gid, * FROM ${layer.name}"
    PROJECTION
      "init=epsg:${layer.epsg}"
    END
    METADATA
      "ows_title"          "${layer.title}"
      "ows_abstract"       "${layer.title}"
      "gml_include_items"  "all"
      "gml_featureid"      "gid"
      "oga_featureid"      "gid"
      "gml_types"          "auto"
${Object.entries(layer.metadata ?? {}).map(([key, value]) => `      "${key}" "${value}"`).join('\n')}
    END
    TEMPLATE "unused"
  END`).join('\n');
  return `MAP
  NAME "hki"
  STATUS ON
  EXTENT 24800000 6400000 26200000 7900000
  UNITS METERS
  PROJECTION
    "init=epsg:3879"
  END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "LCO:RFC7946=NO"
    FORMATOPTION "LCO:ID_FIELD=gid"
  END
  OUTPUTFORMAT
    NAME "application/json"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
    FORMATOPTION "LCO:RFC7946=NO"
    FORMATOPTION "LCO:ID_FIELD=gid"
  END
  WEB
    METADATA
      "ows_title"                  "Verkosto test OGC server"
      "ows_abstract"               "MapServer 8 serving a GeoPackage for the import tests"
      "ows_enable_request"         "*"
      "ows_srs"                    "EPSG:3879 EPSG:4326 EPSG:3067 EPSG:3857"
      "wfs_getfeature_formatlist"  "geojson,application/json"
      "wfs_maxfeatures"            "10000"
      "wfs_compute_number_matched" "true"
      "oga_enable_request"         "*"
      "oga_onlineresource"         "http://127.0.0.1:${port}/cgi-bin/mapserv/hki/ogcapi"
      "oga_html_template_directory" "/usr/share/mapserver/ogcapi/templates/html-plain/"
    END
  END
${layerBlocks}
END
`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function startOnce(directory: string, gpkg: string, layers: ServedLayer[]): Promise<OgcServer> {
  const port = await freePort();
  const tmp = path.join(directory, 'tmp');
  const www = path.join(directory, 'www');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(www, { recursive: true });
  const mapPath = path.join(directory, 'hki.map');
  const configPath = path.join(directory, 'mapserver.conf');
  const lighttpdConf = path.join(directory, 'lighttpd.conf');
  writeFileSync(mapPath, mapfile(port, gpkg, layers));
  writeFileSync(configPath, `CONFIG
  ENV
    MS_MAP_PATTERN "^${directory}/"
    MS_MAPFILE "${mapPath}"
    MS_ERRORFILE "${tmp}/mapserver.log"
    MS_DEBUGLEVEL "1"
    OGCAPI_HTML_TEMPLATE_DIRECTORY "/usr/share/mapserver/ogcapi/templates/html-plain/"
  END
  MAPS
    hki "${mapPath}"
  END
END
`);
  writeFileSync(lighttpdConf, `server.modules        = ( "mod_alias", "mod_cgi", "mod_setenv" )
server.bind           = "127.0.0.1"
server.port           = ${port}
server.document-root  = "${www}"
server.errorlog       = "${tmp}/lighttpd-error.log"
server.max-request-size = 10240
alias.url             = ( "/cgi-bin/mapserv" => "${MAPSERV}" )
$HTTP["url"] =~ "^/cgi-bin/mapserv" {
  cgi.assign          = ( "" => "" )
}
setenv.add-environment = ( "MAPSERVER_CONFIG_FILE" => "${configPath}" )
`);
  // -i 600: a server leaked by a crashed test run shuts itself down after 10 idle minutes.
  const child = spawn(LIGHTTPD, ['-D', '-i', '600', '-f', lighttpdConf], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const base = `http://127.0.0.1:${port}/cgi-bin/mapserv`;
  const stop = async (): Promise<void> => {
    killGroup(child, 'SIGTERM');
    await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 1000))]);
    killGroup(child, 'SIGKILL');
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`lighttpd exited during start: ${stderr}`);
    try {
      const response = await fetch(`${base}?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities`);
      const text = await response.text();
      if (response.ok && text.includes('WFS_Capabilities')) {
        return { port, wfs: base, ogcapi: `${base}/hki/ogcapi`, gpkg, directory, stop };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  await stop();
  const log = existsSync(path.join(tmp, 'lighttpd-error.log')) ? readFileSync(path.join(tmp, 'lighttpd-error.log'), 'utf8') : '';
  throw new Error(`MapServer did not answer GetCapabilities within 15 s: ${stderr} ${log}`);
}

/**
 * Builds the data (default: buildHelsinkiGeoPackage) and starts the server on a free port. Retries twice
 * when another process takes the port between choosing and binding it.
 */
export async function startOgcServer(options: { build?: (gpkg: string) => ServedLayer[] } = {}): Promise<OgcServer> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'verkosto-ogc-'));
  const dataDirectory = path.join(directory, 'data');
  mkdirSync(dataDirectory);
  const gpkg = path.join(dataDirectory, 'hki.gpkg');
  try {
    const layers = (options.build ?? buildHelsinkiGeoPackage)(gpkg);
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const server = await startOnce(directory, gpkg, layers);
        const stopServer = server.stop;
        return { ...server, stop: async () => { await stopServer(); rmSync(directory, { recursive: true, force: true }); } };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
