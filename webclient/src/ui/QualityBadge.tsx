import { format } from '../i18n/strings';
import type { StringKey } from '../i18n/defaults';
import { qualityLevel, type QualityLevel, type QualityScore } from '../media/quality';
import { roundMos } from '../storage/history';
import { useStrings } from './i18n';
import type { CallSlotProps } from './slots';

const levelText: Record<QualityLevel, StringKey> = { good: 'QUALITY_GOOD', fair: 'QUALITY_FAIR', poor: 'QUALITY_POOR' };

/** QualityBadge is a call's live quality score (voiceQualityMonitorEnabled), its measures in the tooltip. */
export function QualityBadge({ score }: { score: QualityScore }) {
  const t = useStrings();
  const mos = roundMos(score.mos).toFixed(1);
  const level = qualityLevel(score.mos);
  const details = format(t.CALL_QUALITY_DETAILS, {
    mos, level: t[levelText[level]], loss: score.lossPct.toFixed(1), jitter: Math.round(score.jitterMs), rtt: score.rttMs === null ? '–' : Math.round(score.rttMs),
  });
  return (
    <span class={`quality quality-${level}`} data-testid="call-quality" data-mos={mos} data-level={level} title={details} aria-label={details}>
      {format(t.CALL_QUALITY, { mos })}
    </span>
  );
}

/** LastQuality is the score of the last call, kept across reloads for restoreCallQualityMaxDelay. */
export function LastQuality({ mos }: { mos: number }) {
  const t = useStrings();
  const level = qualityLevel(mos);
  return (
    <p class={`hint quality-last quality-${level}`} data-testid="last-quality" data-mos={mos.toFixed(1)}>
      {format(t.LAST_CALL_QUALITY, { mos: mos.toFixed(1), level: t[levelText[level]] })}
    </p>
  );
}

/** CallQuality is the call card's quality badge slot: the live score of a connected call. */
export function CallQuality({ snap }: CallSlotProps) {
  return snap.status === 'connected' && snap.quality ? <QualityBadge score={snap.quality} /> : null;
}
