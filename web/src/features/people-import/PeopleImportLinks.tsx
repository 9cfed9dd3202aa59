import { Link } from 'react-router-dom';
import { useCan } from '../../hooks/use-session.ts';
import { useT } from '../../i18n/use-t.ts';
import { importApi } from './import-api.ts';

/** «Жители»' way to the import page (inspector, admin) and to the registry's export (IIN masked as the role sees it). */
export function PeopleImportLinks({ complexId }: { complexId: string | null }) {
  const t = useT();
  const can = useCan();
  if (!complexId) return null;
  return (
    <p className="toolbar">
      {can('people.import') && (
        <Link to="/residents/import" data-testid="residents-import-link">
          {t('peopleImport.title')}
        </Link>
      )}
      {can('people.export') && (
        <a href={importApi.exportUrl(complexId)} download="residents.csv" data-testid="residents-export-link">
          {t('peopleImport.export')}
        </a>
      )}
    </p>
  );
}
