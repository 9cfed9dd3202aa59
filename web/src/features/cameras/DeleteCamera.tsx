import { useState } from 'react';
import type { Camera } from '@kuzet/contracts';
import { camerasApi } from '../../api/cameras.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useT } from '../../i18n/use-t.ts';

/** Delete, asked twice: the first press only shows what will happen and a confirming button. */
export function DeleteCamera({ camera, onDeleted }: { camera: Camera; onDeleted: () => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const { run, busy, error } = useAction(camerasApi.remove);
  if (!asking) {
    return (
      <button type="button" className="danger" onClick={() => setAsking(true)} data-testid="camera-delete">
        {t('cameras.delete')}
      </button>
    );
  }
  return (
    <div className="confirm-box" role="alertdialog" aria-labelledby="camera-delete-question">
      <p id="camera-delete-question">{t('cameras.deleteQuestion', { name: camera.name })}</p>
      <ErrorMessage error={error} testId="camera-delete-error" />
      <div className="form-actions">
        <button
          type="button"
          className="danger"
          disabled={busy}
          autoFocus
          onClick={async () => {
            if (await run(camera.id)) onDeleted();
          }}
          data-testid="camera-delete-confirm"
        >
          {busy ? t('common.wait') : t('cameras.deleteConfirm')}
        </button>
        <button type="button" className="ghost" onClick={() => setAsking(false)} data-testid="camera-delete-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
