import { useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { importApi, running } from './import-api.ts';
import { ImportReport, MissingPeople } from './ImportReport.tsx';
import { useImportJob } from './use-import-job.ts';

/**
 * «Жители» → import: the management company's list (CSV or XLSX) is uploaded and checked
 * (progress shown), its per-row report read and filtered, then confirmed; nothing is
 * written before. The registry's export is here too.
 */
export function PeopleImportPage() {
  const t = useT();
  const can = useCan();
  const { complexId } = useComplexChoice();
  const { job, setJob, error } = useImportJob(complexId);
  const [file, setFile] = useState<File | null>(null);
  const upload = useAction((f: File) => importApi.upload(complexId!, f));
  const confirm = useAction((id: string) => importApi.confirm(complexId!, id));

  const start = async () => {
    if (!file || !complexId) return;
    const r = await upload.run(file);
    if (r) setJob(r.value);
  };
  const write = async () => {
    if (!job || !complexId) return;
    const r = await confirm.run(job.id);
    if (r) setJob(r.value);
  };
  const pct = job && job.progress.total ? Math.round((100 * job.progress.done) / Math.max(1, job.progress.total)) : null;

  return (
    <div className="stack" data-testid="people-import-page">
      <h1 className="page-title">{t('peopleImport.title')}</h1>
      <p className="muted">{t('peopleImport.hint')}</p>
      {complexId && can('people.export') && (
        <p>
          <a href={importApi.exportUrl(complexId)} download="residents.csv" data-testid="people-export">
            {t('peopleImport.export')}
          </a>
        </p>
      )}
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          {t('peopleImport.file')}{' '}
          <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="import-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <button type="submit" disabled={!file || upload.busy || running(job)} data-testid="import-preview">
          {t('peopleImport.preview')}
        </button>
      </form>
      <ErrorMessage error={upload.error ?? error ?? confirm.error} />
      {job && (
        <section className="stack" data-testid="import-job" data-state={job.state}>
          <p>
            <strong>{job.fileName}</strong> — {t(`peopleImport.state.${job.state}`)}
            {job.error && `: ${t(`error.${job.error}` as 'error.UNKNOWN')}`}
          </p>
          {running(job) && (
            <p>
              <progress value={job.progress.done} max={job.progress.total ?? undefined} />{' '}
              {pct !== null ? t('peopleImport.progress', { done: job.progress.done, total: job.progress.total ?? 0, pct }) : t('peopleImport.progressRows', { done: job.progress.done })}
            </p>
          )}
          {job.columns.length > 0 && (
            <p className="muted" data-testid="import-columns">
              {t('peopleImport.columns')}{' '}
              {job.columns.map((c) => `${c.header} → ${c.field ? t(`peopleImport.column.${c.field}` as 'peopleImport.column.lastName') : t('peopleImport.ignored')}`).join('; ')}
            </p>
          )}
          {job.counts && (
            <p data-testid="import-counts">
              {t('peopleImport.counts', { total: job.counts.total, new: job.counts.new, changed: job.counts.changed, unchanged: job.counts.unchanged, invalid: job.counts.invalid, missing: job.counts.missing })}
            </p>
          )}
          {job.state === 'ready' && (
            <p>
              <button type="button" onClick={() => void write()} disabled={confirm.busy || job.counts!.new + job.counts!.changed === 0} data-testid="import-confirm">
                {t('peopleImport.confirm', { n: job.counts!.new + job.counts!.changed })}
              </button>{' '}
              <span className="muted">{t('peopleImport.until', { time: new Date(job.expiresAt).toLocaleTimeString() })}</span>
            </p>
          )}
          {job.result && (
            <p data-testid="import-result">{t('peopleImport.result', { created: job.result.created, updated: job.result.updated, unchanged: job.result.unchanged, skipped: job.result.skipped })}</p>
          )}
          {complexId && job.counts && <ImportReport complexId={complexId} importId={job.id} />}
          {complexId && job.counts && job.counts.missing > 0 && <MissingPeople complexId={complexId} importId={job.id} />}
        </section>
      )}
    </div>
  );
}
