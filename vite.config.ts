import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built once and loaded both by Electron (file://, hence base './') and by the Node host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
