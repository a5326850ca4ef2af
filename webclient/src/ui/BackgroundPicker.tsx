import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import { addImage, changeEvent, readChoice, readImages, removeImage, setChoice, type BackgroundChoice } from '../media/background/choice';
import { brandImageCount, brandImageURL, readBackgroundConfig } from '../media/background/config';
import { openStorage } from '../storage/store';
import { useStrings } from './i18n';
import './BackgroundPicker.css';

/** The longest side an added image is kept at: enough for a camera frame, small in storage. */
const maxSide = 1280;

async function downscale(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const c = document.createElement('canvas');
  c.width = Math.round(bitmap.width * scale);
  c.height = Math.round(bitmap.height * scale);
  c.getContext('2d')?.drawImage(bitmap, 0, 0, c.width, c.height);
  bitmap.close();
  return c.toDataURL('image/jpeg', 0.85);
}

const same = (a: BackgroundChoice, b: BackgroundChoice) => JSON.stringify(a) === JSON.stringify(b);

/**
 * BackgroundPicker chooses what goes behind the agent's camera
 * (localVideoFilter): none, blur, one of the brand's images, or one of up to
 * maxSizeForLocalBGImages images the agent adds. A choice applies at once,
 * also to a call in progress. Renders nothing unless virtual backgrounds are on.
 */
export function BackgroundPicker({ config }: { config: ClientConfig }) {
  const t = useStrings();
  const cfg = useMemo(() => readBackgroundConfig(config.raw), [config]);
  const storage = useMemo(() => openStorage(config.storageLocation), [config]);
  const [choice, setState] = useState(() => readChoice(storage, brandImageCount));
  const [images, setImages] = useState(() => readImages(storage));
  const [error, setError] = useState('');
  useEffect(() => {
    const changed = () => {
      setState(readChoice(storage, brandImageCount));
      setImages(readImages(storage));
    };
    window.addEventListener(changeEvent, changed);
    return () => window.removeEventListener(changeEvent, changed);
  }, [storage]);
  if (!cfg.supported) return null;

  const choose = (c: BackgroundChoice) => setChoice(storage, c);
  const option = (c: BackgroundChoice, label: string, content: preact.ComponentChildren) => (
    <button type="button" class={`bg-option${same(c, choice) ? ' chosen' : ''}`} aria-pressed={same(c, choice)} aria-label={label} title={label} onClick={() => choose(c)}>
      {content}
    </button>
  );
  const add = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setError('');
    try {
      const image = addImage(storage, await downscale(file), cfg.maxLocalImages);
      if (!image) return setError(t.BACKGROUND_NOT_KEPT);
      choose({ kind: 'local', id: image.id });
    } catch {
      setError(t.BACKGROUND_NOT_AN_IMAGE);
    }
  };
  return (
    <fieldset class="backgrounds">
      <legend>{t.VIRTUAL_BACKGROUND}</legend>
      <div class="bg-options">
        {option({ kind: 'none' }, t.BACKGROUND_NONE, <span>{t.BACKGROUND_NONE}</span>)}
        {option({ kind: 'blur' }, t.BACKGROUND_BLUR, <span>{t.BACKGROUND_BLUR}</span>)}
        {Array.from({ length: brandImageCount }, (_, i) =>
          option({ kind: 'brand', n: i + 1 }, t.BACKGROUND_IMAGE.replace('{0}', String(i + 1)), <img src={brandImageURL(i + 1)} alt="" loading="lazy" />))}
        {images.map((img, i) => (
          <span class="bg-local" key={img.id}>
            {option({ kind: 'local', id: img.id }, t.BACKGROUND_MY_IMAGE.replace('{0}', String(i + 1)), <img src={img.url} alt="" />)}
            <button type="button" class="bg-remove" aria-label={t.BACKGROUND_REMOVE.replace('{0}', String(i + 1))}
              onClick={() => removeImage(storage, img.id, brandImageCount)}>×</button>
          </span>
        ))}
      </div>
      {cfg.maxLocalImages > 0 && (
        <label class="bg-add">
          {t.BACKGROUND_ADD.replace('{0}', String(images.length)).replace('{1}', String(cfg.maxLocalImages))}
          <input type="file" accept="image/*" disabled={images.length >= cfg.maxLocalImages} onChange={(e) => void add(e.currentTarget)} />
        </label>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </fieldset>
  );
}
