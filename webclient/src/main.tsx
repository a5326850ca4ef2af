// Entry point: read the configuration that static/js/advancedOptions.js
// declared as globals, load the UI text, and start the app.
import { debug } from 'jssip';
import { render } from 'preact';
import { loadAuth } from './auth/load';
import { readConfig } from './config/options';
import { loadStrings } from './i18n/load';
import { fetchStrings, localeOf, mergeStrings } from './i18n/strings';
import { openStorage, Store } from './storage/store';
import { App } from './ui/App';
import './styles.css';

async function boot(): Promise<void> {
  const config = readConfig(window as unknown as Record<string, unknown>);
  // debugMode: the SIP stack's trace on the browser console (never in production).
  if (config.debugMode) debug.enable('JsSIP:*');
  const store = new Store(openStorage(config.storageLocation));
  const root = document.getElementById('app');
  if (!root) return;
  // Sign-in providers (authProvidersConfig): loaded only when configured.
  const auth = await loadAuth(config).catch((err: unknown) => {
    console.error('sign-in providers', err);
    return null;
  });
  const show = (resource: Record<string, string> | null) => {
    const strings = mergeStrings(resource);
    // LANGUAGE_RESOURCE_LOCALE: the page's language, and the dates' and times' format.
    document.documentElement.lang = localeOf(strings);
    render(<App config={config} store={store} strings={strings} auth={auth} />, root);
  };
  // Cached text first, then the fetched one (cached for the next load);
  // waitForDefaultResourceFetch keeps the GUI hidden until there is text.
  await loadStrings(store, () => fetchStrings(config.localization.defaultLanguageResourceURL), config.localization.waitForDefaultResourceFetch, show);
}

void boot();
