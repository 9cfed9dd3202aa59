import { VisitOutcome, type RoundApartment } from '@kuzet/contracts';
import { useCallback, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useApiQuery } from '../../hooks/use-api-query.ts';
import { useT } from '../../i18n/use-t.ts';
import { draftToInput, enqueue, flush, loadDraft, pending, saveDraft, type Draft } from './outbox.ts';
import { preventionApi } from './prevention-api.ts';

/** No network, a locked or expired session, a server hiccup: worth sending again later. */
const retryable = (e: unknown) =>
  e instanceof ApiError && (e.status === 0 || e.status === 401 || e.status === 423 || e.status >= 500);
const emptyDraft: Draft = { outcome: null, peopleMetCount: 0, problems: '', note: '' };

/**
 * The phone form for the stairs: pick an apartment, tap its outcome, save. Each keystroke
 * is kept as a draft in localStorage; a saved outcome goes to the outbox and is sent now,
 * or when the browser is back `online`.
 */
export function StairsForm({ query }: { query: string }) {
  const t = useT();
  const id = useId();
  const { roundId = '' } = useParams();
  const round = useApiQuery(`round:${roundId}`, (signal) => preventionApi.round(roundId, signal));
  const [openApt, setOpenApt] = useState<RoundApartment | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [waiting, setWaiting] = useState(() => pending(localStorage, roundId).length);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [sentOutcomes, setSent] = useState<Record<string, VisitOutcome>>({});

  const send = useCallback(async () => {
    const res = await flush(
      localStorage,
      (i) => preventionApi.recordOutcome(i.roundId, i.apartmentId, i.input),
      retryable,
    );
    setWaiting(pending(localStorage, roundId).length);
    if (res.refused.length) setRefusal(res.refused[0]!.error);
    if (res.sent) round.reload();
  }, [roundId, round]);

  useEffect(() => {
    void send();
    const onOnline = () => void send();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
    // Only on opening the form and on `online`: `send` changes with every reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roundId]);

  const open = (a: RoundApartment) => {
    setOpenApt(a);
    setDraft(
      loadDraft(localStorage, roundId, a.apartmentId) ?? {
        ...emptyDraft,
        outcome: a.outcome,
        peopleMetCount: a.peopleMetCount,
        problems: a.problems.map((p) => p.text).join('\n'),
        note: a.note,
      },
    );
  };
  const change = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (openApt) saveDraft(localStorage, roundId, openApt.apartmentId, next);
  };
  const save = () => {
    if (!openApt || !draft.outcome) return;
    enqueue(localStorage, {
      roundId,
      apartmentId: openApt.apartmentId,
      input: draftToInput(draft, new Date().toISOString()),
    });
    setSent((s) => ({ ...s, [openApt.apartmentId]: draft.outcome! }));
    setOpenApt(null);
    setWaiting(pending(localStorage, roundId).length);
    void send();
  };

  if (!round.data) return round.error ? <ErrorMessage error={round.error} /> : <Loading />;
  const queued = new Set(pending(localStorage, roundId).map((i) => i.apartmentId));
  return (
    <div className="stairs" data-testid="stairs-form">
      <Link to={`/prevention/rounds/${roundId}${query}`}>← {round.data.name}</Link>
      <p className={waiting ? 'notice notice-warn' : 'muted'} role="status" data-testid="outbox-status">
        {waiting
          ? `${t('visits.outbox', { n: waiting })}. ${navigator.onLine ? '' : t('visits.offline')}`
          : t('visits.allSent')}
      </p>
      <ErrorMessage error={refusal} />
      {openApt ? (
        <section className="card stairs-apartment" data-testid="stairs-apartment">
          <h2>
            {openApt.buildingName}, {t('visits.entrance', { n: openApt.entranceNumber })},{' '}
            {t('visits.apartment', { n: openApt.number })}
          </h2>
          <div className="stairs-outcomes" role="group" aria-label={t('prevention.outcome')}>
            {VisitOutcome.options.map((o) => (
              <button
                key={o}
                type="button"
                className={draft.outcome === o ? 'primary' : undefined}
                aria-pressed={draft.outcome === o}
                onClick={() => change({ outcome: o })}
                data-testid={`outcome-${o}`}
              >
                {t(`visits.outcome.${o}`)}
              </button>
            ))}
          </div>
          <Field id={`${id}-m`} label={t('visits.peopleMet')}>
            <input
              id={`${id}-m`}
              type="number"
              inputMode="numeric"
              min={0}
              max={50}
              value={draft.peopleMetCount}
              onChange={(e) => change({ peopleMetCount: Math.max(0, Number(e.target.value) || 0) })}
            />
          </Field>
          <Field id={`${id}-p`} label={t('visits.problems')}>
            <textarea
              id={`${id}-p`}
              rows={3}
              value={draft.problems}
              onChange={(e) => change({ problems: e.target.value })}
              data-testid="stairs-problems"
            />
          </Field>
          <Field id={`${id}-n`} label={t('prevention.note')}>
            <input id={`${id}-n`} value={draft.note} onChange={(e) => change({ note: e.target.value })} />
          </Field>
          <label className="muted small">
            <input type="checkbox" disabled /> {t('visits.makeAppeals')} ({t('visits.appealsLater')})
          </label>
          <div className="form-actions">
            <button
              type="button"
              className="primary"
              disabled={!draft.outcome}
              onClick={save}
              data-testid="stairs-save"
            >
              {t('prevention.save')}
            </button>
            <button type="button" onClick={() => setOpenApt(null)}>
              {t('prevention.cancel')}
            </button>
          </div>
        </section>
      ) : (
        <ul className="stairs-list">
          {round.data.apartments.map((a) => {
            const outcome = sentOutcomes[a.apartmentId] ?? a.outcome;
            return (
              <li key={a.apartmentId}>
                <button
                  type="button"
                  className={`stairs-apt ${outcome ? `is-${outcome}` : ''}`}
                  onClick={() => open(a)}
                  data-testid={`stairs-apt-${a.entranceNumber}-${a.number}`}
                >
                  <span>
                    {t('visits.entrance', { n: a.entranceNumber })} · {t('visits.floor', { n: a.floor })} ·{' '}
                    <strong>{t('visits.apartment', { n: a.number })}</strong>
                  </span>
                  <span className="small">
                    {outcome ? t(`visits.outcome.${outcome}`) : ''}
                    {queued.has(a.apartmentId) ? ` · ${t('visits.pending')}` : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
