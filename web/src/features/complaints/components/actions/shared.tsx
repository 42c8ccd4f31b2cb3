// The pieces every action shares: its props, the section around it, the submit button, and the
// one-text-field form used by several actions.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Field } from '@/components/Field';
import type { ActionKind, Complaint, Transition } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import type { useTransition } from '@/features/complaints/api/queries';
import { FilePicker } from '../Attachments';

type Mutation = ReturnType<typeof useTransition>;

/** What the panel hands to every action: the complaint, the mutation and how to run it. */
export interface ActionProps {
  complaint: Complaint;
  mutation: Mutation;
  run: (kind: ActionKind, body: Transition, files?: File[]) => void;
  error: (kind: ActionKind, ...fields: string[]) => string | undefined;
  busy: (kind: ActionKind) => boolean;
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const id = useId();
  return (
    <section className="action" aria-labelledby={id} data-testid={testId}>
      <h3 id={id} className="action__title">
        {title}
      </h3>
      {children}
    </section>
  );
}

export function Submit({
  busy,
  children,
  tone = 'primary',
  onClick,
  testId,
}: {
  busy: boolean;
  children: ReactNode;
  tone?: 'primary' | 'secondary' | 'danger';
  onClick?: () => void;
  testId?: string;
}) {
  return (
    <button type={onClick ? 'button' : 'submit'} className={`button button--${tone}`} disabled={busy} onClick={onClick} data-testid={testId}>
      {busy ? <span className="button__spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

/** One text field and a button: executor, done note, reasons. */
export function TextAction({
  kind,
  field,
  title,
  label,
  submit,
  multiline,
  make,
  tone,
  withFiles,
  ...p
}: ActionProps & {
  withFiles?: boolean;
  kind: ActionKind;
  field: string;
  title: string;
  label: string;
  submit: string;
  multiline?: boolean;
  tone?: 'primary' | 'secondary' | 'danger';
  make: (text: string) => Transition;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const error = missing ? t('action.textRequired') : p.error(kind, field);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (text.trim() === '') {
      setMissing(true);
      return;
    }
    p.run(kind, make(text.trim()), files);
  }
  return (
    <Section title={title} testId={`action-${kind}`}>
      <form className="form form--compact" noValidate onSubmit={onSubmit}>
        <Field label={label} error={error}>
          {(props) =>
            multiline ? (
              <textarea
                {...props}
                className="field__input field__textarea"
                rows={3}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setMissing(false);
                }}
              />
            ) : (
              <input
                {...props}
                className="field__input"
                type="text"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setMissing(false);
                }}
              />
            )
          }
        </Field>
        {withFiles ? <FilePicker files={files} onChange={setFiles} label={t('attachments.workPhotos')} testId={`${kind}-photos`} /> : null}
        <Submit busy={p.busy(kind)} tone={tone}>
          {submit}
        </Submit>
      </form>
    </Section>
  );
}
