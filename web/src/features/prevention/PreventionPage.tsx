import { NavLink, Route, Routes } from 'react-router-dom';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useComplexChoice } from '../../hooks/use-complex-choice.ts';
import { useT } from '../../i18n/use-t.ts';
import { ComplexPicker } from '../map/ComplexPicker.tsx';
import { DayList } from './DayList.tsx';
import { PrintForm } from './PrintForm.tsx';
import { RegistryList } from './RegistryList.tsx';
import { RoundDetail } from './RoundDetail.tsx';
import { RoundsList } from './RoundsList.tsx';
import { StairsForm } from './StairsForm.tsx';

/** «Профилактика»: the inspector's day list, the preventive registry, door-to-door rounds. */
export function PreventionPage() {
  const t = useT();
  const { complexId, complexes, canChoose, choose } = useComplexChoice();
  const q = canChoose && complexId ? `?complex=${encodeURIComponent(complexId)}` : '';
  return (
    <div className="prevention-page">
      <div className="page-head no-print">
        <h1 className="page-title">{t('nav.prevention')}</h1>
        {canChoose && complexes.data && complexes.data.items.length > 0 && complexId && (
          <ComplexPicker complexes={complexes.data.items} value={complexId} onChange={choose} />
        )}
      </div>
      <nav className="tabs no-print" aria-label={t('prevention.tabs')}>
        <NavLink end to={`/prevention${q}`} data-testid="tab-day-list">
          {t('prevention.dayList')}
        </NavLink>
        <NavLink to={`/prevention/registry${q}`} data-testid="tab-registry">
          {t('prevention.registry')}
        </NavLink>
        <NavLink to={`/prevention/rounds${q}`} data-testid="tab-rounds">
          {t('prevention.rounds')}
        </NavLink>
      </nav>
      <ErrorMessage error={complexes.error} />
      {!complexId ? (
        <Loading />
      ) : (
        <Routes>
          <Route index element={<DayList complexId={complexId} />} />
          <Route path="registry" element={<RegistryList complexId={complexId} />} />
          <Route path="rounds" element={<RoundsList complexId={complexId} query={q} />} />
          <Route path="rounds/:roundId" element={<RoundDetail query={q} />} />
          <Route path="rounds/:roundId/stairs" element={<StairsForm query={q} />} />
          <Route path="rounds/:roundId/print" element={<PrintForm />} />
        </Routes>
      )}
    </div>
  );
}
