import { useId, useState } from 'react';
import { dismissReasons, incidentTypeCodes, type Alert, type DismissReason } from '@kuzet/contracts';
import { alertsApi } from '../../api/alerts.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useSession } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { canStillAct } from './alert-text.ts';

interface Props {
  alert: Alert;
  complexId: string;
  /** An action's answer: the alert as it is now. */
  onChanged: (alert: Alert) => void;
}

type Open = null | 'assign' | 'dismiss' | 'escalate';

/** Acknowledge, assign, dismiss with a reason, or turn the alert into an incident. */
export function AlertActions({ alert, complexId, onChanged }: Props) {
  const t = useT();
  const session = useSession();
  const id = useId();
  const [open, setOpen] = useState<Open>(null);
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState<DismissReason>('false_alarm');
  const [note, setNote] = useState('');
  const [type, setType] = useState<string>('other');
  const [description, setDescription] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [incidentNo, setIncidentNo] = useState<string | null>(null);
  const assignees = useApiQuery(open === 'assign' ? `alert-assignees:${complexId}` : null, (signal) =>
    alertsApi.assignees(complexId, signal),
  );
  const action = useAction(async (run: () => Promise<Alert>) => {
    const next = await run();
    onChanged(next);
    return next;
  });
  const live = canStillAct(alert);
  const go = async (run: () => Promise<Alert>, message: string) => {
    setDone(null);
    const result = await action.run(run);
    if (result) {
      setOpen(null);
      setNote('');
      setDescription('');
      setDone(message);
    }
  };
  const me = { id: session.user.id, displayName: session.user.displayName };
  const people = assignees.data?.items ?? [me];

  return (
    <div className="alert-actions" data-testid="alert-actions">
      <div className="form-actions">
        {alert.status === 'new' && (
          <button
            type="button"
            className="primary"
            disabled={action.busy}
            onClick={() => void go(() => alertsApi.acknowledge(alert.id), t('alerts.done.acknowledged'))}
            aria-keyshortcuts="a"
            data-testid="alert-acknowledge"
          >
            {t('alerts.action.acknowledge')}
          </button>
        )}
        {live && (
          <>
            <button type="button" onClick={() => setOpen(open === 'assign' ? null : 'assign')} aria-expanded={open === 'assign'} data-testid="alert-assign-open">
              {t('alerts.action.assign')}
            </button>
            <button type="button" onClick={() => setOpen(open === 'dismiss' ? null : 'dismiss')} aria-expanded={open === 'dismiss'} data-testid="alert-dismiss-open">
              {t('alerts.action.dismiss')}
            </button>
            <button type="button" onClick={() => setOpen(open === 'escalate' ? null : 'escalate')} aria-expanded={open === 'escalate'} data-testid="alert-escalate-open">
              {t('alerts.action.escalate')}
            </button>
          </>
        )}
      </div>

      {open === 'assign' && (
        <form
          className="alert-action-form"
          onSubmit={(e) => {
            e.preventDefault();
            const userId = assignee || me.id;
            const name = people.find((p) => p.id === userId)?.displayName ?? '';
            void go(() => alertsApi.assign(alert.id, userId), t('alerts.done.assigned', { name }));
          }}
        >
          <label htmlFor={`${id}-who`}>{t('alerts.assignTo')}</label>
          <select id={`${id}-who`} value={assignee || me.id} onChange={(e) => setAssignee(e.target.value)} data-testid="alert-assignee">
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === me.id ? t('alerts.me', { name: p.displayName }) : p.displayName}
              </option>
            ))}
          </select>
          {assignees.error != null && <p className="muted small">{t('alerts.assigneesUnavailable')}</p>}
          <button type="submit" className="primary" disabled={action.busy} data-testid="alert-assign">
            {t('alerts.action.assign')}
          </button>
        </form>
      )}

      {open === 'dismiss' && (
        <form
          className="alert-action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void go(() => alertsApi.dismiss(alert.id, reason, note.trim() || undefined), t('alerts.done.dismissed'));
          }}
        >
          <label htmlFor={`${id}-reason`}>{t('alerts.dismissReason')}</label>
          <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value as DismissReason)} data-testid="alert-dismiss-reason">
            {dismissReasons.map((r) => (
              <option key={r} value={r}>
                {t(`dismissReason.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-note`}>{reason === 'other' ? t('alerts.noteRequired') : t('alerts.note')}</label>
          <input id={`${id}-note`} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} required={reason === 'other'} data-testid="alert-dismiss-note" />
          <button type="submit" className="primary" disabled={action.busy} data-testid="alert-dismiss">
            {t('alerts.action.dismiss')}
          </button>
        </form>
      )}

      {open === 'escalate' && (
        <form
          className="alert-action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void go(async () => {
              const answer = await alertsApi.escalate(alert.id, type, description.trim() || undefined);
              setIncidentNo(answer.incident.number);
              return answer.alert;
            }, t('alerts.done.escalated'));
          }}
        >
          <label htmlFor={`${id}-type`}>{t('alerts.incidentType')}</label>
          <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)} data-testid="alert-incident-type">
            {incidentTypeCodes.map((code) => (
              <option key={code} value={code}>
                {t(`incidentType.${code}`)}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-desc`}>{t('alerts.description')}</label>
          <textarea id={`${id}-desc`} value={description} maxLength={5000} rows={3} onChange={(e) => setDescription(e.target.value)} />
          <button type="submit" className="primary" disabled={action.busy} data-testid="alert-escalate">
            {t('alerts.action.escalate')}
          </button>
        </form>
      )}
      <ErrorMessage error={action.error} testId="alert-action-error" />
      {done && !action.error && (
        <p className="notice" role="status" data-testid="alert-action-done">
          {done}
          {incidentNo && alert.status === 'escalated' ? ` ${t('alerts.incidentNumber', { number: incidentNo })}` : ''}
        </p>
      )}
    </div>
  );
}
