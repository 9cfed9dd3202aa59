import { createContext, useContext } from 'react';
import type { Alert } from '@kuzet/contracts';
import type { FeedState } from './alert-feed.ts';

export type FeedConnection = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface AlarmSound {
  /** The click of this shift is recorded. */
  consent: boolean;
  /** The AudioContext runs (the tone can play now). */
  running: boolean;
  /** Records the click and starts the sound (call from a click handler). */
  enable: () => void;
  /** Plays the tone once (to check the speakers). */
  test: () => void;
}

export interface AlertsValue {
  complexId: string;
  state: FeedState;
  connection: FeedConnection;
  /** Loading the list failed (the feed still runs). */
  listError: unknown;
  /** The first list is not in yet. */
  loading: boolean;
  unacknowledged: number;
  /** Epoch ms of the last alert that rang (the visual alarm follows it). */
  lastFreshAt: number | null;
  /** The newest alert that rang (the notice on other pages). */
  lastFresh: Alert | null;
  sound: AlarmSound;
  /** Puts an action's answer into the list at once (the feed confirms it later). */
  merge: (alerts: readonly Alert[]) => void;
  reloadList: () => void;
}

export const AlertsContext = createContext<AlertsValue | null>(null);

/** The alert feed of the signed-in shell; null where the person may not see alerts. */
export function useAlerts(): AlertsValue | null {
  return useContext(AlertsContext);
}
