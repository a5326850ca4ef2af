import { describe, expect, it } from 'vitest';
import { iceServers, readConfig } from './options';

describe('readConfig', () => {
  it('uses the documented defaults when advancedOptions.js declares nothing', () => {
    const c = readConfig({});
    expect(c.server).toEqual({
      sipDomain: '', sipServerAddress: [], prioritize: true, iceServers: [],
      backupSipServerAddress: [], guiEnabled: true, disableEditing: false,
    });
    expect(c.storageLocation).toBe('localStorage');
    expect(c.account).toEqual({ sipDisplayNameHidden: false, sipDisplayNameDisabled: false });
    expect(c.notification).toEqual({ focusWindowOnClick: true, autoplay: null });
    expect(c.registerExpires).toBe(600);
    expect([c.reconnectIntervalMin, c.reconnectIntervalMax]).toEqual([2, 30]);
    expect([c.dtmfUseWebRTC, c.dtmfDuration, c.dtmfInterToneGap]).toEqual([true, 100, 500]);
    expect(c.noAnswerTimeout).toBe(60);
    expect(c.useSessionTimer).toBe(false);
    expect(c.modes).toEqual({ cacheRegisterAuthMode: true, iceTimeoutFix: 2000 });
    expect(c.layout.alwaysShowFullCallsList).toBe(false);
    expect(c.mediaDevices.deviceCategories).toEqual(['microphone', 'voiceoutput', 'ringeroutput', 'camera']);
    expect(c.codecFilter).toEqual({ audio: { remove: [], priority: [] }, video: { remove: [], priority: [] } });
    expect(c.customGeneralSIPHeaders).toEqual([]);
    expect(c.raw).toEqual({});
  });

  it('reads the rendered globals by their manual names', () => {
    const c = readConfig({
      defaultServerConfig: {
        sipDomain: ' example.com ', sipServerAddress: ['wss://a:10081', 'wss://b:10081'], prioritize: false,
        sipIceServers: ['stun:stun.example.com:3478'], backupSipServerAddress: ['wss://c:10081'],
        guiEnabled: false, disableEditing: true,
      },
      storageConfig: { location: 'sessionStorage' },
      sipAccountGUIConfig: { sipDisplayNameHidden: true },
      notificationOptions: { focusWindowOnClick: false, autoplay: { showAutoplayDisabledNotification: false } },
      registerExpires: 300, reconnectIntervalMin: 5, reconnectIntervalMax: 60,
      dtmfUseWebRTC: false, dtmfDuration: 200, dtmfInterToneGap: 80, useSessionTimer: true,
      noAnswerTimeout: 20, avoidTwoWayHold: true, disableOutgoingCalls: true,
      isAllowedToResumeLocalHoldByRemoteReInvite: true,
      layoutConfig: { alwaysShowFullCallsList: true },
      modes: { cache_register_auth_mode: false, ice_timeout_fix: 500 },
      codecFilter: { audio: { remove: ['ISAC'], priority: ['opus', 'PCMA'] } },
      customGeneralSIPHeaders: ['X-Site: lab'],
      customerInfoContextDisplayMapping: { advice: 'Expert advice' },
      notAnOption: 1,
    });
    expect(c.server.sipDomain).toBe('example.com');
    expect(c.server.sipServerAddress).toEqual(['wss://a:10081', 'wss://b:10081']);
    expect(c.server.prioritize).toBe(false);
    expect(c.server.iceServers).toEqual([{ urls: 'stun:stun.example.com:3478' }]);
    expect(c.server.backupSipServerAddress).toEqual(['wss://c:10081']);
    expect([c.server.guiEnabled, c.server.disableEditing]).toEqual([false, true]);
    expect(c.storageLocation).toBe('sessionStorage');
    expect(c.account.sipDisplayNameHidden).toBe(true);
    expect(c.notification).toEqual({
      focusWindowOnClick: false,
      autoplay: { showAutoplayDisabledAlert: true, showAutoplayDisabledNotification: false },
    });
    expect([c.registerExpires, c.reconnectIntervalMin, c.reconnectIntervalMax]).toEqual([300, 5, 60]);
    expect([c.dtmfUseWebRTC, c.dtmfDuration, c.dtmfInterToneGap]).toEqual([false, 200, 80]);
    expect([c.useSessionTimer, c.noAnswerTimeout, c.avoidTwoWayHold, c.disableOutgoingCalls]).toEqual([true, 20, true, true]);
    expect(c.isAllowedToResumeLocalHoldByRemoteReInvite).toBe(true);
    expect(c.layout.alwaysShowFullCallsList).toBe(true);
    expect(c.modes).toEqual({ cacheRegisterAuthMode: false, iceTimeoutFix: 500 });
    expect(c.codecFilter.audio).toEqual({ remove: ['isac'], priority: ['opus', 'pcma'] });
    expect(c.customGeneralSIPHeaders).toEqual(['X-Site: lab']);
    expect(c.raw.customerInfoContextDisplayMapping).toEqual({ advice: 'Expert advice' });
    expect('notAnOption' in c.raw).toBe(false);
  });

  it.each([
    ['a string where an object belongs', { defaultServerConfig: 'wss://x' }, (c: ReturnType<typeof readConfig>) => c.server.sipServerAddress, []],
    ['a number out of range', { registerExpires: 5 }, (c: ReturnType<typeof readConfig>) => c.registerExpires, 600],
    ['a wrong type', { dtmfUseWebRTC: 'yes' }, (c: ReturnType<typeof readConfig>) => c.dtmfUseWebRTC, true],
    ['null', { layoutConfig: null }, (c: ReturnType<typeof readConfig>) => c.layout.alwaysShowFullCallsList, false],
    ['an unknown storage', { storageConfig: { location: 'indexedDB' } }, (c: ReturnType<typeof readConfig>) => c.storageLocation, 'localStorage'],
    ['max below min', { reconnectIntervalMin: 10, reconnectIntervalMax: 3 }, (c: ReturnType<typeof readConfig>) => c.reconnectIntervalMax, 10],
    ['a numeric string', { noAnswerTimeout: '15' }, (c: ReturnType<typeof readConfig>) => c.noAnswerTimeout, 15],
    ['one address as a string', { defaultServerConfig: { sipServerAddress: 'wss://one' } }, (c: ReturnType<typeof readConfig>) => c.server.sipServerAddress, ['wss://one']],
  ])('tolerates %s', (_name, globals, pick, want) => {
    expect(pick(readConfig(globals))).toEqual(want);
  });

  it('takes the deprecated autoplayNotificationOptions when notificationOptions.autoplay is absent', () => {
    const c = readConfig({ autoplayNotificationOptions: { showAutoplayDisabledAlert: false } });
    expect(c.notification.autoplay).toEqual({ showAutoplayDisabledAlert: false, showAutoplayDisabledNotification: true });
  });
});

describe('iceServers', () => {
  it('accepts URLs, the manual host:port form and RTCIceServer objects', () => {
    expect(iceServers([
      'stun:s.example.com', '74.125.140.127:19302', 'turns:t.example.com:443?transport=tcp',
      { urls: ['turn:t.example.com'], username: 'u', credential: 'p' }, { urls: [] }, 42, '',
    ])).toEqual([
      { urls: 'stun:s.example.com' },
      { urls: 'stun:74.125.140.127:19302' },
      { urls: 'turns:t.example.com:443?transport=tcp' },
      { urls: ['turn:t.example.com'], username: 'u', credential: 'p' },
    ]);
  });
});
