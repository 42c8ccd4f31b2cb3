import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Building } from '@/lib/api/types';
import { useDebounced } from '@/lib/hooks/useDebounced';
import { useI18n } from '@/lib/i18n';
import { useBuildingSearch } from '../api/queries';
import { plainFieldError } from '@/lib/form-errors';

interface Props {
  value: Building | null;
  onChange: (building: Building | null) => void;
  error?: string | undefined;
  inputRef?: React.Ref<HTMLInputElement>;
  autoFocus?: boolean;
}

/**
 * An address search as an ARIA 1.2 combobox: type part of the address, move through the matches
 * with the arrow keys (aria-activedescendant), Enter picks one, Escape closes the list.
 */
export function AddressPicker({ value, onChange, error, inputRef, autoFocus }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(value?.address ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Leaving the field closes the list a moment later; coming back (or typing) cancels that, so a
  // blur just before a refocus cannot close the list under the user's hands.
  const closeTimer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(closeTimer.current), []);
  const query = useDebounced(text.trim(), 250);
  const search = useBuildingSearch(query, 8);
  const options = open && query.length >= 2 ? (search.data ?? []) : [];
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;
  const expanded = open && options.length > 0;

  function choose(building: Building) {
    onChange(building);
    setText(building.address);
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
      } else if (!value) {
        // Nothing picked yet: stay here rather than move on.
        event.preventDefault();
        setOpen(true);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  }

  let status = '';
  if (open && query.length >= 2) {
    if (search.isFetching && options.length === 0) status = t('address.searching');
    else if (!search.isFetching && (search.data ?? []).length === 0) status = t('address.none');
    else status = t('address.count', { n: options.length });
  }

  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={`field combobox${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {t('complaint.address')}
      </label>
      <p id={hintId} className="field__hint">
        {t('address.hint')}
      </p>
      {error ? (
        <p id={errorId} className="field__error">
          {plainFieldError(error)}
        </p>
      ) : null}
      <div className="combobox__wrap">
        <input
          ref={inputRef}
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          autoFocus={autoFocus}
          className="field__input"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          value={text}
          data-testid="address-input"
          onChange={(e) => {
            window.clearTimeout(closeTimer.current);
            setText(e.target.value);
            setOpen(true);
            setActive(-1);
            if (value) onChange(null);
          }}
          onKeyDown={handleKeyDown}
          onFocus={() => window.clearTimeout(closeTimer.current)}
          onBlur={() => {
            closeTimer.current = window.setTimeout(() => setOpen(false), 150);
          }}
        />
        <ul id={listId} role="listbox" className="combobox__list" aria-label={t('address.listLabel')} hidden={!expanded}>
          {options.map((building, index) => (
            <li
              key={building.id}
              id={`${id}-opt-${index}`}
              role="option"
              aria-selected={index === active}
              className={`combobox__option${index === active ? ' combobox__option--active' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(building);
              }}
            >
              <span>{building.address}</span>
              <span className="combobox__district">{t('address.district', { district: building.district })}</span>
            </li>
          ))}
        </ul>
      </div>
      <p id={statusId} className="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      {value ? (
        <p className="field__hint" data-testid="address-chosen">
          {t('address.chosen', { address: value.address, district: value.district })}
        </p>
      ) : null}
    </div>
  );
}
