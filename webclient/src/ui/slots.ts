// Where a call's optional features plug into the workspace. Each feature is
// a component that receives the call and its latest snapshot; adding one is
// one import and one entry in the list it belongs to. Heavy features load
// their code on demand themselves (the initial load stays within budget).
import type { ComponentType } from 'preact';
import type { Call, CallSnapshot } from '../sip/call';
import { CallQuality } from './QualityBadge';

export interface CallSlotProps {
  call: Call;
  snap: CallSnapshot;
}

export type CallSlot = ComponentType<CallSlotProps>;

/** Small badges in the call card's head, beside the state and timer (e.g. the call quality score). */
export const callBadges: CallSlot[] = [CallQuality];

/**
 * Extra controls in the connected call card's action row, before Hang up
 * (e.g. consult transfer and conference, screen sharing).
 */
export const callControls: CallSlot[] = [];

/**
 * Panels in the side column for the focused live call (e.g. Agent Assist,
 * the shared screen, the virtual-background picker). Each renders its own
 * section with an h2 heading, or nothing.
 */
export const callFeatures: CallSlot[] = [];
