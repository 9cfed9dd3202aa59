import { useState } from 'react';
import { AuditQuery } from '@kuzet/contracts';
import { auditApi, type AuditListParams } from '../../api/audit.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import { emptyFilters, rangeInverted, toAuditQuery, type AuditFilterForm } from './audit-filters.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { VerifyChain } from './VerifyChain.tsx';

const LIMIT = 50;

/** Who did what and when (newest first), filtered; administrators can verify the chain. */
export function AuditPage() {
  const t = useT();
  const can = useCan();
  const [draft, setDraft] = useState<AuditFilterForm>(emptyFilters);
  const [applied, setApplied] = useState<AuditListParams>({ limit: LIMIT, offset: 0 });
  const [showErrors, setShowErrors] = useState(false);

  const draftQuery = toAuditQuery(draft);
  const checked = validate(AuditQuery, { ...draftQuery, limit: LIMIT, offset: 0 }, t);
  const errors: Record<string, string | undefined> = { ...checked.errors };
  if (rangeInverted(draftQuery)) errors.to = t('audit.rangeInverted');
  const shownErrors = showErrors ? errors : {};

  const list = useApiQuery(`audit:${JSON.stringify(applied)}`, (signal) => auditApi.list(applied, signal));

  const apply = (form: AuditFilterForm) => {
    const query = toAuditQuery(form);
    const result = validate(AuditQuery, { ...query, limit: LIMIT, offset: 0 }, t);
    if (!result.ok || rangeInverted(query)) {
      setShowErrors(true);
      return;
    }
    setShowErrors(false);
    setApplied({ ...(query as Omit<AuditListParams, 'limit' | 'offset'>), limit: LIMIT, offset: 0 });
  };

  const applyWith = (patch: Partial<AuditFilterForm>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    apply(next);
  };

  return (
    <div className="stack" data-testid="audit-page">
      {can('audit.verify') && <VerifyChain />}
      <AuditFilters
        value={draft}
        errors={shownErrors}
        onChange={setDraft}
        onApply={() => apply(draft)}
        onClear={() => applyWith(emptyFilters)}
      />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <p className="muted">{t('audit.none')}</p>
          ) : (
            <AuditTable
              entries={list.data.items}
              onFilterActor={(actorId) => applyWith({ actorId })}
              onFilterSubject={(subjectType, subjectId) => applyWith({ subjectType, subjectId })}
            />
          )}
          <Pager
            total={list.data.total}
            limit={LIMIT}
            offset={applied.offset}
            onChange={(offset) => setApplied((a) => ({ ...a, offset }))}
          />
        </>
      )}
    </div>
  );
}
