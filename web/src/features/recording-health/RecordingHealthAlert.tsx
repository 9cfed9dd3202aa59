import { useEffect, useMemo } from 'react';
import { Link } from 'react-router-dom';
import { camerasApi } from '../../api/cameras.ts';
import { recordingAdminApi } from '../../api/recording-admin.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { problemText } from './health-text.ts';

const POLL_MS = 30_000;

/** The top bar's warning when recording is in trouble (disk nearly full, a full disk, write errors). */
export function RecordingHealthAlert() {
  const can = useCan();
  if (!can('monitoring.view')) return null;
  return <Alert />;
}

function Alert() {
  const { t, lang } = useI18n();
  const { complexId } = useComplexChoice();
  const health = useApiQuery(complexId ? `rec-health:${complexId}` : null, (signal) =>
    recordingAdminApi.health(complexId ?? '', signal),
  );
  const { reload } = health;
  useEffect(() => {
    const timer = window.setInterval(reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const data = health.data;
  const needNames = !!data?.problems.some((p) => p.cameraId);
  const cameras = useApiQuery(needNames && complexId ? `rec-health-cameras:${complexId}` : null, (signal) =>
    camerasApi.list(complexId ?? '', { limit: 200, offset: 0 }, signal),
  );
  const names = useMemo(() => new Map(cameras.data?.items.map((c) => [c.id, c.name]) ?? []), [cameras.data]);
  if (!data || data.state === 'ok' || data.problems.length === 0) return null;
  const first = data.problems[0]!;
  const more = data.problems.length - 1;
  const search = new URLSearchParams({ view: 'storage', ...(complexId ? { complex: complexId } : {}) });
  return (
    <Link
      to={`/cameras?${search.toString()}`}
      className={`rec-health-alert rec-health-${data.state}`}
      role="status"
      title={t('recHealth.open')}
      data-testid="rec-health-alert"
      data-state={data.state}
    >
      <span aria-hidden="true">⚠</span> {problemText(first, data, t, lang, (id) => names.get(id))}
      {more > 0 && <span className="rec-health-more"> {t('recHealth.more', { count: more })}</span>}
    </Link>
  );
}
