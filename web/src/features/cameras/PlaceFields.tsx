import { useId } from 'react';
import type { Point, SitePlan } from '@kuzet/contracts';
import { describedBy, Field } from '../../components/Field.tsx';
import { useT } from '../../i18n/use-t.ts';
import { parseNumber, type CameraFormValues } from './camera-form.ts';
import { FormText } from './FormText.tsx';
import { PositionPicker, type Placement } from './PositionPicker.tsx';

type PlaceKey = 'buildingId' | 'entranceId' | 'zoneId' | 'x' | 'y' | 'direction' | 'fieldOfView';

interface Props {
  plan: SitePlan | undefined;
  values: CameraFormValues;
  errors: Record<string, string | undefined>;
  onChange: (patch: Partial<Pick<CameraFormValues, PlaceKey>>) => void;
}

const numberText = (n: number | null) => (n === null ? '' : String(n));

/** Where the camera is: building, entrance, zone, and its point, direction and angle on the plan. */
export function PlaceFields({ plan, values, errors, onChange }: Props) {
  const t = useT();
  const id = useId();
  const building = plan?.buildings.find((b) => b.id === values.buildingId);
  const entrances = [...(building?.entrances ?? [])].sort((a, b) => a.number - b.number);
  const x = parseNumber(values.x);
  const y = parseNumber(values.y);
  const position: Point | null = x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
  const direction = parseNumber(values.direction);
  const fov = parseNumber(values.fieldOfView);
  const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);

  const place = (next: Partial<Placement>) => {
    const patch: Partial<Pick<CameraFormValues, PlaceKey>> = {};
    if (next.position !== undefined) {
      patch.x = numberText(next.position?.[0] ?? null);
      patch.y = numberText(next.position?.[1] ?? null);
    }
    if (next.direction !== undefined) patch.direction = numberText(next.direction);
    onChange(patch);
  };

  const select = (
    name: 'buildingId' | 'entranceId' | 'zoneId',
    label: string,
    options: { id: string; label: string }[],
  ) => (
    <Field id={`${id}-${name}`} label={label} error={errors[name]}>
      <select
        id={`${id}-${name}`}
        value={values[name]}
        onChange={(e) =>
          onChange(name === 'buildingId' ? { buildingId: e.target.value, entranceId: '' } : { [name]: e.target.value })
        }
        disabled={name === 'entranceId' && !building}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(`${id}-${name}`, errors[name])}
        data-testid={`camera-field-${name}`}
      >
        <option value="">{t('cameras.notSet')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );

  const num = (name: 'x' | 'y' | 'direction' | 'fieldOfView', label: string, hint?: string) => (
    <FormText
      id={`${id}-${name}`}
      name={name}
      label={label}
      value={values[name]}
      onChange={(v) => onChange({ [name]: v })}
      error={name === 'x' ? errors.position : name === 'y' ? undefined : errors[name]}
      hint={hint}
      inputMode="decimal"
    />
  );

  return (
    <fieldset className="form-section">
      <legend>{t('cameras.section.place')}</legend>
      <div className="form-grid">
        {select(
          'buildingId',
          t('cameras.field.buildingId'),
          (plan?.buildings ?? []).map((b) => ({ id: b.id, label: b.name })),
        )}
        {select(
          'entranceId',
          t('cameras.field.entranceId'),
          entrances.map((e) => ({ id: e.id, label: t('cameras.entranceN', { number: e.number }) })),
        )}
        {select(
          'zoneId',
          t('cameras.field.zoneId'),
          (plan?.zones ?? []).map((z) => ({ id: z.id, label: `${z.name} · ${t(`zoneKind.${z.kind}`)}` })),
        )}
      </div>
      {plan && (
        <PositionPicker
          plan={plan}
          position={position}
          direction={finite(direction)}
          fieldOfView={finite(fov)}
          onChange={place}
        />
      )}
      <div className="form-grid narrow">
        {num('x', t('cameras.field.x'))}
        {num('y', t('cameras.field.y'))}
        {num('direction', t('cameras.field.direction'), t('cameras.directionHint'))}
        {num('fieldOfView', t('cameras.field.fieldOfView'), t('cameras.fovHint'))}
      </div>
      {plan && <p className="muted small">{t('cameras.planSize', { width: plan.width, height: plan.height })}</p>}
    </fieldset>
  );
}
