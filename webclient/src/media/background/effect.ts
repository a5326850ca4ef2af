// The virtual-background pipeline: a person-segmentation model (MediaPipe
// Selfie Segmentation, shipped in the build under static/mediapipe/) finds
// the agent in each camera frame; the agent is drawn over a blurred copy of
// the frame or over a picture, and the result is a new camera track.
//
// This module is loaded with import() only when an agent turns a background
// on, and it loads the model's script, wasm and weights only then: nothing of
// it is part of the initial load. Everything comes from this site (the
// page's script-src 'self'); compiling the wasm needs 'wasm-unsafe-eval',
// which the server adds to the Content-Security-Policy only when
// localVideoFilter.virtualBackgroundSupported is true.
import type { Results, SelfieSegmentation, SelfieSegmentationConfig } from '@mediapipe/selfie_segmentation';

/** Where the build puts the model's files, relative to the page. */
export const modelDir = 'static/mediapipe/';

/** What goes behind the agent. */
export type Backdrop = { kind: 'blur' } | { kind: 'image'; url: string };

export interface Processor {
  /** The processed camera track, to send instead of the camera's. */
  readonly track: MediaStreamTrack;
  /** setBackdrop changes what goes behind the agent, without a new track. */
  setBackdrop(b: Backdrop): Promise<void>;
  /** stop ends the processed track and frees the model (the input track is the caller's). */
  stop(): void;
}

type Segmenter = new (config?: SelfieSegmentationConfig) => SelfieSegmentation;

let script: Promise<Segmenter> | null = null;

// The MediaPipe loader is a classic script that defines
// window.SelfieSegmentation and in turn loads its wasm glue by a <script>
// element: both from this site, located by locateFile.
function loadSegmenter(): Promise<Segmenter> {
  const w = window as unknown as { SelfieSegmentation?: Segmenter };
  script ??= new Promise<Segmenter>((resolve, reject) => {
    if (w.SelfieSegmentation) return resolve(w.SelfieSegmentation);
    const el = document.createElement('script');
    el.src = new URL(`${modelDir}selfie_segmentation.js`, document.baseURI).href;
    el.onload = () => (w.SelfieSegmentation ? resolve(w.SelfieSegmentation) : reject(new Error(`${el.src} defined no SelfieSegmentation`)));
    el.onerror = () => reject(new Error(`could not load ${el.src}`));
    document.head.append(el);
  }).catch((err: unknown) => {
    script = null;
    throw err;
  });
  return script;
}

async function loadImage(url: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

/** cover draws img over the whole w×h canvas, cropped to keep its proportions. */
function cover(g: CanvasRenderingContext2D, img: HTMLImageElement, w: number, h: number): void {
  const scale = Math.max(w / img.naturalWidth, h / img.naturalHeight);
  const sw = w / scale;
  const sh = h / scale;
  g.drawImage(img, (img.naturalWidth - sw) / 2, (img.naturalHeight - sh) / 2, sw, sh, 0, 0, w, h);
}

/** createProcessor starts the pipeline on a camera track. */
export async function createProcessor(input: MediaStreamTrack, backdrop: Backdrop): Promise<Processor> {
  const Segmenter = await loadSegmenter();
  const base = new URL(modelDir, document.baseURI).href;
  const seg = new Segmenter({ locateFile: (file) => base + file });
  // modelSelection 1: the landscape model, made for video calls.
  seg.setOptions({ modelSelection: 1, selfieMode: false });
  await seg.initialize();

  let picture: HTMLImageElement | null = backdrop.kind === 'image' ? await loadImage(backdrop.url) : null;
  const settings = input.getSettings();
  const out = document.createElement('canvas');
  out.width = settings.width ?? 640;
  out.height = settings.height ?? 480;
  const g = out.getContext('2d');
  if (!g) throw new Error('no 2D canvas for the virtual background');

  seg.onResults((r: Results) => {
    const { width: w, height: h } = out;
    g.save();
    g.clearRect(0, 0, w, h);
    // The mask is opaque where the person is: keep the frame there only,
    // then paint the backdrop behind it.
    g.drawImage(r.segmentationMask, 0, 0, w, h);
    g.globalCompositeOperation = 'source-in';
    g.drawImage(r.image, 0, 0, w, h);
    g.globalCompositeOperation = 'destination-over';
    if (picture) {
      cover(g, picture, w, h);
    } else {
      g.filter = 'blur(14px)';
      g.drawImage(r.image, 0, 0, w, h);
    }
    g.restore();
  });

  // Frames in: a canvas the camera frames are drawn on. Chromium's
  // MediaStreamTrackProcessor delivers every frame even in a background tab;
  // elsewhere a playing <video> is sampled on a timer.
  const frame = document.createElement('canvas');
  const fg = frame.getContext('2d');
  if (!fg) throw new Error('no 2D canvas for the virtual background');
  let running = true;
  const send = async (source: CanvasImageSource, w: number, h: number) => {
    if (frame.width !== w || frame.height !== h) {
      frame.width = out.width = w;
      frame.height = out.height = h;
    }
    fg.drawImage(source, 0, 0, w, h);
    await seg.send({ image: frame });
  };
  const Reader = (globalThis as unknown as { MediaStreamTrackProcessor?: new (o: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> } }).MediaStreamTrackProcessor;
  if (Reader) {
    const reader = new Reader({ track: input }).readable.getReader();
    void (async () => {
      while (running) {
        const { value, done } = await reader.read();
        if (done || !value) break;
        try {
          if (running) await send(value, value.displayWidth, value.displayHeight);
        } finally {
          value.close();
        }
      }
      await reader.cancel().catch(() => {});
    })().catch((err: unknown) => console.error('virtual background', err));
  } else {
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([input]);
    await video.play();
    const tick = async () => {
      if (!running) return;
      if (video.videoWidth > 0) await send(video, video.videoWidth, video.videoHeight).catch((err: unknown) => console.error('virtual background', err));
      setTimeout(() => void tick(), 1000 / 30);
    };
    void tick();
  }

  const stream = out.captureStream(settings.frameRate ?? 30);
  const [track] = stream.getVideoTracks();
  return {
    track,
    async setBackdrop(b) {
      picture = b.kind === 'image' ? await loadImage(b.url) : null;
    },
    stop() {
      running = false;
      track.stop();
      void seg.close();
    },
  };
}
