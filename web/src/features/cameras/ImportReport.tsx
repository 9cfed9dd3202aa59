import type { CameraImportReportT } from '../../api/types.ts';
import { useT } from '../../i18n/use-t.ts';

/** Each CSV row: its line in the file, the camera's name, and either "ok" or what to fix. */
export function ImportReport({ report }: { report: CameraImportReportT }) {
  const t = useT();
  if (report.rows.length === 0) return <p className="muted">{t('cameras.import.noRows')}</p>;
  return (
    <div className="table-wrap">
      <table className="table compact" data-testid="camera-import-report">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('cameras.import.line')}
            </th>
            <th scope="col">{t('cameras.field.name')}</th>
            <th scope="col">{t('cameras.import.result')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr key={row.line} data-testid={`camera-import-row-${row.line}`} data-ok={row.ok}>
              <td className="num">{row.line}</td>
              <td>{row.name ?? '—'}</td>
              <td>
                {row.ok ? (
                  <span className="badge badge-ok">
                    {report.dryRun ? t('cameras.import.rowOk') : t('cameras.import.rowCreated')}
                  </span>
                ) : (
                  <ul className="import-errors">
                    {row.errors.map((e, i) => (
                      <li key={`${e.field}-${i}`}>
                        <code>{e.field}</code> {e.message}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
