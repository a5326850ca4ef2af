import type { ClientConfig } from '../config/options';
import { useStrings } from './i18n';

export interface ServerDraft {
  sipDomain: string;
  addresses: string;
  backupAddresses: string;
}

interface Props {
  config: ClientConfig;
  draft: ServerDraft;
  onChange: (d: ServerDraft) => void;
}

/** ServerFields edits the server settings (shown per guiEnabled, read-only per disableEditing). */
export function ServerFields({ config, draft, onChange }: Props) {
  const t = useStrings();
  if (!config.server.guiEnabled) return null;
  const ro = config.server.disableEditing;
  return (
    <fieldset class="server-fields">
      <legend>{t.SERVER_SETTINGS}</legend>
      {ro && <p class="hint">{t.SERVER_SETTINGS_LOCKED}</p>}
      <label>
        {t.SIP_DOMAIN}
        <input name="sipDomain" value={draft.sipDomain} readOnly={ro} autoComplete="off" spellcheck={false}
          onInput={(e) => onChange({ ...draft, sipDomain: e.currentTarget.value })} />
      </label>
      <label>
        {t.SIP_SERVER_ADDRESSES}
        <textarea name="sipServerAddress" rows={2} value={draft.addresses} readOnly={ro} spellcheck={false}
          onInput={(e) => onChange({ ...draft, addresses: e.currentTarget.value })} />
      </label>
      {(draft.backupAddresses !== '' || !ro) && (
        <label>
          {t.BACKUP_SIP_SERVER_ADDRESSES}
          <textarea name="backupSipServerAddress" rows={2} value={draft.backupAddresses} readOnly={ro} spellcheck={false}
            onInput={(e) => onChange({ ...draft, backupAddresses: e.currentTarget.value })} />
        </label>
      )}
    </fieldset>
  );
}
