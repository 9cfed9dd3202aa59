import { useEffect, useState } from 'react';
import { PlaybackController, type PlaybackState } from './playback-controller.ts';

/**
 * The page's one playback controller (created once, destroyed with the page) and its
 * state for rendering (a few times a second while playing).
 */
export function usePlayback(origin: number, initialClock: number): { controller: PlaybackController; state: PlaybackState } {
  const [held] = useState(() => {
    let set: (state: PlaybackState) => void = () => undefined;
    const controller = new PlaybackController(origin, initialClock, (state) => set(state));
    return { controller, bind: (fn: (state: PlaybackState) => void) => (set = fn) };
  });
  const [state, setState] = useState<PlaybackState>(() => held.controller.state);
  useEffect(() => {
    held.bind(setState);
    return () => {
      held.bind(() => undefined);
    };
  }, [held]);
  useEffect(() => {
    held.controller.start();
    return () => held.controller.destroy();
  }, [held]);
  useEffect(() => held.controller.setOrigin(origin), [held, origin]);
  return { controller: held.controller, state };
}
