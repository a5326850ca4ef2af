import { useEffect, useState } from 'preact/hooks';
import type { CallSnapshot } from '../sip/call';
import { roundMos } from '../storage/history';
import type { LastQuality, Store } from '../storage/store';

/**
 * useLastQuality keeps the latest call quality score in the configured
 * storage as it comes, and returns the last one: from the calls of this
 * page, else the one stored at most restoreMaxDelay seconds before the page
 * loaded (restoreCallQualityMaxDelay). null when the monitor is off.
 */
export function useLastQuality(store: Store, calls: readonly CallSnapshot[], cfg: { enabled: boolean; restoreMaxDelay: number }): LastQuality | null {
  const [last, setLast] = useState<LastQuality | null>(() => (cfg.enabled ? store.lastQuality(cfg.restoreMaxDelay) : null));
  let latest: LastQuality | null = null;
  for (const c of calls) {
    if (c.quality && (!latest || c.quality.at > latest.at)) latest = { mos: roundMos(c.quality.mos), at: c.quality.at };
  }
  useEffect(() => {
    if (!latest || (last && latest.at <= last.at)) return;
    setLast(latest);
    store.setLastQuality(latest);
  }, [latest?.at]);
  return cfg.enabled ? last : null;
}
