import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Field } from '@/components/Field';
import type { Building, CreatedComplaint } from '@/lib/api/types';
import { otherFieldErrors, plainFieldError, serverFieldError } from '@/lib/form-errors';
import { useI18n } from '@/lib/i18n';
import { problemMessage } from '@/lib/problem-message';
import { deadlineInWords } from '@/lib/time';
import { useConsentVersion } from '@/lib/api/meta';
import { newIdempotencyKey, useCategories, useCreateComplaint } from '../api/queries';
import { uploadAttachment } from '../api/attachments';
import { AddressPicker } from './AddressPicker';
import { FilePicker } from './Attachments';
import { SimilarSuggestions } from './SimilarSuggestions';

type Mode = 'resident' | 'clerk';
type FieldName = 'name' | 'phone' | 'building' | 'flat' | 'category' | 'description' | 'consent';

interface Props {
  mode: Mode;
  /** After the 201 and the photos' uploads; `uploadFailed` counts photos the server refused. */
  onCreated: (created: CreatedComplaint, uploads?: { uploadFailed: number }) => void;
}

const SERVER_FIELDS: Record<FieldName, string[]> = {
  name: ['applicant.name'],
  phone: ['applicant.phone'],
  building: ['building_id'],
  flat: ['flat'],
  category: ['category_id'],
  description: ['description'],
  consent: ['applicant.consent', 'applicant.consent.accepted', 'applicant.consent.version'],
};

/**
 * "File a complaint": the resident's form, and the clerk's intake form (with the applicant and their
 * consent). Keyboard first: Enter moves to the next field, Ctrl+Enter submits.
 */
export function ComplaintForm({ mode, onCreated }: Props) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const categories = useCategories();
  const consentVersion = useConsentVersion() ?? '';
  const mutation = useCreateComplaint();
  // One key per submission of this form: a retry or double click cannot file twice.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [building, setBuilding] = useState<Building | null>(null);
  const [categoryId, setCategoryId] = useState('');
  const [flat, setFlat] = useState('');
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const sorted = useMemo(
    () =>
      [...(categories.data ?? [])].sort(
        (a, b) => Number(b.emergency) - Number(a.emergency) || (language === 'ru' ? a.name_ru : a.name_en).localeCompare(language === 'ru' ? b.name_ru : b.name_en, language),
      ),
    [categories.data, language],
  );
  const category = sorted.find((c) => c.id === categoryId);

  const fieldError = (field: FieldName) => errors[field] ?? serverFieldError(mutation.error, ...SERVER_FIELDS[field]);
  const known = Object.values(SERVER_FIELDS).flat();
  const other = otherFieldErrors(mutation.error, known);

  function validate(): Partial<Record<FieldName, string>> {
    const next: Partial<Record<FieldName, string>> = {};
    if (mode === 'clerk') {
      if (name.trim().length < 2) next.name = t('intake.nameRequired');
      if (phone.trim() !== '' && phone.replace(/\D/g, '').length < 10) next.phone = t('intake.phoneInvalid');
      if (!consent) next.consent = t('intake.consentRequired');
    }
    if (!building) next.building = t('complaint.addressRequired');
    if (!categoryId) next.category = t('complaint.categoryRequired');
    if (description.trim().length < 5) next.description = t('complaint.descriptionRequired');
    return next;
  }

  function focusFirstInvalid(found: Partial<Record<FieldName, string>>) {
    const first = (['name', 'phone', 'building', 'flat', 'category', 'description', 'consent'] as const).find((f) => found[f]);
    const el = first ? formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"] input, [data-field="${first}"] select, [data-field="${first}"] textarea`) : null;
    (el ?? summaryRef.current)?.focus();
  }

  function submit() {
    if (mutation.isPending) return;
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      mutation.reset();
      setTimeout(() => focusFirstInvalid(found), 0);
      return;
    }
    mutation.mutate(
      {
        key: idempotencyKey,
        body: {
          building_id: building!.id,
          category_id: categoryId,
          description: description.trim(),
          flat: flat.trim() === '' ? null : flat.trim(),
          ...(mode === 'clerk'
            ? {
                applicant: {
                  name: name.trim(),
                  phone: phone.trim() === '' ? null : phone.trim(),
                  consent: { accepted: consent, version: consentVersion },
                },
              }
            : {}),
        },
      },
      {
        onSuccess: async (created) => {
          setIdempotencyKey(newIdempotencyKey());
          if (files.length === 0) {
            onCreated(created);
            return;
          }
          // The photos go right after the 201; a refused photo does not undo the complaint.
          setUploading(true);
          let uploadFailed = 0;
          for (const file of files) {
            try {
              await uploadAttachment(created.complaint.id, file);
            } catch {
              uploadFailed += 1;
            }
          }
          setUploading(false);
          onCreated(created, { uploadFailed });
        },
        onError: (error) => {
          const serverFound: Partial<Record<FieldName, string>> = {};
          for (const f of Object.keys(SERVER_FIELDS) as FieldName[]) {
            const message = serverFieldError(error, ...SERVER_FIELDS[f]);
            if (message) serverFound[f] = message;
          }
          setTimeout(() => focusFirstInvalid(serverFound), 0);
        },
      },
    );
  }

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  /** Enter moves on to the next field (the clerk types fast); Ctrl+Enter submits from anywhere. */
  function handleKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      submit();
      return;
    }
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) {
      event.preventDefault();
      focusNext(target);
    }
  }

  function focusNext(from: HTMLElement) {
    const focusables = Array.from(
      formRef.current?.querySelectorAll<HTMLElement>('input, select, textarea, button[type="submit"]') ?? [],
    ).filter((el) => !el.hasAttribute('disabled'));
    const next = focusables[focusables.indexOf(from) + 1];
    next?.focus();
  }

  const clear = (field: FieldName) => errors[field] && setErrors((prev) => ({ ...prev, [field]: undefined }));
  const formError = mutation.isError ? problemMessage(mutation.error, i18n) : null;
  const hasClientErrors = Object.values(errors).some(Boolean);

  return (
    <form
      ref={formRef}
      className="form"
      noValidate
      onSubmit={handleSubmit}
      onKeyDown={handleKeyDown}
      aria-busy={mutation.isPending}
      data-testid={`complaint-form-${mode}`}
    >
      {formError || hasClientErrors ? (
        <div ref={summaryRef} className="notice notice--error" role="alert" tabIndex={-1} data-testid="form-error">
          <p className="notice__title">{t('form.errorSummary')}</p>
          {formError ? <p>{formError}</p> : <p>{t('form.checkFields')}</p>}
          {other.length > 0 ? (
            <ul>
              {other.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      {mode === 'clerk' ? (
        <fieldset className="fieldset">
          <legend>{t('intake.applicant')}</legend>
          <div data-field="name">
            <Field label={t('intake.name')} hint={t('intake.nameHint')} error={fieldError('name')}>
              {(props) => (
                <input
                  {...props}
                  className="field__input"
                  type="text"
                  autoComplete="off"
                  autoFocus
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                    clear('name');
                  }}
                />
              )}
            </Field>
          </div>
          <div data-field="phone">
            <Field label={t('intake.phone')} hint={t('intake.phoneHint')} error={fieldError('phone')}>
              {(props) => (
                <input
                  {...props}
                  className="field__input"
                  type="tel"
                  inputMode="tel"
                  autoComplete="off"
                  value={phone}
                  onChange={(e) => {
                    setPhone(e.target.value);
                    clear('phone');
                  }}
                />
              )}
            </Field>
          </div>
        </fieldset>
      ) : null}

      <div data-field="building">
        <AddressPicker
          value={building}
          autoFocus={mode === 'resident'}
          error={fieldError('building')}
          onChange={(b) => {
            setBuilding(b);
            clear('building');
          }}
        />
      </div>

      <div data-field="flat" className="field--short">
        <Field label={t('complaint.flat')} hint={t('complaint.flatHint')} error={fieldError('flat')}>
          {(props) => (
            <input
              {...props}
              className="field__input"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              maxLength={16}
              value={flat}
              onChange={(e) => setFlat(e.target.value)}
            />
          )}
        </Field>
      </div>

      <div data-field="category">
        <Field
          label={t('complaint.category')}
          hint={
            category
              ? t(category.emergency ? 'complaint.deadlineEmergency' : 'complaint.deadline', {
                  deadline: deadlineInWords(category.deadline, i18n),
                })
              : t('complaint.categoryHint')
          }
          error={fieldError('category')}
        >
          {(props) => (
            <select
              {...props}
              className="field__input"
              value={categoryId}
              data-testid="category-select"
              onChange={(e) => {
                setCategoryId(e.target.value);
                clear('category');
              }}
            >
              <option value="">{categories.isPending ? t('app.loading') : t('complaint.categoryChoose')}</option>
              {sorted.map((c) => (
                <option key={c.id} value={c.id}>
                  {t(c.emergency ? 'complaint.categoryOptionEmergency' : 'complaint.categoryOption', {
                    name: language === 'ru' ? c.name_ru : c.name_en,
                    deadline: deadlineInWords(c.deadline, i18n),
                  })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <div data-field="description">
        <Field label={t('complaint.description')} hint={t('complaint.descriptionHint')} error={fieldError('description')}>
          {(props) => (
            <textarea
              {...props}
              className="field__input field__textarea"
              rows={4}
              maxLength={4000}
              value={description}
              onChange={(e) => {
                setDescription(e.target.value);
                clear('description');
              }}
            />
          )}
        </Field>
      </div>

      <SimilarSuggestions
        mode={mode}
        buildingId={building?.id ?? null}
        categoryId={categoryId}
        text={description}
        applicant={mode === 'clerk' ? { phone, consent, consentVersion } : undefined}
      />

      {mode === 'resident' ? <FilePicker files={files} onChange={setFiles} label={t('attachments.photos')} testId="complaint-photos" /> : null}

      {mode === 'clerk' ? (
        <div data-field="consent" className={`field${fieldError('consent') ? ' field--invalid' : ''}`}>
          <p className="consent-text" id="consent-text">
            {t('consent.text')} <span className="muted">{t('consent.version', { version: consentVersion })}</span>
          </p>
          {fieldError('consent') ? (
            <p className="field__error" id="consent-error">
              {plainFieldError(fieldError('consent') ?? '')}
            </p>
          ) : null}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={consent}
              aria-describedby={`consent-text${fieldError('consent') ? ' consent-error' : ''}`}
              aria-invalid={fieldError('consent') ? true : undefined}
              onChange={(e) => {
                setConsent(e.target.checked);
                clear('consent');
              }}
            />
            <span>{t('intake.consent')}</span>
          </label>
        </div>
      ) : null}

      <div className="form__submit">
        <button type="submit" className="button button--primary" disabled={mutation.isPending || uploading}>
          {mutation.isPending || uploading ? (
            <>
              <span className="button__spinner" aria-hidden="true" />
              {t(uploading ? 'attachments.uploading' : 'complaint.submitting')}
            </>
          ) : (
            t(mode === 'clerk' ? 'intake.submit' : 'complaint.submit')
          )}
        </button>
        <span className="field__hint">{t('form.ctrlEnter')}</span>
      </div>
    </form>
  );
}
