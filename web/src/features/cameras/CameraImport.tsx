import { useId, useMemo, useState, type ChangeEvent } from 'react';
import { CameraImportRequest, type SitePlan } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import type { CameraImportReportT } from '../../api/types.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { describedBy, Field } from '../../components/Field.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { validate } from '../../lib/validation.ts';
import { ImportReport } from './ImportReport.tsx';
import { CSV_COLUMNS, csvDataUrl, csvTemplate, missingColumns } from './csv-template.ts';

interface Props {
  complexId: string;
  plan: SitePlan | undefined;
  onImported: () => void;
  onDone: () => void;
}

/** Many cameras at once from a CSV: check first (nothing is saved), then import the valid rows. */
export function CameraImport({ complexId, plan, onImported, onDone }: Props) {
  const t = useT();
  const id = useId();
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<CameraImportReportT | null>(null);
  const [fileError, setFileError] = useState(false);
  const { run, busy, error, reset } = useAction((dryRun: boolean) => camerasApi.importCsv(complexId, csv, dryRun));
  const checked = validate(CameraImportRequest, { csv, dryRun: true }, t);
  const missing = csv.trim() ? missingColumns(csv) : [];
  const csvError = csv
    ? (checked.errors.csv ??
      (missing.length ? t('cameras.import.headerMissing', { columns: missing.join(', ') }) : undefined))
    : undefined;
  const ready = checked.ok && missing.length === 0;
  const template = useMemo(() => csvDataUrl(csvTemplate(t('cameras.import.exampleName'), plan)), [plan, t]);

  const change = (text: string) => {
    setCsv(text);
    setReport(null);
    reset();
  };

  const readFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileError(false);
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => change(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => setFileError(true);
    reader.readAsText(file, 'utf-8');
  };

  const send = async (dryRun: boolean) => {
    if (!ready) return;
    setReport(null);
    const result = await run(dryRun);
    if (!result) return;
    setReport(result.value);
    if (!dryRun && result.value.created > 0) onImported();
  };

  return (
    <section className="card camera-import" data-testid="camera-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('cameras.import.title')}</h2>
      <p>{t('cameras.import.about')}</p>
      <p className="muted small">
        {t('cameras.import.columns')} <code>{CSV_COLUMNS.join(', ')}</code>
      </p>
      <p>
        <a href={template} download="kuzet-cameras.csv" data-testid="camera-import-template">
          {t('cameras.import.template')}
        </a>
      </p>
      <Field id={`${id}-file`} label={t('cameras.import.file')}>
        <input
          id={`${id}-file`}
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={readFile}
          data-testid="camera-import-file"
        />
      </Field>
      {fileError && <p className="field-error">{t('cameras.import.fileError')}</p>}
      <Field id={`${id}-csv`} label={t('cameras.import.text')} error={csvError} hint={t('cameras.import.textHint')}>
        <textarea
          id={`${id}-csv`}
          className="csv-input"
          rows={10}
          value={csv}
          spellCheck={false}
          onChange={(e) => change(e.target.value)}
          aria-invalid={csvError ? true : undefined}
          aria-describedby={describedBy(`${id}-csv`, csvError, t('cameras.import.textHint'))}
          data-testid="camera-import-csv"
        />
      </Field>
      <ErrorMessage error={error} testId="camera-import-error" />
      <div className="form-actions">
        <button
          type="button"
          disabled={busy || !ready}
          onClick={() => void send(true)}
          data-testid="camera-import-check"
        >
          {t('cameras.import.check')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !ready}
          onClick={() => void send(false)}
          data-testid="camera-import-run"
        >
          {busy ? t('common.wait') : t('cameras.import.run')}
        </button>
        <button type="button" className="ghost" onClick={onDone} data-testid="camera-import-done">
          {t('cameras.import.toList')}
        </button>
      </div>
      {report && (
        <Notice testId="camera-import-summary">
          {report.dryRun
            ? t('cameras.import.checked', { ok: report.rows.filter((r) => r.ok).length, failed: report.failed })
            : t('cameras.import.done', { created: report.created, failed: report.failed })}
        </Notice>
      )}
      {report && <ImportReport report={report} />}
    </section>
  );
}
