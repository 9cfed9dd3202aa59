import type { ImportRowStatus } from '@kuzet/contracts';
import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Pager } from '../../components/Pager.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';
import { importApi } from './import-api.ts';

const LIMIT = 50;
const STATUSES: ImportRowStatus[] = ['invalid', 'new', 'changed', 'unchanged'];

/** The preview's rows, filtered by status, a page at a time. */
export function ImportReport({ complexId, importId }: { complexId: string; importId: string }) {
  const t = useT();
  const [status, setStatus] = useState<ImportRowStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const q = { ...(status ? { status } : {}), limit: LIMIT, offset };
  const rows = useApiQuery(`import-rows:${importId}:${status}:${offset}`, (signal) => importApi.rows(complexId, importId, q, signal));
  return (
    <section className="stack" data-testid="import-report">
      <h2>{t('peopleImport.report')}</h2>
      <label>
        {t('peopleImport.filter')}{' '}
        <select
          value={status}
          data-testid="import-status-filter"
          onChange={(e) => {
            setStatus(e.target.value as ImportRowStatus | '');
            setOffset(0);
          }}
        >
          <option value="">{t('peopleImport.status.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`peopleImport.status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={rows.error} />
      {rows.data && (
        <>
          <table className="table" data-testid="import-rows">
            <thead>
              <tr>
                <th>{t('peopleImport.line')}</th>
                <th>{t('peopleImport.statusHeader')}</th>
                <th>{t('peopleImport.name')}</th>
                <th>{t('peopleImport.apartment')}</th>
                <th>{t('peopleImport.iin')}</th>
                <th>{t('peopleImport.details')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((r) => (
                <tr key={r.line} data-status={r.status}>
                  <td>{r.line}</td>
                  <td>{t(`peopleImport.status.${r.status}`)}</td>
                  <td>{r.name}</td>
                  <td>{r.apartment}</td>
                  <td>{r.iin}</td>
                  <td>
                    {r.problems.map((p) => `${t(`peopleImport.problem.${p.code}`)}${p.detail ? ` (${p.detail})` : ''}`).join('; ')}
                    {r.changes.map((c) => `${t(`peopleImport.column.${c.field}`)}: ${c.from || '—'} → ${c.to || '—'}`).join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={rows.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
    </section>
  );
}

/** People of the registry the list does not name: the inspector checks whether they moved out. */
export function MissingPeople({ complexId, importId }: { complexId: string; importId: string }) {
  const t = useT();
  const [offset, setOffset] = useState(0);
  const page = useApiQuery(`import-missing:${importId}:${offset}`, (signal) => importApi.missing(complexId, importId, { limit: LIMIT, offset }, signal));
  return (
    <section className="stack" data-testid="import-missing">
      <h2>{t('peopleImport.missing')}</h2>
      <p className="muted">{t('peopleImport.missingHint')}</p>
      <ErrorMessage error={page.error} />
      {page.data && (
        <>
          <ul>
            {page.data.items.map((p) => (
              <li key={p.id}>
                {p.name}
                {p.apartments.length > 0 && ` — ${p.apartments.join(', ')}`}
              </li>
            ))}
          </ul>
          <Pager total={page.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      )}
    </section>
  );
}
