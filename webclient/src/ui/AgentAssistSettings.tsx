import { useMemo, useState } from 'preact/hooks';
import { readAssistConfig, readSettings, writeSettings, type AssistSettings } from '../assist/config';
import type { ClientConfig } from '../config/options';
import { openStorage } from '../storage/store';
import { useStrings } from './i18n';

/**
 * AgentAssistSettings lets the agent choose the bot and the service (the
 * defaults are the agentAssistDefault* options) and enter the service's
 * token. Each field is kept in web storage as it is changed and applies from
 * the next call. Renders nothing unless isAgentAssistEnabled is on.
 */
export function AgentAssistSettings({ config }: { config: ClientConfig }) {
  const t = useStrings();
  const cfg = useMemo(() => readAssistConfig(config.raw), [config]);
  const storage = useMemo(() => openStorage(config.storageLocation), [config]);
  const [s, setS] = useState(() => readSettings(storage, cfg));
  if (!cfg.enabled) return null;
  const field = (key: keyof AssistSettings, label: string) => {
    const props = {
      name: `assist-${key}`,
      value: s[key],
      onChange: (e: Event) => {
        const next = { ...s, [key]: (e.currentTarget as HTMLInputElement).value.trim() };
        setS(next);
        writeSettings(storage, next);
      },
    };
    return (
      <label>
        {label}
        {key === 'token' ? <input type="password" {...props} /> : <input type="text" {...props} />}
      </label>
    );
  };
  return (
    <fieldset class="assist-settings">
      <legend>{t.AGENT_ASSIST}</legend>
      {field('botName', t.ASSIST_BOT_NAME)}
      {field('serviceUrl', t.ASSIST_SERVICE_URL)}
      {field('servicePath', t.ASSIST_SERVICE_PATH)}
      {field('token', t.ASSIST_TOKEN)}
    </fieldset>
  );
}
