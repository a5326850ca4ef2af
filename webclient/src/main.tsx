// Entry point: read the configuration that static/js/advancedOptions.js
// declared as globals, load the UI text, and start the app.
import { debug } from 'jssip';
import { render } from 'preact';
import { loadAuth } from './auth/load';
import { readConfig } from './config/options';
import { fetchStrings, mergeStrings } from './i18n/strings';
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
  const show = (strings: Record<string, string> | null) =>
    render(<App config={config} store={store} strings={mergeStrings(strings)} auth={auth} />, root);

  const cached = store.strings();
  const fetching = fetchStrings(config.localization.defaultLanguageResourceURL).then((fetched) => {
    if (fetched) store.setStrings(fetched);
    return fetched;
  });
  // waitForDefaultResourceFetch: keep the GUI hidden until a text resource
  // is at hand, from the cache or the network; otherwise show the English
  // defaults (or the cached text) at once and switch when the fetch lands.
  if (cached || !config.localization.waitForDefaultResourceFetch) show(cached);
  const fetched = await fetching;
  if (fetched && JSON.stringify(fetched) !== JSON.stringify(cached)) show(fetched);
  else if (!cached && config.localization.waitForDefaultResourceFetch) show(null);
  if (fetched?.LANGUAGE_RESOURCE_LOCALE) document.documentElement.lang = fetched.LANGUAGE_RESOURCE_LOCALE;
}

void boot();
