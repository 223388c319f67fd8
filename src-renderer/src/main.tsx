import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { ApiProvider, newQueryClient } from './api/hooks';
import { pickTransport } from './api/transport';
import { App } from './app/App';
import { ToastProvider } from './components/toast';
import './styles.css';

const api = createApiClient(pickTransport());
const queryClient = newQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider api={api} queryClient={queryClient}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ApiProvider>
  </StrictMode>,
);
