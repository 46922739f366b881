// The program console's entry: the Capacity Manager's styles and font, the console's app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './ConsoleApp.js';
import '@fontsource/lexend-deca/400.css';
import '@fontsource/lexend-deca/600.css';
import '../src/styles.css';
import './console.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleApp />
  </StrictMode>,
);
