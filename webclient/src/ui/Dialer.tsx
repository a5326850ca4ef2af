import type { RefObject } from 'preact';
import { Icon } from './icons';
import { DialPad } from './DialPad';
import { useStrings } from './i18n';

interface Props {
  number: string;
  onNumber: (n: string) => void;
  onCall: () => void;
  /** Calls with video; null when video calls are disabled. */
  onVideoCall: (() => void) | null;
  disabled: boolean;
  /** The id of the text that says why calls are not possible, while disabled. */
  disabledReasonId?: string | null;
  inputRef: RefObject<HTMLInputElement | null>;
  error: string | null;
}

/** Dialer is the number entry, the dial pad and the Call button. */
export function Dialer({ number, onNumber, onCall, onVideoCall, disabled, disabledReasonId = null, inputRef, error }: Props) {
  const t = useStrings();
  return (
    <form class="dialer" onSubmit={(e) => { e.preventDefault(); onCall(); }} aria-label={t.DIAL_PAD}>
      <div class="number-row">
        <input
          ref={inputRef}
          name="number"
          class="number"
          value={number}
          placeholder={t.DIAL_NUMBER}
          aria-label={t.DIAL_NUMBER}
          aria-keyshortcuts="Alt+D"
          autoComplete="off"
          spellcheck={false}
          inputMode="tel"
          onInput={(e) => onNumber(e.currentTarget.value)}
        />
        {number && (
          <button type="button" class="icon-button" aria-label={t.BACKSPACE} onClick={() => onNumber(number.slice(0, -1))}>
            <Icon name="backspace" />
          </button>
        )}
      </div>
      <DialPad onKey={(k) => { onNumber(number + k); inputRef.current?.focus(); }} />
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" class="call-button" disabled={disabled || !number.trim()} aria-describedby={disabled && disabledReasonId ? disabledReasonId : undefined}>
        <Icon name="phone" />
        {t.CALL}
      </button>
      {onVideoCall && (
        <button type="button" class="call-button video-call-button" disabled={disabled || !number.trim()} onClick={onVideoCall}
          aria-describedby={disabled && disabledReasonId ? disabledReasonId : undefined}>
          <Icon name="video" />
          {t.VIDEO_CALL}
        </button>
      )}
    </form>
  );
}
