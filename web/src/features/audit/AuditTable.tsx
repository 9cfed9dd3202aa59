import type { AuditEntry } from '@kuzet/contracts';
import { isMessageKey } from '../../i18n/translate.ts';
import { useI18n } from '../../i18n/use-t.ts';
import { formatDateTime } from '../../lib/time.ts';

interface Props {
  entries: readonly AuditEntry[];
  onFilterActor: (actorId: string) => void;
  onFilterSubject: (subjectType: string, subjectId: string) => void;
}

function detailsText(details: AuditEntry['details']): string {
  if (!details || Object.keys(details).length === 0) return '';
  return JSON.stringify(details);
}

export function AuditTable({ entries, onFilterActor, onFilterSubject }: Props) {
  const { t, lang } = useI18n();
  const actionText = (action: string) => {
    const key = `audit.action.${action}`;
    return isMessageKey(key) ? t(key) : action;
  };
  return (
    <div className="table-wrap">
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.actionLabel')}</th>
            <th scope="col">{t('audit.subject')}</th>
            <th scope="col">{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const details = detailsText(entry.details);
            return (
              <tr key={entry.seq} data-testid={`audit-row-${entry.seq}`}>
                <td className="num">{entry.seq}</td>
                <td className="nowrap">
                  <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
                </td>
                <td>
                  {entry.actorId ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => entry.actorId && onFilterActor(entry.actorId)}
                      title={t('audit.filterByActor')}
                    >
                      {entry.actorName ?? entry.actorId.slice(0, 8)}
                    </button>
                  ) : (
                    <span className="muted">{entry.actorName ?? t('audit.system')}</span>
                  )}
                </td>
                <td>
                  {actionText(entry.action)}
                  <div className="muted small">
                    <code>{entry.action}</code>
                  </div>
                </td>
                <td>
                  {entry.subjectType ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => onFilterSubject(entry.subjectType ?? '', entry.subjectId ?? '')}
                      title={t('audit.filterBySubject')}
                    >
                      {entry.subjectType}
                      {entry.subjectId ? ` · ${entry.subjectId}` : ''}
                    </button>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="details-cell">{details ? <code title={details}>{details}</code> : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
