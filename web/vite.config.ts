import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run from web/ (npm run build -w web): builds into web/dist, which the server serves.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false, ws: true } },
  },
});
