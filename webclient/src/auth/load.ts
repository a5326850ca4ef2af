// loadAuth starts sign-in with identity providers when the configuration
// has any. The sign-in code (and oidc-client-ts) is a separate chunk,
// fetched only then, so pages without providers never load it.
import type { ClientConfig } from '../config/options';
import { hasProviders } from './providers';
import type { AuthController } from './types';

export async function loadAuth(config: ClientConfig): Promise<AuthController | null> {
  if (!hasProviders(config.raw)) return null;
  const { startAuth } = await import('./controller');
  return startAuth(config);
}
