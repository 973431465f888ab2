/**
 * Frame time of the editing workspace on the Helsinki sample, in Chromium against `verkosto serve`: the work
 * of one frame while dragging a vertex two catchments share (the vertex tool's drag handler — snapping and
 * moving the vertex in every catchment sharing it — plus a full synchronous render of the map), and while
 * painting units (hit test, live delta, sketch, render). Measured in the page with performance.now() around
 * the real mode code and map.renderSync(); goal under 16 ms. A measurement, never a test.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.VERKOSTO_CHROMIUM ?? '/usr/bin/chromium';

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export async function measureEditing(sampleFile: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    log(`editing frame time: skipped, no Chromium at ${CHROMIUM}`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const child = spawn(process.execPath, [path.resolve('bin', 'verkosto.js'), 'serve', sampleFile, '--port', '0'], {
    env: { ...process.env, VERKOSTO_DATA_DIR: path.join(path.dirname(sampleFile), 'editing-bench-data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      setTimeout(() => reject(new Error(`verkosto serve printed no URL: ${output}`)), 20_000);
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(() => window.__verkosto?.isReady() === true && Boolean(window.__verkostoEditor), null, { timeout: 60_000 });
    const result = await page.evaluate(() => {
      const editor = window.__verkostoEditor!;
      const map = window.__verkosto!.map;
      const source = editor.adapter.source('catchments')!;
      const shown = source.getFeatures().filter((f) => editor.inShownSet(f as never));
      // A vertex two catchments of the shown set share.
      const owners = new Map<string, number>();
      for (const feature of shown) {
        const seen = new Set<string>();
        for (const polygon of (feature.getGeometry() as unknown as { getCoordinates(): number[][][][] }).getCoordinates()) for (const ring of polygon) for (const p of ring) seen.add(`${p[0]},${p[1]}`);
        for (const key of seen) owners.set(key, (owners.get(key) ?? 0) + 1);
      }
      const sharedKey = [...owners.entries()].find(([, count]) => count >= 2)![0];
      const [x, y] = sharedKey.split(',').map(Number) as [number, number];
      map.getView().setCenter([x, y]);
      map.getView().setResolution(4);
      map.renderSync();
      const pointer = (dx: number, dy: number) => {
        const coordinate: [number, number] = [x + dx, y + dy];
        const pixel = map.getPixelFromCoordinate(coordinate) as [number, number];
        return { pixel, coordinate, shift: false, ctrl: false, alt: false };
      };
      const timings = (run: (i: number) => void, frames: number) => {
        const out: number[] = [];
        for (let i = 0; i < frames; i++) {
          const started = performance.now();
          run(i);
          map.renderSync();
          out.push(performance.now() - started);
        }
        return out;
      };
      const vertex = editor.modes.vertex;
      editor.activate('vertex');
      vertex.down(pointer(0, 0));
      const drag = timings((i) => vertex.drag(pointer(i * 0.6, i * 0.4)), 80);
      vertex.cancel();
      // Painting: a stroke across the small areas around the same point (the delta updates per unit).
      map.getView().setResolution(20);
      map.renderSync();
      editor.activate('paint');
      return { drag };
    });
    // The paint stroke needs the target chosen through the store: do it with a real click, then drag.
    const paintTimings = await page.evaluate(async () => {
      const editor = window.__verkostoEditor!;
      const map = window.__verkosto!.map;
      const paint = editor.modes.paint as unknown as {
        model: { refresh(force: boolean): Promise<void> };
        down(pointer: unknown): boolean;
        up(pointer: unknown): void;
        drag(pointer: unknown): void;
        cancel(): boolean;
      };
      await paint.model.refresh(true);
      const size = map.getSize()!;
      const pointerAt = (px: number, py: number) => ({ pixel: [px, py] as [number, number], coordinate: map.getCoordinateFromPixel([px, py]) as [number, number], shift: false, ctrl: false, alt: false });
      // The first press picks the target (the catchment under the pointer); the next starts the stroke.
      paint.down(pointerAt(size[0]! * 0.5, size[1]! * 0.5));
      paint.up(pointerAt(size[0]! * 0.5, size[1]! * 0.5));
      paint.down(pointerAt(size[0]! * 0.3, size[1]! * 0.6));
      const out: number[] = [];
      for (let i = 0; i < 80; i++) {
        const started = performance.now();
        paint.drag(pointerAt(size[0]! * (0.3 + i * 0.005), size[1]! * 0.6));
        map.renderSync();
        out.push(performance.now() - started);
      }
      paint.cancel();
      return out;
    });
    const line = (label: string, values: number[]) => `| ${label} | ${quantile(values, 0.5).toFixed(1)} | ${quantile(values, 0.95).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`;
    console.log('\n### Editing frame time, Helsinki sample (Chromium, ms per frame: handler + full map render)\n');
    console.log('| operation | median | p95 | max |\n|---|---:|---:|---:|');
    console.log(line('drag a shared vertex (vertex tool, snapping on)', result.drag));
    console.log(line('paint units (hit test + live delta + render)', paintTimings));
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
