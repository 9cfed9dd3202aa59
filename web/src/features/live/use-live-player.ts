import { useEffect, useState, type RefObject } from 'react';
import { liveCloseCodes, type StreamKind } from '@kuzet/contracts';
import { ApiError } from '../../api/client.ts';
import { liveApi } from '../../api/live.ts';
import { LivePlayer } from './live-player.ts';
import { liveConnection } from './live-connection.ts';
import { liveStartOf } from './live-url.ts';
import { initialModel, type PlayerModel } from './player-state.ts';

export interface LivePlayerInput {
  cameraId: string | null;
  stream: StreamKind;
  /** Where the latency figures go (the tile index, or "full"). */
  probeKey: string;
  /** Whether to pull video now: visible, on screen, the session unlocked. */
  active: boolean;
  /** Bump to try again after a failure. */
  restart?: number;
}

const REFUSALS: Record<number, number> = {
  400: liveCloseCodes.badRequest,
  401: liveCloseCodes.unauthenticated,
  403: liveCloseCodes.forbidden,
  404: liveCloseCodes.notFound,
};

/** The plain GET of the same address says why an upgrade was refused. */
async function whyRefused(cameraId: string, stream: StreamKind): Promise<number | null> {
  try {
    await liveApi.info(cameraId, stream);
    return null;
  } catch (error) {
    return error instanceof ApiError ? (REFUSALS[error.status] ?? null) : null;
  }
}

/**
 * Plays a camera's live stream in the `<video>` of `videoRef` while `active`; returns
 * the player's state. Going inactive closes the socket and lets the buffers go; going
 * active again connects afresh (a new camera, too).
 */
export function useLivePlayer(videoRef: RefObject<HTMLVideoElement | null>, input: LivePlayerInput): PlayerModel {
  const { cameraId, stream, probeKey, active, restart = 0 } = input;
  const key = `${cameraId ?? ''}|${stream}|${probeKey}|${active ? 1 : 0}|${restart}`;
  const [held, setHeld] = useState<{ key: string; model: PlayerModel }>({ key: '', model: initialModel });

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !cameraId || !active) return;
    const player = new LivePlayer(video, {
      connection: liveConnection(),
      subscription: { cameraId, stream, start: liveStartOf(window.location) },
      probeKey,
      onChange: (model) => setHeld({ key, model }),
      whyRefused: () => whyRefused(cameraId, stream),
    });
    player.start();
    return () => player.stop();
  }, [videoRef, cameraId, stream, probeKey, active, key]);

  return held.key === key ? held.model : initialModel;
}
