import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
// The page's font, self-hosted: Vite bundles the woff2 files into dist/assets, so the page's
// 'self'-only CSP holds and no request goes to a font CDN. The two weights the styles use.
import '@fontsource/lexend-deca/400.css';
import '@fontsource/lexend-deca/600.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
