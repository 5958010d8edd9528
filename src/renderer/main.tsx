// Must stay the first import: it configures zod before the contract's schemas are built.
import './csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useConnection } from './stores/connection';
// Sets the page's theme before the first paint.
import './stores/theme';
import './styles.css';
import './refinements.css';

void useConnection.getState().start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
