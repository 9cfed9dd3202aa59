import { useRef, useState } from 'react';
import { playbackApi } from '../../api/playback.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { LiveStatus } from '../live/LiveStatus.tsx';
import { useLivePlayer } from '../live/use-live-player.ts';

interface Props {
  cameraId: string;
  /** Bump to take a new snapshot. */
  version: number;
  onAspect: (aspect: number) => void;
}

/** The newest footage is looked for within this window. */
const LOOK_BACK_MS = 6 * 3600_000;

/**
 * The camera's picture under the zones: a snapshot of the newest recorded footage
 * (GET …/recordings/snapshot) when the person may take one and there is footage, else
 * the live sub stream.
 */
export function ZonePicture({ cameraId, version, onAspect }: Props) {
  const t = useT();
  const can = useCan();
  const [failed, setFailed] = useState<number | null>(null);
  const allowed = can('recordings.export') && can('recordings.play');
  // The newest recorded moment (a second before the end of the last range): a frame that surely exists.
  const newest = useApiQuery(allowed ? `zone-picture:${cameraId}:${version}` : null, async (signal) => {
    const now = Date.now();
    const timeline = await playbackApi.timeline(cameraId, { from: new Date(now - LOOK_BACK_MS).toISOString(), to: new Date(now).toISOString() }, signal);
    const ends = timeline.ranges.map((r) => Date.parse(r.end)).filter((ms) => !Number.isNaN(ms));
    return ends.length > 0 ? new Date(Math.max(...ends) - 1000).toISOString() : null;
  });
  if (allowed && newest.loading) return null;
  if (allowed && newest.data && failed !== version) {
    return (
      <img
        className="zone-backdrop"
        src={playbackApi.snapshotUrl(cameraId, newest.data)}
        alt={t('zones.pictureAlt')}
        draggable={false}
        onLoad={(e) => {
          const img = e.currentTarget;
          if (img.naturalWidth > 0 && img.naturalHeight > 0) onAspect(img.naturalWidth / img.naturalHeight);
        }}
        onError={() => setFailed(version)}
        data-testid="zone-snapshot"
      />
    );
  }
  return <LiveBackdrop cameraId={cameraId} onAspect={onAspect} />;
}

function LiveBackdrop({ cameraId, onAspect }: { cameraId: string; onAspect: (aspect: number) => void }) {
  const video = useRef<HTMLVideoElement | null>(null);
  const model = useLivePlayer(video, { cameraId, stream: 'sub', probeKey: 'zones', active: true });
  return (
    <>
      <video
        ref={video}
        className="zone-backdrop"
        muted
        playsInline
        autoPlay
        onLoadedMetadata={(e) => {
          const v = e.currentTarget;
          if (v.videoWidth > 0 && v.videoHeight > 0) onAspect(v.videoWidth / v.videoHeight);
        }}
        data-testid="zone-live"
      />
      <div className="zone-live-status">
        <LiveStatus model={model} />
      </div>
    </>
  );
}
