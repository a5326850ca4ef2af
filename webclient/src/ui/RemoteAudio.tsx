import { useEffect, useRef } from 'preact/hooks';

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** RemoteAudio plays a call's far-end audio on the chosen speaker. */
export function RemoteAudio({ stream, speaker }: { stream: MediaStream | null; speaker: string | null }) {
  const ref = useRef<SinkAudio>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) el.play().catch(() => {});
  }, [stream]);
  useEffect(() => {
    const el = ref.current;
    if (el?.setSinkId && speaker) el.setSinkId(speaker).catch((err: unknown) => console.warn('speaker', err));
  }, [speaker]);
  return <audio ref={ref} autoplay class="remote-audio" />;
}
