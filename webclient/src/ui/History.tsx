import { useEffect } from 'preact/hooks';
import { format, formatDateTime } from '../i18n/strings';
import { failureText } from '../sip/failure';
import type { HistoryEntry } from '../storage/history';
import { duration, endText } from './CallCard';
import { Icon } from './icons';
import { useStrings } from './i18n';

interface ListProps {
  entries: readonly HistoryEntry[];
  /** The text resource's locale (LANGUAGE_RESOURCE_LOCALE), for dates and times. */
  locale: string;
  /** null when outgoing calls are disabled. */
  onRedial: ((target: string) => void) | null;
}

interface Props extends ListProps {
  onClose: () => void;
}

/** History is the screen with the user's past calls, newest first. */
export function History({ entries, locale, onRedial, onClose }: Props) {
  const t = useStrings();
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);
  return (
    <section class="panel history" aria-labelledby="history-title">
      <header class="panel-head">
        <h1 id="history-title">{t.HISTORY}</h1>
        <button type="button" class="icon-button" aria-label={t.CLOSE} onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <HistoryList entries={entries} locale={locale} onRedial={onRedial} />
    </section>
  );
}

/** HistoryList lists past calls, each with a call-back button. */
export function HistoryList({ entries, locale, onRedial }: ListProps) {
  const t = useStrings();
  if (entries.length === 0) return <p class="hint">{t.HISTORY_EMPTY}</p>;
  return (
    <ol class="history-list">
      {entries.map((e) => {
        const who = e.remoteName || e.remoteUser;
        // Missed: rang out or was given up by the caller; a refused call is not missed.
        const missed = e.direction === 'incoming' && e.answeredAt === null && (e.endReason === 'no-answer' || e.endReason === 'canceled');
        const kind = missed ? t.HISTORY_MISSED : e.direction === 'incoming' ? t.HISTORY_INCOMING : t.HISTORY_OUTGOING;
        return (
          <li key={e.id} class={`history-entry${missed ? ' missed' : ''}`} data-testid="history-entry" data-direction={e.direction} data-user={e.remoteUser}>
            <div class="history-main">
              <strong class="history-who">{who}</strong>
              <span class="history-meta">
                {kind}
                {e.video ? ` · ${t.HISTORY_VIDEO}` : ''}
                {e.quality !== null ? ` · ${format(t.HISTORY_QUALITY, { mos: e.quality.toFixed(1) })}` : ''}
                {' · '}
                {e.answeredAt !== null ? duration(e.endedAt - e.answeredAt) : t[e.failure ? failureText[e.failure] : endText[e.endReason]]}
              </span>
              <time class="history-time" dateTime={new Date(e.startedAt).toISOString()}>{formatDateTime(e.startedAt, locale)}</time>
              {e.callUuids.map((u) => (
                <span key={u.serviceName} class="history-uuid">{format(t.CALL_UUID, { service: u.serviceName })}: {u.uuid}</span>
              ))}
            </div>
            {onRedial && e.remoteUser && (
              <button type="button" class="icon-button redial" aria-label={format(t.REDIAL, { who })} title={format(t.REDIAL, { who })}
                onClick={() => onRedial(e.remoteUser)}>
                <Icon name="phone" />
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
