import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngineClient } from '../shared/client';
import { takeAccessToken } from './client/access-token';
import { createElectronPlatform, createElectronTransport } from './client/electron-transport';
import { createBrowserPlatform, createHttpTransport } from './client/http-transport';
import { App } from './components/app';
import { NoTokenScreen } from './components/no-token-screen';
import { windowTheme } from './lib/theme';
import { createAppStore } from './store/index';
import { StoreProvider } from './store/react';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/feedback.css';
import './styles/dialogs.css';
import './styles/forms.css';
import './styles/databases.css';
import './styles/profiles.css';
import './styles/wizard.css';
import './styles/conditions.css';
import './styles/planning.css';
import './styles/simulator.css';
import './styles/clock.css';
import './styles/timeline.css';
import './styles/analytics.css';
import './styles/warehouse.css';

// The remembered theme before the first render: a dark choice never flashes light.
windowTheme();

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element.');
const root = createRoot(container);

function start(): void {
  const bridge = window.cplan;
  if (bridge) {
    const client = createEngineClient(createElectronTransport(bridge));
    const store = createAppStore(client, createElectronPlatform(bridge));
    render(store, false);
    void store.getState().initialize();
    return;
  }
  const token = takeAccessToken(window.location, window.sessionStorage, window.history);
  if (!token) {
    root.render(<NoTokenScreen />);
    return;
  }
  const transport = createHttpTransport({ origin: window.location.origin, token });
  const store = createAppStore(createEngineClient(transport), createBrowserPlatform(transport));
  render(store, true);
  void store.getState().initialize();
}

function render(store: ReturnType<typeof createAppStore>, pageShortcuts: boolean): void {
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App pageShortcuts={pageShortcuts} />
      </StoreProvider>
    </StrictMode>,
  );
}

start();
