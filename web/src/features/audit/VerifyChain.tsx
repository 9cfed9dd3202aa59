import { auditApi } from '../../api/audit.ts';
import type { AuditVerifyT } from '../../api/types.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';
import { useState } from 'react';

/** Recomputes the hash chain of the access log on the server and says whether it is intact. */
export function VerifyChain() {
  const t = useT();
  const { run, busy, error } = useAction(auditApi.verify);
  const [result, setResult] = useState<AuditVerifyT | null>(null);

  const verify = async () => {
    setResult(null);
    const answer = await run();
    if (answer) setResult(answer.value);
  };

  return (
    <section className="card verify" data-testid="audit-verify-section">
      <div className="card-head">
        <h2>{t('audit.verifyTitle')}</h2>
        <button type="button" onClick={() => void verify()} disabled={busy} data-testid="audit-verify">
          {busy ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
      <p className="muted">{t('audit.verifyAbout')}</p>
      <ErrorMessage error={error} />
      {result && (
        <p
          className={result.ok ? 'status status-ok' : 'status status-bad'}
          role="status"
          data-testid="audit-verify-result"
        >
          {result.ok
            ? t('audit.verifyOk', { rows: result.rows, head: result.headSeq ?? '—' })
            : t('audit.verifyBad', { seq: result.firstBadSeq ?? '—', problem: result.problem ?? '' })}
        </p>
      )}
    </section>
  );
}
