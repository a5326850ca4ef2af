import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { defaultStrings, type Strings } from '../i18n/defaults';

export const StringsContext = createContext<Strings>(defaultStrings);

/** useStrings returns the UI texts in effect. */
export function useStrings(): Strings {
  return useContext(StringsContext);
}
