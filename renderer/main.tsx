/** Renderer entry point: picks the host transport, sets up translations and renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { AppShell } from './app/app-shell';
import { HostProvider } from './app/host-context';
import { setUpI18n } from './app/i18n';
import { createHostClient } from './host/create-host-client';
import { selectTransport } from './host/select-transport';
import { useUiStore } from './state/ui-store';
import './styles.css';

const i18n = setUpI18n();
const transport = selectTransport();
transport.onConnectionChange((state) => useUiStore.getState().setConnection(state));
const client = createHostClient(transport);

// A failed promise nobody awaited still reaches the user instead of vanishing into the console.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  useUiStore.getState().reportError(event.reason);
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <HostProvider client={client}>
        <AppShell />
      </HostProvider>
    </I18nextProvider>
  </StrictMode>,
);
