import type { Complex, Role } from '@kuzet/contracts';
import { describedBy, Field } from '../../components/Field.tsx';
import { useT } from '../../i18n/use-t.ts';
import { complexOptions, districtOptions, isDistrictRole } from './scope.ts';

interface Props {
  id: string;
  role: Role;
  complexes: readonly Complex[];
  complexId: string | null;
  districtId: string | null;
  onChange: (scope: { complexId: string | null; districtId: string | null }) => void;
  error?: string | undefined;
  testId: string;
}

/** Staff of a post work in a complex; district staff in a district. The role decides which one is asked. */
export function ScopeField({ id, role, complexes, complexId, districtId, onChange, error, testId }: Props) {
  const t = useT();
  const district = isDistrictRole(role);
  const options = district ? districtOptions(complexes, districtId) : complexOptions(complexes);
  const value = (district ? districtId : complexId) ?? '';
  return (
    <Field id={id} label={district ? t('users.district') : t('users.complex')} error={error}>
      <select
        id={id}
        value={value}
        onChange={(e) => {
          const picked = e.target.value || null;
          onChange(district ? { complexId: null, districtId: picked } : { complexId: picked, districtId: null });
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error)}
        data-testid={testId}
      >
        <option value="">{t('users.chooseScope')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
