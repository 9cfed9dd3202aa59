import type { HTMLInputTypeAttribute } from 'react';
import { describedBy, Field } from '../../components/Field.tsx';

interface Props {
  id: string;
  /** The form field's name: the control is `camera-field-<name>` for tests. */
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  type?: HTMLInputTypeAttribute;
  inputMode?: 'decimal' | 'numeric' | 'text' | 'url';
  autoComplete?: string;
  disabled?: boolean;
}

/** A labelled text input of the camera form with its hint or problem. */
export function FormText({ id, name, label, value, onChange, error, hint, type = 'text', ...rest }: Props) {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputMode={rest.inputMode}
        autoComplete={rest.autoComplete ?? 'off'}
        disabled={rest.disabled}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        data-testid={`camera-field-${name}`}
      />
    </Field>
  );
}
