import { useEffect, useMemo, useState } from 'preact/hooks';
import { readAssistConfig } from '../assist/config';
import { AssistManager } from '../assist/manager';
import type { ClientConfig } from '../config/options';
import type { Call } from '../sip/call';
import { openStorage } from '../storage/store';

/**
 * useAgentAssist runs Agent Assist for the user's calls when
 * isAgentAssistEnabled is on (null otherwise). socket.io-client is loaded
 * with the first call, not before.
 */
export function useAgentAssist(config: ClientConfig, calls: readonly Call[], user: string | null): AssistManager | null {
  const [, rerender] = useState(0);
  const manager = useMemo(() => {
    const cfg = readAssistConfig(config.raw);
    if (!cfg.enabled) return null;
    return new AssistManager(cfg, openStorage(config.storageLocation), () => import('../assist/connect').then((m) => m.openSocket));
  }, [config]);
  useEffect(() => manager?.on('change', () => rerender((n) => n + 1)), [manager]);
  // After every render: a call may have connected or ended.
  useEffect(() => manager?.sync(calls, user));
  return manager;
}
