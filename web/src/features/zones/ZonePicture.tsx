import { useRef, useState } from 'react';
import { playbackApi } from '../../api/playback.ts';
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

/** How far back the snapshot is taken: footage that surely has been written. */
const SNAPSHOT_AGO_MS = 15_000;

/**
 * The camera's picture under the zones: a recorded snapshot (GET …/recordings/snapshot)
 * when the person may take one and there is footage, else the live sub stream.
 */
export function ZonePicture({ cameraId, version, onAspect }: Props) {
  const t = useT();
  const can = useCan();
  const [failed, setFailed] = useState<number | null>(null);
  const useSnapshot = can('recordings.export') && failed !== version;
  const [at] = useState(() => new Map<number, string>());
  if (!at.has(version)) at.set(version, new Date(Date.now() - SNAPSHOT_AGO_MS).toISOString());
  if (useSnapshot) {
    return (
      <img
        className="zone-backdrop"
        src={playbackApi.snapshotUrl(cameraId, at.get(version) ?? '')}
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
