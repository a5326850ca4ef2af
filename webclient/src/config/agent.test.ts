import { describe, expect, it } from 'vitest';
import { readAgentConfig } from './agent';

describe('readAgentConfig', () => {
  it('uses the manual defaults when nothing is declared', () => {
    expect(readAgentConfig({})).toEqual({
      customerInfoHeader: 'x-customer-info',
      customerInfoMapping: {},
      integrations: [],
      acd: { enabled: false, notReadyDefaultReasonCode: 'not-ready', reasons: [] },
      autoAnswer: { answerDelayedOfferWithVideo: false, defaultDelaySeconds: 0 },
      history: { maxEntries: 100, guiEnabled: true },
      video: { enabled: false, addVideo: false },
    });
  });

  it('reads the rendered shape (testdata/render/full.js)', () => {
    const c = readAgentConfig({
      ACDClientConfig: { enabled: true, notReadyDefaultReasonCode: '20', notReadyReasonCodeMapping: { 20: 'After call work', 10: 'Break', Meeting: 'Team meeting' } },
      customerInfoContextDisplayMapping: { VIPLevel: 'VIP level', advice: 'Getting expert advice for the product' },
      isVideoEnabled: true,
      enableAddVideo: true,
      autoAnswerOptions: { answerDelayedOfferWithVideo: true, autoAnswerDefaultDelaySeconds: 3 },
      callHistoryConfig: { maxEntries: 300, guiEnabled: false },
      contactCenterConfig: {
        integrations: [
          { enabled: true, contactCenterPlatform: 'genesys_pure_engage', serviceName: 'Genesys Pure Engage', customSipHeaderNames: { contactCenterCallUuidHeader: 'X-Genesys-CallUUID' } },
          { enabled: false, contactCenterPlatform: 'genesys_cloud', serviceName: 'Off', customSipHeaderNames: { contactCenterCallUuidHeader: 'x-off' } },
          { enabled: true, contactCenterPlatform: 'genesys_cloud', serviceName: 'Genesys Cloud' },
        ],
        defaultSipHeaderNames: { contactCenterCallUuidHeader: 'call-id', contactCenterCallUserInfoHeader: 'X-Customer-Info' },
      },
    });
    expect(c.acd.reasons.map((r) => r.code).sort()).toEqual(['10', '20', 'Meeting']);
    expect(c.acd).toMatchObject({ enabled: true, notReadyDefaultReasonCode: '20' });
    expect(c.customerInfoMapping.advice).toBe('Getting expert advice for the product');
    expect(c.integrations).toEqual([
      { serviceName: 'Genesys Pure Engage', platform: 'genesys_pure_engage', callUuidHeader: 'x-genesys-calluuid' },
      { serviceName: 'Genesys Cloud', platform: 'genesys_cloud', callUuidHeader: 'call-id' },
    ]);
    expect(c.customerInfoHeader).toBe('x-customer-info');
    expect(c.autoAnswer).toEqual({ answerDelayedOfferWithVideo: true, defaultDelaySeconds: 3 });
    expect(c.history).toEqual({ maxEntries: 300, guiEnabled: false });
    expect(c.video).toEqual({ enabled: true, addVideo: true });
  });

  it("takes the active integration's customer-info header over the default name", () => {
    const c = readAgentConfig({
      contactCenterConfig: {
        integrations: [{ enabled: true, serviceName: 'A', customSipHeaderNames: { contactCenterCallUserInfoHeader: 'X-CRM-Info' } }],
        defaultSipHeaderNames: { contactCenterCallUserInfoHeader: 'x-customer-info' },
      },
    });
    expect(c.customerInfoHeader).toBe('x-crm-info');
  });

  it.each([
    ['deprecated maxSizeForCallHistory', { maxSizeForCallHistory: 7 }, 7],
    ['maxEntries wins over the deprecated key', { maxSizeForCallHistory: 7, callHistoryConfig: { maxEntries: 9 } }, 9],
    ['zero is out of range', { callHistoryConfig: { maxEntries: 0 } }, 100],
    ['a fraction is not a count', { callHistoryConfig: { maxEntries: 2.5 } }, 100],
    ['a numeric string counts', { callHistoryConfig: { maxEntries: '12' } }, 12],
  ])('history size: %s', (_, raw, want) => {
    expect(readAgentConfig(raw).history.maxEntries).toBe(want);
  });

  it('falls back through the deprecated notReadyStatusValue to the first code', () => {
    expect(readAgentConfig({ ACDClientConfig: { enabled: true, notReadyStatusValue: 'old' } }).acd.notReadyDefaultReasonCode).toBe('old');
    expect(readAgentConfig({ ACDClientConfig: { enabled: true, notReadyReasonCodeMapping: { 5: 'Lunch' } } }).acd.notReadyDefaultReasonCode).toBe('5');
  });

  it('adds video to calls only when video calls are enabled', () => {
    expect(readAgentConfig({ enableAddVideo: true }).video).toEqual({ enabled: false, addVideo: false });
  });
});
