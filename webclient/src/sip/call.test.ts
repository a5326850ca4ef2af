import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { readConfig } from '../config/options';
import { Call } from './call';

// A stand-in for JsSIP's RTCSession that records what the call asks of it;
// events are emitted the way JsSIP emits them.
class FakeSession extends EventEmitter {
  id = 'call-1';
  direction: 'incoming' | 'outgoing';
  remote_identity = { uri: { user: '1001' }, display_name: 'Customer' };
  connection = null;
  calls: [string, unknown[]][] = [];
  ended = false;
  readyToReOffer = true;
  constructor(direction: 'incoming' | 'outgoing') {
    super();
    this.direction = direction;
  }
  #rec(name: string, args: unknown[]) {
    this.calls.push([name, args]);
    return true;
  }
  answer(...a: unknown[]) { return this.#rec('answer', a); }
  terminate(...a: unknown[]) { return this.#rec('terminate', a); }
  hold(...a: unknown[]) { return this.#rec('hold', a); }
  unhold(...a: unknown[]) { return this.#rec('unhold', a); }
  mute(...a: unknown[]) { return this.#rec('mute', a); }
  unmute(...a: unknown[]) { return this.#rec('unmute', a); }
  sendDTMF(...a: unknown[]) { return this.#rec('sendDTMF', a); }
  sendInfo(...a: unknown[]) { return this.#rec('sendInfo', a); }
  refer(...a: unknown[]) { return this.#rec('refer', a); }
  isEnded() { return this.ended; }
  isReadyToReOffer() { return this.readyToReOffer; }
  made(name: string) { return this.calls.filter(([n]) => n === name).map(([, a]) => a); }
}

function setup(globals: Record<string, unknown> = {}, direction: 'incoming' | 'outgoing' = 'incoming', transportConnected?: () => boolean) {
  const session = new FakeSession(direction);
  const config = readConfig({ customGeneralSIPHeaders: ['X-Site: lab'], ...globals });
  const call = new Call(session as unknown as RTCSession, 'main', {
    config, customHeaders: config.customGeneralSIPHeaders, microphoneId: null, sipDomain: 'example.test', transportConnected,
  });
  return { session, call };
}

function connect(session: FakeSession) {
  session.emit('accepted', { originator: 'local' });
  session.emit('confirmed', { originator: 'local' });
}

describe('Call', () => {
  it('answers with the custom headers and audio-only media', () => {
    const { session, call } = setup();
    expect(call.snapshot).toMatchObject({ status: 'incoming', remoteUser: '1001', remoteName: 'Customer', direction: 'incoming' });
    call.answer();
    const [opts] = session.made('answer')[0] as [{ extraHeaders: string[]; mediaConstraints: MediaStreamConstraints }];
    expect(opts.extraHeaders).toEqual(['X-Site: lab']);
    expect(opts.mediaConstraints).toEqual({ audio: true, video: false });
  });

  it('rejects with 486 and the custom headers', () => {
    const { session, call } = setup();
    call.reject();
    expect(session.made('terminate')[0][0]).toMatchObject({ status_code: 486, extraHeaders: ['X-Site: lab'] });
  });

  it.each([
    ['avoidTwoWayHold off', false, true],
    ['avoidTwoWayHold on', true, false],
  ])('hold during a remote hold with %s', (_n, avoid, allowed) => {
    const { session, call } = setup({ avoidTwoWayHold: avoid });
    connect(session);
    session.emit('hold', { originator: 'remote' });
    expect(call.snapshot.remoteHold).toBe(true);
    expect(call.canHold()).toBe(allowed);
    call.hold();
    expect(session.made('hold')).toHaveLength(allowed ? 1 : 0);
  });

  it('tracks local hold and resumes', () => {
    const { session, call } = setup();
    connect(session);
    expect(call.hold()).toBe(true);
    session.emit('hold', { originator: 'local' });
    expect(call.snapshot.localHold).toBe(true);
    expect(call.canHold()).toBe(false);
    call.unhold();
    expect(session.made('unhold')).toHaveLength(1);
    expect(session.made('hold')[0][0]).toEqual({ extraHeaders: [] });
  });

  it.each([
    ['RFC 2833', true, 'RFC2833'],
    ['SIP INFO', false, 'INFO'],
  ])('sends DTMF by %s with the configured timing and no custom headers', (_n, webrtc, transport) => {
    const { session, call } = setup({ dtmfUseWebRTC: webrtc, dtmfDuration: 160, dtmfInterToneGap: 90 });
    call.sendDTMF('5');
    expect(session.made('sendDTMF')).toHaveLength(0); // not connected yet
    connect(session);
    call.sendDTMF('5');
    expect(session.made('sendDTMF')[0]).toEqual(['5', { duration: 160, interToneGap: 90, transportType: transport }]);
  });

  it('shows the tones sent, and sends them by SIP INFO when the far end has no telephone-event', () => {
    const { session, call } = setup({ dtmfUseWebRTC: true });
    connect(session);
    session.emit('sdp', { originator: 'remote', type: 'answer', sdp: 'v=0\r\nm=audio 9 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n' });
    call.sendDTMF('1');
    session.emit('sdp', { originator: 'remote', type: 'offer', sdp: 'v=0\r\nm=audio 9 RTP/AVP 0\r\n' });
    call.sendDTMF('#');
    expect(session.made('sendDTMF').map(([tone, o]) => [tone, (o as { transportType: string }).transportType])).toEqual([['1', 'RFC2833'], ['#', 'INFO']]);
    expect(call.snapshot.sentTones).toBe('1#');
  });

  it('sends INFO (other than DTMF) with the custom headers', () => {
    const { session, call } = setup();
    connect(session);
    call.sendInfo('application/json', '{"a":1}');
    expect(session.made('sendInfo')[0]).toEqual(['application/json', '{"a":1}', { extraHeaders: ['X-Site: lab'] }]);
  });

  describe('isAllowedToResumeLocalHoldByRemoteReInvite', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const reinvite = (session: FakeSession, direction: string) =>
      session.emit('reinvite', { request: { body: `v=0\r\nm=audio 9 RTP/AVP 0\r\na=${direction}\r\n` } });

    it.each([
      ['allowed, sendrecv offer', true, 'sendrecv', 1],
      ['allowed, sendonly offer', true, 'sendonly', 0],
      ['not allowed', false, 'sendrecv', 0],
    ])('%s', async (_n, allowed, direction, unholds) => {
      const { session } = setup({ isAllowedToResumeLocalHoldByRemoteReInvite: allowed });
      connect(session);
      session.emit('hold', { originator: 'local' });
      reinvite(session, direction);
      await vi.advanceTimersByTimeAsync(500);
      expect(session.made('unhold')).toHaveLength(unholds);
    });

    it('waits until the re-INVITE transaction is over', async () => {
      const { session } = setup({ isAllowedToResumeLocalHoldByRemoteReInvite: true });
      connect(session);
      session.emit('hold', { originator: 'local' });
      session.readyToReOffer = false;
      reinvite(session, 'sendrecv');
      await vi.advanceTimersByTimeAsync(500);
      expect(session.made('unhold')).toHaveLength(0);
      session.readyToReOffer = true;
      await vi.advanceTimersByTimeAsync(500);
      expect(session.made('unhold')).toHaveLength(1);
    });
  });

  it('filters the codecs of local SDP only', () => {
    const { session } = setup({ codecFilter: { audio: { remove: ['pcma'] } } });
    const sdp = 'v=0\r\nm=audio 9 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n';
    const local = { originator: 'local', type: 'offer', sdp };
    const remote = { originator: 'remote', type: 'answer', sdp };
    session.emit('sdp', local);
    session.emit('sdp', remote);
    expect(local.sdp).toBe('v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n');
    expect(remote.sdp).toBe(sdp);
  });

  it("reads a peer's actpass answer as active, and leaves its offer alone", () => {
    const { session } = setup({}, 'outgoing');
    const sdp = 'v=0\r\nm=audio 10000 UDP/TLS/RTP/SAVPF 0\r\na=rtcp:10001\r\na=setup:actpass\r\n';
    const answer = { originator: 'remote', type: 'answer', sdp };
    session.emit('sdp', answer);
    expect(answer.sdp).toBe(sdp.replace('actpass', 'active'));
    const offer = { originator: 'remote', type: 'offer', sdp };
    session.emit('sdp', offer);
    expect(offer.sdp).toBe(sdp);
  });

  it('stops ICE gathering ice_timeout_fix ms after the first candidate', async () => {
    vi.useFakeTimers();
    const { session } = setup({ modes: { ice_timeout_fix: 300 } });
    const ready = vi.fn();
    session.emit('icecandidate', { candidate: {}, ready });
    session.emit('icecandidate', { candidate: {}, ready });
    await vi.advanceTimersByTimeAsync(299);
    expect(ready).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(ready).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it.each([
    ['No Answer', 'no-answer'],
    ['Request Timeout', 'no-answer'],
    ['Busy', 'busy'],
    ['Rejected', 'rejected'],
    ['Terminated', 'normal'],
    ['Canceled', 'canceled'],
    ['WebRTC Error', 'failed'],
  ])('ends with cause %s as %s', async (cause, reason) => {
    const { session, call } = setup({}, 'outgoing');
    const ended = vi.fn();
    call.on('ended', ended);
    session.emit('failed', { originator: 'remote', cause });
    await Promise.resolve(); // a WebRTC Error ends the call a microtask later
    expect(call.snapshot).toMatchObject({ status: 'ended', endReason: reason, endCause: cause });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a 488 answer', 'failed', { originator: 'remote', cause: 'Incompatible SDP', message: { status_code: 488 } }, 'media-refused', 'Incompatible SDP (488)'],
    ['a 503 answer', 'failed', { originator: 'remote', cause: 'SIP Failure Code', message: { status_code: 503 } }, 'server-error', 'SIP Failure Code (503)'],
    ['a lost SBC', 'failed', { originator: 'system', cause: 'Connection Error', message: null }, 'sbc-unreachable', 'Connection Error'],
    ['a BYE', 'ended', { originator: 'remote', cause: 'Terminated', message: { getHeader: () => undefined } }, null, 'Terminated'],
  ])('words the failure of %s', (_n, event, e, failure, endCause) => {
    const { session, call } = setup({}, 'outgoing');
    connect(session);
    session.emit(event, e);
    expect(call.snapshot).toMatchObject({ status: 'ended', failure, endCause });
  });

  it.each([
    ['the SBC connection is lost', false, false, 'failed', 'sbc-unreachable'],
    ['the agent hangs up', true, false, 'canceled', null],
    ['the agent hangs up as the connection drops', false, true, 'canceled', null],
  ])('a ringing outgoing call canceled by JsSIP when %s', (_n, connected, asked, endReason, failure) => {
    const { session, call } = setup({}, 'outgoing', () => connected);
    session.emit('progress', { originator: 'remote', response: { status_code: 180, body: '' } });
    if (asked) call.hangUp();
    session.emit('failed', { originator: 'local', cause: 'Canceled', message: null });
    expect(call.snapshot).toMatchObject({ status: 'ended', endReason, failure });
  });

  it.each([
    ['an offer refused (JsSIP tells after the failure)', true],
    ["a hold's answer refused (JsSIP tells before the end)", false],
  ])('%s ends as media refused', async (_n, failedFirst) => {
    const { session, call } = setup();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    connect(session);
    const fail = () => session.emit('failed', { originator: 'system', cause: 'WebRTC Error', message: null });
    const refuse = () => session.emit('peerconnection:setremotedescriptionfailed', new Error('no rtcp-mux'));
    if (failedFirst) {
      fail();
      refuse();
    } else {
      refuse();
      fail();
    }
    await Promise.resolve();
    expect(call.snapshot).toMatchObject({ status: 'ended', failure: 'media-refused' });
    vi.restoreAllMocks();
  });

  it("the agent's Reject is no failure", () => {
    const { session, call } = setup();
    call.reject();
    session.emit('failed', { originator: 'local', cause: 'Rejected', message: null });
    expect(call.snapshot).toMatchObject({ status: 'ended', endReason: 'rejected', failure: null });
  });

  it('a transferred call has no failure', () => {
    const { session, call } = setup();
    connect(session);
    call.transfer('2000');
    session.emit('ended', { originator: 'local', cause: 'Terminated' });
    expect(call.snapshot).toMatchObject({ endReason: 'transferred', failure: null });
  });

  it('marks 183 with SDP as early media, and 180 as ringing', () => {
    const { session, call } = setup({}, 'outgoing');
    session.emit('progress', { originator: 'remote', response: { status_code: 180, body: '' } });
    expect(call.snapshot).toMatchObject({ status: 'ringing', earlyMedia: false });
    session.emit('progress', { originator: 'remote', response: { status_code: 183, body: 'v=0' } });
    expect(call.snapshot.earlyMedia).toBe(true);
  });

  it('blind transfer hangs up once the REFER is accepted', () => {
    const { session, call } = setup();
    connect(session);
    expect(call.transfer('  ')).toBe(false);
    expect(call.transfer('2000')).toBe(true);
    expect(call.snapshot.transferring).toBe(true);
    const [target, opts] = session.made('refer')[0] as [string, { eventHandlers: { requestSucceeded: () => void } }];
    expect(target).toBe('sip:2000@example.test');
    opts.eventHandlers.requestSucceeded();
    expect(session.made('terminate')).toHaveLength(1);
    session.emit('ended', { originator: 'local', cause: 'Terminated' });
    expect(call.snapshot.endReason).toBe('transferred');
  });

  it('collects DTMF received by SIP INFO', () => {
    const { session, call } = setup();
    connect(session);
    session.emit('newDTMF', { originator: 'remote', dtmf: { tone: '4' } });
    session.emit('newDTMF', { originator: 'local', dtmf: { tone: '9' } });
    session.emit('newDTMF', { originator: 'remote', dtmf: { tone: '2' } });
    expect(call.snapshot.receivedTones).toBe('42');
  });
});

describe('Call agent features', () => {
  const invite = (headers: Record<string, string>, body = 'v=0\r\nm=audio 9 RTP/AVP 0\r\n') => ({
    getHeader: (n: string) => headers[n.toLowerCase()],
    body,
  });
  const make = (globals: Record<string, unknown>, inv: ReturnType<typeof invite>) => {
    const session = new FakeSession('incoming');
    const config = readConfig(globals);
    const call = new Call(session as unknown as RTCSession, 'main', { config, customHeaders: [], microphoneId: null, sipDomain: 'example.test' }, inv);
    return { session, call };
  };

  it('reads customer info and the call UUID of each enabled integration', () => {
    const { call } = make({
      customerInfoContextDisplayMapping: { advice: 'Getting expert advice' },
      contactCenterConfig: {
        integrations: [
          { enabled: true, serviceName: 'Pure Engage', customSipHeaderNames: { contactCenterCallUuidHeader: 'X-Genesys-CallUUID' } },
          { enabled: true, serviceName: 'Cloud', customSipHeaderNames: { contactCenterCallUuidHeader: 'x-inin-cnv' } },
        ],
      },
    }, invite({ 'x-customer-info': '{"reason":"advice"}', 'x-genesys-calluuid': ' 0A1B ' }));
    expect(call.snapshot.customerInfo).toEqual({ kind: 'items', items: [{ key: 'reason', label: 'reason', value: 'Getting expert advice' }] });
    expect(call.snapshot.callUuids).toEqual([{ serviceName: 'Pure Engage', uuid: '0A1B' }]);
    expect(call.snapshot.delayedOffer).toBe(false);
  });

  it('keeps a malformed customer info raw and still answers', () => {
    const { session, call } = make({}, invite({ 'x-customer-info': '{broken' }));
    expect(call.snapshot.customerInfo).toEqual({ kind: 'raw', text: '{broken' });
    call.answer();
    expect(session.made('answer')).toHaveLength(1);
  });

  it('sees a video offer and a delayed offer', () => {
    expect(make({}, invite({}, 'v=0\r\nm=audio 9 RTP/AVP 0\r\nm=video 9 RTP/AVP 96\r\n')).call.snapshot.remoteVideo).toBe(true);
    expect(make({}, invite({}, '')).call.snapshot.delayedOffer).toBe(true);
  });

  it.each([
    ['video enabled', { isVideoEnabled: true }, true],
    ['video disabled', {}, false],
  ])('answers with video only when asked and enabled (%s)', (_, globals, want) => {
    const { session, call } = make(globals, invite({}));
    call.answer(true);
    const [opts] = session.made('answer')[0] as [{ mediaConstraints: MediaStreamConstraints; rtcOfferConstraints: RTCOfferOptions }];
    expect(opts.mediaConstraints.video !== false).toBe(want);
    expect(opts.rtcOfferConstraints.offerToReceiveVideo).toBe(want);
  });

  it('offers Add video only with enableAddVideo on a connected call', () => {
    const on = make({ isVideoEnabled: true, enableAddVideo: true }, invite({}));
    const off = make({ isVideoEnabled: true }, invite({}));
    expect(on.call.canAddVideo()).toBe(false);
    for (const { session } of [on, off]) connect(session);
    expect(on.call.canAddVideo()).toBe(true);
    expect(off.call.canAddVideo()).toBe(false);
  });
});
