import { describe, expect, it } from 'vitest';
import { hasProviders, joinURL, readAuthConfig } from './providers';

const page = 'https://softphone.example.com/webrtc_client/?code=x&state=y#frag';

describe('readAuthConfig', () => {
  it('fills the documented defaults per providerType', () => {
    const { providers } = readAuthConfig({
      authProvidersConfig: {
        providers: [
          { providerLoginName: 'Azure', authority: 'https://login.microsoftonline.com/tenant-1', clientId: 'c1' },
          { providerLoginName: 'KC', providerType: 'Keycloak', authority: 'https://kc.example.com:8443/', realm: 'agents', clientId: 'c2' },
          { providerLoginName: 'SSO', providerType: 'OIDC', authority: 'https://sso.example.com/oidc', clientId: 'c3', requestScopes: ['sip', 'openid'] },
        ],
      },
    }, page, 'sessionStorage');
    const [aad, kc, oidc] = providers;
    expect(aad).toMatchObject({
      type: 'AAD', issuer: 'https://login.microsoftonline.com/tenant-1/v2.0', scopes: ['openid', 'User.Read'],
      userInfoUrl: 'https://graph.microsoft.com/v1.0/me', redirectUri: 'https://softphone.example.com/webrtc_client/',
      refreshRetries: 5, forceLoginPromptOnEmptyCache: false, cacheLocation: 'sessionStorage', revocationUrl: null,
      sipUserAttribute: null, sipPasswordAttribute: null,
    });
    expect(kc).toMatchObject({
      type: 'Keycloak', issuer: 'https://kc.example.com:8443/realms/agents', scopes: ['openid'],
      userInfoUrl: 'https://kc.example.com:8443/realms/agents/protocol/openid-connect/userinfo',
    });
    expect(oidc).toMatchObject({ type: 'OIDC', issuer: 'https://sso.example.com/oidc', scopes: ['openid', 'sip'], userInfoUrl: 'https://sso.example.com/oidc/openid-connect/userinfo' });
  });

  it('takes the configured values', () => {
    const { providers, mandatory } = readAuthConfig({
      storageConfig: { location: 'localStorage' },
      authProvidersConfig: {
        mandatoryProviderLoginName: 'SSO',
        providers: [{
          providerLoginName: 'SSO', providerType: 'OIDC', authority: 'http://127.0.0.1:9000', clientId: 'c',
          endpointUrl: 'http://127.0.0.1:9000/api', userInfoUrlRelativePath: '/me', redirectUri: 'https://x.example/cb',
          authRefreshRetriesForSipError: 2, forceLoginPromptOnEmptyCache: true, tokenRevocationRelativePath: '/token/revocation',
          cacheLocation: 'memoryStorage', sipAttributes: { SIP_DN_Attribute_name: 'sip_dn', SIP_Password_Attribute_name: 'sip_password' },
        }],
      },
    }, page, 'localStorage');
    expect(providers[0]).toMatchObject({
      userInfoUrl: 'http://127.0.0.1:9000/api/me', redirectUri: 'https://x.example/cb', refreshRetries: 2,
      forceLoginPromptOnEmptyCache: true, revocationUrl: 'http://127.0.0.1:9000/token/revocation', cacheLocation: 'memoryStorage',
      sipUserAttribute: 'sip_dn', sipPasswordAttribute: 'sip_password',
    });
    expect(mandatory?.name).toBe('SSO');
  });

  it('takes a signing-in Genesys Cloud integration as the mandatory provider', () => {
    const raw = {
      authProvidersConfig: { mandatoryProviderLoginName: 'Genesys Cloud US-West-2' },
      contactCenterConfig: { integrations: [
        { enabled: true, contactCenterPlatform: 'genesys_pure_engage', serviceName: 'Genesys Pure Engage' },
        { enabled: true, contactCenterPlatform: 'genesys cloud', serviceName: 'Genesys Cloud US-West-2', environment: 'usw2.pure.cloud', clientId: 'g1', redirectUri: '' },
      ] },
    };
    expect(hasProviders(raw)).toBe(true);
    expect(readAuthConfig(raw, page, 'localStorage').mandatory).toEqual({
      kind: 'genesys', name: 'Genesys Cloud US-West-2', environment: 'usw2.pure.cloud', clientId: 'g1', redirectUri: 'https://softphone.example.com/webrtc_client/',
    });
    const disabled = structuredClone(raw);
    disabled.contactCenterConfig.integrations[1].enabled = false;
    expect(readAuthConfig(disabled, page, 'localStorage').mandatory).toBeNull();
  });

  it('leaves out incomplete and duplicate providers', () => {
    const { providers } = readAuthConfig({ authProvidersConfig: { providers: [
      { providerLoginName: 'A', authority: 'https://a.example', clientId: 'c' },
      { providerLoginName: 'A', authority: 'https://b.example', clientId: 'c' },
      { providerLoginName: 'B', clientId: 'c' },
      'junk',
    ] } }, page, 'localStorage');
    expect(providers.map((p) => p.name)).toEqual(['A']);
  });

  it('hasProviders is false without providers or a mandatory provider', () => {
    expect(hasProviders({})).toBe(false);
    expect(hasProviders({ authProvidersConfig: { providers: [] } })).toBe(false);
  });
});

describe('joinURL', () => {
  it('puts one slash between', () => {
    expect(joinURL('https://a/b/', '/me')).toBe('https://a/b/me');
    expect(joinURL('https://a/b', 'openid-connect/userinfo')).toBe('https://a/b/openid-connect/userinfo');
  });
});
