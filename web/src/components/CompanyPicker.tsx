import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { OrganisationEntry } from '@/lib/api/types';
import { useDebounced } from '@/lib/hooks/useDebounced';
import { useI18n } from '@/lib/i18n';
import { plainFieldError } from '@/lib/form-errors';
import { useOrganisationSearch } from '@/lib/api/organisations';

export interface PickedCompany {
  id: string;
  name: string;
}

interface Props {
  label: string;
  value: PickedCompany | null;
  onChange: (company: PickedCompany | null) => void;
  /** A company not to offer (the complaint's current one, when rerouting). */
  excludeId?: string | undefined;
  error?: string | undefined;
  testId?: string;
}

/**
 * A management company found by typing part of its name (GET /api/v1/organisations), as an ARIA
 * 1.2 combobox: the arrow keys move through the matches (aria-activedescendant), Enter picks one,
 * Escape closes the list; clearing the text clears the choice.
 */
export function CompanyPicker({ label, value, onChange, excludeId, error, testId = 'company-picker' }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const closeTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(closeTimer.current), []);
  const query = useDebounced(text.trim(), 200);
  const search = useOrganisationSearch(query, 8, open);
  const options: OrganisationEntry[] = open ? (search.data ?? []).filter((o) => o.id !== excludeId) : [];
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const expanded = open && options.length > 0;

  function choose(company: OrganisationEntry) {
    onChange({ id: company.id, name: company.name });
    setText(company.name);
    setOpen(false);
    setActive(-1);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      if (options.length > 0) setActive((i) => (i + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (options.length > 0) setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
    } else if (event.key === 'Enter') {
      const picked = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (expanded && picked) {
        event.preventDefault();
        choose(picked);
      }
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  }

  let status = '';
  if (open) {
    if (search.isFetching && options.length === 0) status = t('company.picker.searching');
    else if (!search.isFetching && options.length === 0) status = t('company.picker.none');
    else status = t('company.picker.count', { n: options.length });
  }
  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={`field combobox${error ? ' field--invalid' : ''}`} data-testid={testId}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <p id={hintId} className="field__hint">
        {t('company.picker.hint')}
      </p>
      {error ? (
        <p id={errorId} className="field__error">
          {plainFieldError(error)}
        </p>
      ) : null}
      <div className="combobox__wrap">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          className="field__input"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          value={text}
          data-testid={`${testId}-input`}
          onChange={(e) => {
            window.clearTimeout(closeTimer.current);
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
            if (value) onChange(null);
          }}
          onKeyDown={handleKeyDown}
          onFocus={() => {
            window.clearTimeout(closeTimer.current);
            setOpen(true);
          }}
          onBlur={() => {
            closeTimer.current = window.setTimeout(() => setOpen(false), 150);
          }}
        />
        <ul id={listId} role="listbox" className="combobox__list" aria-label={t('company.picker.listLabel')} hidden={!expanded}>
          {options.map((company, index) => (
            <li
              key={company.id}
              id={`${id}-opt-${index}`}
              role="option"
              aria-selected={index === active}
              className={`combobox__option${index === active ? ' combobox__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(company);
              }}
            >
              {company.active ? company.name : t('company.picker.retired', { name: company.name })}
            </li>
          ))}
        </ul>
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      {value ? (
        <p className="field__hint" data-testid={`${testId}-chosen`}>
          {t('company.picker.chosen', { name: value.name })}{' '}
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              onChange(null);
              setText('');
            }}
          >
            {t('company.picker.clear')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
