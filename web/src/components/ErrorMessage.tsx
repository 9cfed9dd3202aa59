import { ApiError } from '../api/client.ts';
import { errorText } from '../i18n/error-text.ts';
import { useT } from '../i18n/use-t.ts';

interface Props {
  error: unknown;
  testId?: string;
}

interface DetailLine {
  path: string;
  message: string;
}

/** Field problems the server listed for VALIDATION_FAILED: `{ fields: [{ in, field, message }] }`. */
function detailLines(error: unknown): DetailLine[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const raw = error.details;
  const list: unknown = Array.isArray(raw) ? raw : (raw as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (!item || typeof item !== 'object') return [];
    const { field: path, message } = item as { field?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    return [{ path: Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '', message }];
  });
}

/** A translated error with what to do about it; nothing when there is no error. */
export function ErrorMessage({ error, testId }: Props) {
  const t = useT();
  if (!error) return null;
  const lines = detailLines(error);
  return (
    <div className="error-message" role="alert" data-testid={testId}>
      <p>{errorText(error, t)}</p>
      {lines.length > 0 && (
        <ul>
          {lines.map((line, i) => (
            <li key={`${line.path}-${i}`}>
              {line.path && <code>{line.path}</code>} {line.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
