import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Account } from '../sip/phone';
import type { Devices } from '../storage/store';
import { AgentAssistSettings } from './AgentAssistSettings';
import { BackgroundPicker } from './BackgroundPicker';
import { Icon } from './icons';
import { useStrings } from './i18n';
import { ServerFields, type ServerDraft } from './ServerFields';

interface Props {
  config: ClientConfig;
  account: Account;
  server: ServerDraft;
  devices: Devices;
  onSave: (account: Account, server: ServerDraft, devices: Devices) => void;
  onSignOut: () => void;
  onClose: () => void;
  /** The sign-in providers list (src/auth), shown with the account. */
  providers?: ComponentChildren;
}

/** Settings edits the display name, the server settings and the audio devices. */
export function Settings({ config, account, server, devices, onSave, onSignOut, onClose, providers }: Props) {
  const t = useStrings();
  const [displayName, setDisplayName] = useState(account.displayName);
  const [draft, setDraft] = useState(server);
  const [dev, setDev] = useState(devices);
  const [list, setList] = useState<MediaDeviceInfo[]>([]);
  const md = config.mediaDevices;
  const selectable = md.allowMediaDeviceSelection;
  useEffect(() => {
    if (!selectable || !navigator.mediaDevices?.enumerateDevices) return;
    navigator.mediaDevices.enumerateDevices().then(setList).catch(() => setList([]));
  }, [selectable]);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);
  const picker = (category: string, kind: MediaDeviceKind, key: keyof Devices, label: string) =>
    md.deviceCategories.includes(category) && (
      <label>
        {label}
        <select name={key} value={dev[key] ?? ''} onChange={(e) => setDev({ ...dev, [key]: e.currentTarget.value || null })}>
          {/* devicesMustBeSelectedByUser: no system default, an explicit choice. */}
          {md.devicesMustBeSelectedByUser
            ? <option value="" disabled>{t.CHOOSE_DEVICE}</option>
            : <option value="">{t.DEFAULT_DEVICE}</option>}
          {list.filter((d) => d.kind === kind && d.deviceId !== 'default').map((d) => (
            <option key={d.deviceId} value={d.deviceId}>{d.label || d.deviceId.slice(0, 8)}</option>
          ))}
        </select>
      </label>
    );
  return (
    <form
      class="panel settings"
      aria-labelledby="settings-title"
      onSubmit={(e) => { e.preventDefault(); onSave({ ...account, displayName: displayName.trim() }, draft, dev); }}
    >
      <header class="panel-head">
        <h1 id="settings-title">{t.SETTINGS}</h1>
        <button type="button" class="icon-button" aria-label={t.CLOSE} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <fieldset>
        <legend>{t.ACCOUNT_SETTINGS}</legend>
        <p class="account-user">{account.user}</p>
        {!config.account.sipDisplayNameHidden && (
          <label>
            {t.SIP_DISPLAY_NAME}
            <input name="displayName" value={displayName} readOnly={config.account.sipDisplayNameDisabled}
              onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
        )}
      </fieldset>
      {providers}
      <ServerFields config={config} draft={draft} onChange={setDraft} />
      {selectable && (
        <fieldset>
          <legend>{t.DEVICE_SETTINGS}</legend>
          {picker('microphone', 'audioinput', 'microphone', t.MICROPHONE)}
          {picker('voiceoutput', 'audiooutput', 'speaker', t.SPEAKER)}
          {picker('ringeroutput', 'audiooutput', 'ringer', t.RINGER_OUTPUT)}
          {config.agent.video.enabled && picker('camera', 'videoinput', 'camera', t.CAMERA)}
        </fieldset>
      )}
      {config.agent.video.enabled && <BackgroundPicker config={config} />}
      <AgentAssistSettings config={config} />
      <div class="panel-actions">
        <button type="submit" class="primary">{t.SAVE}</button>
        <button type="button" onClick={onClose}>{t.CANCEL}</button>
        <button type="button" class="danger" onClick={onSignOut}>{t.SIGN_OUT}</button>
      </div>
    </form>
  );
}
