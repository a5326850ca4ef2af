import { useStrings } from './i18n';

const keys: [string, string][] = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', '+'], ['#', ''],
];

/**
 * DialPad is the twelve-key pad, for dialling or for DTMF in a call. A key's
 * accessible name is its digit: the letters are decoration, hidden from
 * assistive technology, and no aria-label contradicts the visible text.
 */
export function DialPad({ onKey, label, disabled = false }: { onKey: (k: string) => void; label?: string; disabled?: boolean }) {
  const t = useStrings();
  return (
    <div class="dial-pad" role="group" aria-label={label ?? t.DIAL_PAD}>
      {keys.map(([k, letters]) => (
        <button type="button" key={k} class="key" data-key={k} disabled={disabled} onClick={() => onKey(k)}>
          <span class="digit">{k}</span>
          <span class="letters" aria-hidden="true">{letters}</span>
        </button>
      ))}
    </div>
  );
}
