import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import { BackgroundApplier } from '../media/background/apply';
import { changeEvent } from '../media/background/choice';
import { readBackgroundConfig } from '../media/background/config';
import type { Call } from '../sip/call';
import { openStorage } from '../storage/store';

/**
 * useVirtualBackground keeps the agent's chosen background
 * (localVideoFilter) on the camera of every call that sends video. It does
 * nothing unless virtualBackgroundSupported is on.
 */
export function useVirtualBackground(config: ClientConfig, calls: readonly Call[]): void {
  const [, rerender] = useState(0);
  const applier = useMemo(
    () => (readBackgroundConfig(config.raw).supported ? new BackgroundApplier(openStorage(config.storageLocation), () => rerender((n) => n + 1)) : null),
    [config],
  );
  useEffect(() => {
    if (!applier) return;
    const changed = () => applier.update();
    window.addEventListener(changeEvent, changed);
    return () => window.removeEventListener(changeEvent, changed);
  }, [applier]);
  // After every render: a call may have started or stopped sending video.
  useEffect(() => applier?.sync(calls));
}
