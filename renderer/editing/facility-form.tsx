/**
 * The facility form: names (fi/sv), kind, teaching language, status with opening/closing years, services
 * with a capacity each, building floor area, year built, condition, operating cost and investment need.
 * Validated before anything is sent; adding is one facility.add command (with its services), saving an edit
 * one facility.edit command (attributes and services together), so one undo takes back the whole form.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityServiceValue } from '../../shared/domain/editing-commands';
import { FACILITY_KINDS, FACILITY_STATUSES, LANGUAGES, SERVICE_TYPES, type FacilityAttributes, type ServiceType } from '../../shared/domain/project';
import { useHost } from '../app/host-context';
import { Modal } from '../app/modal';
import { useSelectionStore } from '../state/selection-store';
import { currentEditor } from './editor';
import { useEditingStore } from './editing-store';

type Values = Record<string, string>;
/** One service's fields as typed: the capacity, and an optional change of it from a given year. */
type ServiceDraft = { on: boolean; capacity: string; changeYear?: string; changedCapacity?: string };
const NUMBER_FIELDS = ['opens_year', 'closes_year', 'floor_area_m2', 'year_built', 'condition', 'operating_cost_eur', 'investment_need_eur'] as const;

/** Field errors as i18n keys; an empty object when the form is valid. */
export function validateFacility(values: Values, services: Record<string, ServiceDraft>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name_fi?.trim()) errors.name_fi = 'editing.form.required';
  const integer = (field: string, min: number, max: number) => {
    const text = values[field]?.trim() ?? '';
    if (!text) return;
    const value = Number(text.replace(',', '.'));
    if (!Number.isInteger(value) || value < min || value > max) errors[field] = 'editing.form.range';
  };
  const positive = (field: string) => {
    const text = values[field]?.trim() ?? '';
    if (!text) return;
    const value = Number(text.replace(',', '.').replace(/\s/g, ''));
    if (!Number.isFinite(value) || value < 0) errors[field] = 'editing.form.positive';
  };
  integer('opens_year', 1800, 2200);
  integer('closes_year', 1800, 2200);
  integer('year_built', 1000, 2200);
  integer('condition', 1, 5);
  positive('floor_area_m2');
  positive('operating_cost_eur');
  positive('investment_need_eur');
  if (!errors.opens_year && !errors.closes_year && values.opens_year && values.closes_year && Number(values.closes_year) < Number(values.opens_year)) errors.closes_year = 'editing.form.closesBeforeOpens';
  for (const [service, entry] of Object.entries(services)) {
    if (!entry.on) continue;
    const capacity = Number(entry.capacity);
    if (entry.capacity.trim() === '' || !Number.isInteger(capacity) || capacity < 0 || capacity > 100_000) errors[`service_${service}`] = 'editing.form.capacity';
    const year = entry.changeYear?.trim() ?? '';
    const changed = entry.changedCapacity?.trim() ?? '';
    if (year === '' && changed === '') continue;
    const yearValue = Number(year);
    const changedValue = Number(changed);
    if (year === '' || changed === '') errors[`change_${service}`] = 'editing.form.changeBoth';
    else if (!Number.isInteger(yearValue) || yearValue < 1900 || yearValue > 2200) errors[`change_${service}`] = 'editing.form.changeYear';
    else if (!Number.isInteger(changedValue) || changedValue < 0 || changedValue > 100_000) errors[`change_${service}`] = 'editing.form.capacity';
  }
  return errors;
}

function numberOrNull(text: string | undefined): number | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : Number(trimmed.replace(',', '.').replace(/\s/g, ''));
}

export function FacilityForm() {
  const { t } = useTranslation();
  const host = useHost();
  const form = useEditingStore((state) => state.facilityForm);
  const [values, setValues] = useState<Values>({ facility_kind: 'school', language: 'fi', status: 'active' });
  const [services, setServices] = useState<Record<string, ServiceDraft>>(() => Object.fromEntries(SERVICE_TYPES.map((s) => [s, { on: false, capacity: '' }])));
  const [original, setOriginal] = useState<{ values: Values; services: FacilityServiceValue[] } | null>(null);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (form?.mode !== 'edit') return;
    void host.getFeature({ layer: 'facilities', fid: form.fid }).then((details) => {
      const props = details.feature.properties as Record<string, unknown>;
      const loaded: Values = {};
      for (const [key, value] of Object.entries(props)) loaded[key] = value == null ? '' : String(value);
      setValues(loaded);
      const rows = details.related as unknown as FacilityServiceValue[];
      setServices(Object.fromEntries(SERVICE_TYPES.map((s) => {
        const row = rows.find((r) => r.service === s);
        const text = (value: number | null | undefined) => (value == null ? '' : String(value));
        return [s, { on: Boolean(row), capacity: text(row?.capacity), changeYear: text(row?.changeYear), changedCapacity: text(row?.changedCapacity) }];
      })));
      setOriginal({
        values: loaded,
        services: rows.map((r) => ({ service: r.service, capacity: r.capacity ?? null, enrolment: r.enrolment ?? null, changeYear: r.changeYear ?? null, changedCapacity: r.changedCapacity ?? null })),
      });
    });
  }, [form, host]);

  if (!form) return null;
  const errors = validateFacility(values, services);
  const valid = Object.keys(errors).length === 0;
  const close = () => {
    useEditingStore.getState().set({ facilityForm: null });
    currentEditor()?.adapter.clearSketch();
  };
  const field = (name: string) => ({
    value: values[name] ?? '',
    onChange: (event: { target: { value: string } }) => setValues((current) => ({ ...current, [name]: event.target.value })),
    'aria-invalid': touched && Boolean(errors[name]),
    name,
  });
  const error = (name: string) => touched && errors[name] ? <span className="form-error editing-field-error">{t(errors[name]!)}</span> : null;

  const attributes = (): Partial<FacilityAttributes> & { name_fi: string } => {
    const result: Record<string, unknown> = {
      name_fi: values.name_fi!.trim(),
      name_sv: values.name_sv?.trim() || null,
      facility_kind: values.facility_kind,
      language: values.language,
      status: values.status,
      address: values.address?.trim() || null,
    };
    for (const name of NUMBER_FIELDS) result[name] = numberOrNull(values[name]);
    return result as Partial<FacilityAttributes> & { name_fi: string };
  };
  const serviceValues = (): FacilityServiceValue[] =>
    SERVICE_TYPES.filter((s) => services[s]?.on).map((s) => {
      const draft = services[s]!;
      const changeYear = draft.changeYear?.trim() ? Number(draft.changeYear) : null;
      const changedCapacity = draft.changedCapacity?.trim() ? Number(draft.changedCapacity) : null;
      return { service: s as ServiceType, capacity: Number(draft.capacity), enrolment: original?.services.find((o) => o.service === s)?.enrolment ?? null, changeYear, changedCapacity };
    });

  const save = async () => {
    setTouched(true);
    if (!valid) return;
    const editor = currentEditor();
    if (!editor) return;
    setSaving(true);
    if (form.mode === 'add') {
      const result = await editor.run({ type: 'facility.add', geometry: { type: 'Point', coordinates: form.position }, attributes: attributes(), services: serviceValues() });
      setSaving(false);
      if (result) close();
      return;
    }
    const changes: Record<string, unknown> = {};
    const next = attributes() as Record<string, unknown>;
    for (const [key, value] of Object.entries(next)) {
      const before = original?.values[key] ?? '';
      if (String(value ?? '') !== before) changes[key] = value;
    }
    const nextServices = serviceValues();
    const sortedOriginal = [...(original?.services ?? [])].sort((a, b) => a.service.localeCompare(b.service));
    const sortedNext = [...nextServices].sort((a, b) => a.service.localeCompare(b.service));
    const servicesChanged = JSON.stringify(sortedNext) !== JSON.stringify(sortedOriginal);
    // Attributes and services in one command: one undo step takes back the whole form.
    let ok = true;
    if (Object.keys(changes).length > 0 || servicesChanged) {
      ok = Boolean(await editor.run({ type: 'facility.edit', fid: form.fid, changes: changes as Partial<FacilityAttributes>, ...(servicesChanged ? { services: nextServices } : {}) }));
    }
    setSaving(false);
    if (ok) {
      close();
      useSelectionStore.getState().select({ layer: 'facilities', fid: form.fid });
    }
  };

  return (
    <Modal
      title={form.mode === 'add' ? t('editing.form.addTitle') : t('editing.form.editTitle')}
      onClose={close}
      wide
      testId="facility-form"
      footer={
        <>
          <button type="button" className="button" onClick={close}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()} disabled={saving || (touched && !valid)} data-testid="facility-save">
            {t('editing.form.save')}
          </button>
        </>
      }
    >
      <form
        className="editing-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          {t('editing.form.name_fi')} *
          <input {...field('name_fi')} data-testid="facility-name-fi" autoFocus />
          {error('name_fi')}
        </label>
        <label>
          {t('editing.form.name_sv')}
          <input {...field('name_sv')} />
        </label>
        <label>
          {t('editing.form.kind')}
          <select {...field('facility_kind')}>
            {FACILITY_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`values.facilityKind.${kind}`, { defaultValue: kind })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('editing.form.language')}
          <select {...field('language')}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`values.language.${language}`, { defaultValue: language })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('editing.form.status')}
          <select {...field('status')}>
            {FACILITY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`values.status.${status}`, { defaultValue: status })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('editing.form.opens_year')}
          <input {...field('opens_year')} inputMode="numeric" />
          {error('opens_year')}
        </label>
        <label>
          {t('editing.form.closes_year')}
          <input {...field('closes_year')} inputMode="numeric" />
          {error('closes_year')}
        </label>
        <label>
          {t('editing.form.address')}
          <input {...field('address')} />
        </label>
        <label>
          {t('editing.form.floor_area_m2')}
          <input {...field('floor_area_m2')} inputMode="decimal" />
          {error('floor_area_m2')}
        </label>
        <label>
          {t('editing.form.year_built')}
          <input {...field('year_built')} inputMode="numeric" />
          {error('year_built')}
        </label>
        <label>
          {t('editing.form.condition')}
          <input {...field('condition')} inputMode="numeric" />
          {error('condition')}
        </label>
        <label>
          {t('editing.form.operating_cost_eur')}
          <input {...field('operating_cost_eur')} inputMode="decimal" />
          {error('operating_cost_eur')}
        </label>
        <label>
          {t('editing.form.investment_need_eur')}
          <input {...field('investment_need_eur')} inputMode="decimal" />
          {error('investment_need_eur')}
        </label>
        <fieldset className="editing-services">
          <legend>{t('editing.form.services')}</legend>
          {SERVICE_TYPES.map((service) => (
            <div key={service} className="editing-service">
              <label className="editing-check">
                <input
                  type="checkbox"
                  data-testid={`service-${service}`}
                  checked={services[service]?.on ?? false}
                  onChange={(event) => setServices((current) => ({ ...current, [service]: { ...current[service], on: event.target.checked, capacity: current[service]?.capacity ?? '' } }))}
                />
                {t(`values.service.${service}`, { defaultValue: service })}
              </label>
              <input
                aria-label={t('editing.form.capacity')}
                placeholder={t('editing.form.capacity')}
                data-testid={`capacity-${service}`}
                disabled={!services[service]?.on}
                value={services[service]?.capacity ?? ''}
                inputMode="numeric"
                onChange={(event) => setServices((current) => ({ ...current, [service]: { ...current[service], on: true, capacity: event.target.value } }))}
              />
              {error(`service_${service}`)}
              {services[service]?.on && (
                <div className="editing-capacity-change" role="group" aria-label={t('editing.form.change')}>
                  <span>{t('editing.form.changeFrom')}</span>
                  <input
                    aria-label={t('editing.form.changeYearLabel')}
                    placeholder={t('editing.form.yearPlaceholder')}
                    data-testid={`change-year-${service}`}
                    value={services[service]?.changeYear ?? ''}
                    inputMode="numeric"
                    onChange={(event) => setServices((current) => ({ ...current, [service]: { ...current[service]!, changeYear: event.target.value } }))}
                  />
                  <span aria-hidden="true">→</span>
                  <input
                    aria-label={t('editing.form.changedCapacityLabel')}
                    placeholder={t('editing.form.placesPlaceholder')}
                    data-testid={`change-capacity-${service}`}
                    value={services[service]?.changedCapacity ?? ''}
                    inputMode="numeric"
                    onChange={(event) => setServices((current) => ({ ...current, [service]: { ...current[service]!, changedCapacity: event.target.value } }))}
                  />
                </div>
              )}
              {error(`change_${service}`)}
            </div>
          ))}
        </fieldset>
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}
