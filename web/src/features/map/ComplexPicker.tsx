import { useId } from 'react';
import type { Complex } from '@kuzet/contracts';
import { useT } from '../../i18n/use-t.ts';

interface Props {
  complexes: readonly Complex[];
  value: string;
  onChange: (complexId: string) => void;
}

export function ComplexPicker({ complexes, value, onChange }: Props) {
  const t = useT();
  const id = useId();
  return (
    <div className="inline-field">
      <label htmlFor={id}>{t('map.complex')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid="complex-picker">
        {complexes.map((complex) => (
          <option key={complex.id} value={complex.id}>
            {complex.name}
          </option>
        ))}
      </select>
    </div>
  );
}
