import { useState } from 'react';
import type { Camera, User } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { usersApi } from '../../api/users.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';
import { grantStatus } from './grant-expiry.ts';
import { GrantForm } from './GrantForm.tsx';

/** Who of the complex's partners may watch this camera's video, until when and why; grant and revoke. */
export function GrantsSection({ camera }: { camera: Camera }) {
  const { t, lang } = useI18n();
  const grants = useApiQuery(`camera-grants:${camera.id}`, (signal) => camerasApi.grants(camera.id, signal));
  const partners = useApiQuery('partners', (signal) =>
    usersApi.list({ limit: 200, offset: 0, role: 'partner' }, signal),
  );
  const revoke = useAction(camerasApi.revokeGrant);
  const [notice, setNotice] = useState<'granted' | 'revoked' | null>(null);
  const [now] = useState(() => Date.now());
  const ofComplex: User[] = (partners.data?.items ?? []).filter((u) => u.complexId === camera.complexId && !u.disabled);
  const nameOf = (userId: string) => {
    const user = partners.data?.items.find((u) => u.id === userId);
    return user ? `${user.displayName} (${user.username})` : userId.slice(0, 8);
  };
  const items = [...(grants.data?.items ?? [])].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));

  return (
    <section className="camera-grants" data-testid="camera-grants">
      <h3>{t('grants.title')}</h3>
      <p className="muted small">{t('grants.about')}</p>
      <ErrorMessage error={grants.error ?? partners.error ?? revoke.error} />
      {grants.loading && !grants.data && <Loading />}
      {notice && <Notice testId="camera-grant-notice">{t(`grants.${notice}`)}</Notice>}
      {grants.data && items.length === 0 && <p className="muted">{t('grants.none')}</p>}
      {items.length > 0 && (
        <ul className="plain-list grant-list">
          {items.map((grant) => {
            const status = grantStatus(grant, now);
            return (
              <li key={grant.id} data-testid={`camera-grant-${grant.id}`} data-status={status}>
                <div className="grant-line">
                  <strong>{nameOf(grant.userId)}</strong>
                  <span className={`badge grant-${status}`}>{t(`grants.status.${status}`)}</span>
                </div>
                <div className="muted small">
                  {t('grants.until', { time: formatDateTime(grant.expiresAt, lang) })}
                  {grant.revokedAt && ` · ${t('grants.revokedAt', { time: formatDateTime(grant.revokedAt, lang) })}`}
                </div>
                <div className="small">{grant.reason}</div>
                {status === 'active' && (
                  <button
                    type="button"
                    className="danger"
                    disabled={revoke.busy}
                    onClick={async () => {
                      setNotice(null);
                      if (await revoke.run(camera.id, grant.id)) {
                        setNotice('revoked');
                        grants.reload();
                      }
                    }}
                    data-testid={`camera-grant-revoke-${grant.id}`}
                  >
                    {t('grants.revoke')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {partners.data && (
        <GrantForm
          cameraId={camera.id}
          partners={ofComplex}
          onGranted={() => {
            setNotice('granted');
            grants.reload();
          }}
        />
      )}
    </section>
  );
}
