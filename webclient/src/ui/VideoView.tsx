import { useEffect, useRef } from 'preact/hooks';
import { useStrings } from './i18n';

/** Video plays a stream's video tracks, muted: the call's sound plays elsewhere. */
export function Video({ stream, class: cls, label, testid }: { stream: MediaStream | null; class: string; label: string; testid: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const video = stream ? new MediaStream(stream.getVideoTracks()) : null;
    el.srcObject = video;
    if (video) el.play().catch(() => {});
  }, [stream]);
  return <video ref={ref} class={cls} aria-label={label} data-testid={testid} autoplay playsInline muted />;
}

interface Props {
  remote: MediaStream | null;
  local: MediaStream | null;
  showRemote: boolean;
}

/** VideoView is the far end's video with our camera's preview in a corner. */
export function VideoView({ remote, local, showRemote }: Props) {
  const t = useStrings();
  return (
    <div class="video-view">
      {showRemote && <Video stream={remote} class="remote-video" label={t.REMOTE_VIDEO} testid="remote-video" />}
      {local && <Video stream={local} class={showRemote ? 'local-video' : 'local-video alone'} label={t.LOCAL_VIDEO} testid="local-video" />}
    </div>
  );
}
