import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Field } from '@/components/Field';
import type { ActionKind, CallOutcome, Complaint, RejectReason, Transition } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { cityLocalToIso, isoToCityLocal } from '@/lib/time';
import { useComplaints, useTransition } from '../api/queries';
import { FilePicker } from './Attachments';
import { TransitionError } from './TransitionError';

/** Suggested legal bases of a fine (Russian law: the same citation in both languages). */
export const LEGAL_BASES = ['fine.basis.19_5_1', 'fine.basis.7_22', 'fine.basis.7_23'] as const satisfies readonly MessageKey[];

type Mutation = ReturnType<typeof useTransition>;

export type ActionPropsForQueue = ActionProps;

interface ActionProps {
  complaint: Complaint;
  mutation: Mutation;
  run: (kind: ActionKind, body: Transition, files?: File[]) => void;
  error: (kind: ActionKind, ...fields: string[]) => string | undefined;
  busy: (kind: ActionKind) => boolean;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
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

function Submit({ busy, children, tone = 'primary', onClick, testId }: { busy: boolean; children: ReactNode; tone?: 'primary' | 'secondary' | 'danger'; onClick?: () => void; testId?: string }) {
  return (
    <button type={onClick ? 'button' : 'submit'} className={`button button--${tone}`} disabled={busy} onClick={onClick} data-testid={testId}>
      {busy ? <span className="button__spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

/** One text field and a button: executor, done note, reasons. */
function TextAction({
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

function AcceptAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.accept.title')} testId="action-accept">
      <p className="muted">{t('action.accept.text')}</p>
      <Submit busy={p.busy('accept')} onClick={() => p.run('accept', { type: 'accept' })}>
        {t('action.accept.submit')}
      </Submit>
    </Section>
  );
}

function ResumeAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.resume_clock.title')} testId="action-resume_clock">
      <p className="muted">{t('action.resume_clock.text')}</p>
      <Submit busy={p.busy('resume_clock')} onClick={() => p.run('resume_clock', { type: 'resume_clock' })}>
        {t('action.resume_clock.submit')}
      </Submit>
    </Section>
  );
}

export function CallOutcomes({ complaint, mutation, run, busy, error }: ActionProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const outcomes: CallOutcome[] = ['satisfied', 'unsatisfied', 'not_done', 'no_answer'];
  return (
    <div className="call-outcomes">
      <Field label={t('action.record_call.comment')} error={error('record_call', 'comment')}>
        {(props) => (
          <input {...props} className="field__input" type="text" value={comment} onChange={(e) => setComment(e.target.value)} />
        )}
      </Field>
      <div className="button-row" role="group" aria-label={t('action.record_call.title')}>
        {outcomes.map((outcome) => (
          <Submit
            key={outcome}
            busy={busy('record_call')}
            tone={outcome === 'satisfied' ? 'primary' : 'secondary'}
            testId={`outcome-${outcome}`}
            onClick={() =>
              run('record_call', { type: 'record_call', outcome, comment: comment.trim() === '' ? null : comment.trim() })
            }
          >
            {t(`outcome.${outcome}`)}
          </Submit>
        ))}
      </div>
      {complaint.unanswered_calls > 0 ? (
        <p className="muted">{t('action.record_call.unanswered', { n: complaint.unanswered_calls })}</p>
      ) : null}
      {mutation.isError && mutation.variables?.type === 'record_call' && !error('record_call', 'comment') ? (
        <TransitionError error={mutation.error} complaintId={complaint.id} onReloaded={() => mutation.reset()} />
      ) : null}
    </div>
  );
}

function RecordCallAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.record_call.title')} testId="action-record_call">
      <p className="muted">{t('action.record_call.text')}</p>
      <CallOutcomes {...p} />
    </Section>
  );
}

function ResidentAnswerAction(p: ActionProps) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const answer = (satisfied: boolean) =>
    p.run('resident_answer', { type: 'resident_answer', satisfied, comment: comment.trim() === '' ? null : comment.trim() });
  return (
    <Section title={t('action.resident_answer.title')} testId="action-resident_answer">
      <p>{t('action.resident_answer.text')}</p>
      <Field label={t('action.resident_answer.comment')} error={p.error('resident_answer', 'comment')}>
        {(props) => (
          <textarea {...props} className="field__input field__textarea" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
        )}
      </Field>
      <div className="button-row">
        <Submit busy={p.busy('resident_answer')} onClick={() => answer(true)} testId="answer-satisfied">
          {t('action.resident_answer.yes')}
        </Submit>
        <Submit busy={p.busy('resident_answer')} tone="secondary" onClick={() => answer(false)} testId="answer-unsatisfied">
          {t('action.resident_answer.no')}
        </Submit>
      </div>
    </Section>
  );
}

function WithdrawAction(p: ActionProps) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  return (
    <Section title={t('action.withdraw.title')} testId="action-withdraw">
      {confirming ? (
        <div ref={confirmRef} className="confirm" role="alertdialog" aria-modal="false" aria-labelledby="withdraw-q" tabIndex={-1}>
          <p id="withdraw-q">{t('action.withdraw.confirm')}</p>
          <div className="button-row">
            <Submit busy={p.busy('withdraw')} tone="danger" onClick={() => p.run('withdraw', { type: 'withdraw' })} testId="withdraw-confirm">
              {t('action.withdraw.yes')}
            </Submit>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => {
                setConfirming(false);
                setTimeout(() => openRef.current?.focus(), 0);
              }}
            >
              {t('action.withdraw.no')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="muted">{t('action.withdraw.text')}</p>
          <button ref={openRef} type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
            {t('action.withdraw.submit')}
          </button>
        </>
      )}
    </Section>
  );
}

function RerouteAction(p: ActionProps) {
  const { t } = useI18n();
  // No organisations endpoint yet: the companies are those seen on the control board.
  const board = useComplaints({ limit: 100 });
  const companies = useMemo(() => {
    const map = new Map<string, string>();
    for (const page of board.data?.pages ?? []) for (const c of page.items) if (c.company) map.set(c.company.id, c.company.name);
    return [...map.entries()].filter(([id]) => id !== p.complaint.company?.id).sort((a, b) => a[1].localeCompare(b[1]));
  }, [board.data, p.complaint.company?.id]);
  const [companyId, setCompanyId] = useState('');
  const [missing, setMissing] = useState(false);
  return (
    <Section title={t('action.reroute.title')} testId="action-reroute">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!companyId) return setMissing(true);
          p.run('reroute', { type: 'reroute', company_id: companyId });
        }}
      >
        <Field label={t('action.reroute.company')} error={missing ? t('action.reroute.required') : p.error('reroute', 'company_id')}>
          {(props) => (
            <select
              {...props}
              className="field__input"
              value={companyId}
              onChange={(e) => {
                setCompanyId(e.target.value);
                setMissing(false);
              }}
            >
              <option value="">{board.isPending ? t('app.loading') : t('action.reroute.choose')}</option>
              {companies.map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Submit busy={p.busy('reroute')}>{t('action.reroute.submit')}</Submit>
      </form>
    </Section>
  );
}

function RejectAction(p: ActionProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState<RejectReason>('duplicate');
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const reasons: RejectReason[] = ['duplicate', 'not_housing_matter', 'other'];
  return (
    <Section title={t('action.reject.title')} testId="action-reject">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason === 'other' && comment.trim() === '') return setMissing(true);
          p.run('reject', { type: 'reject', reason, comment: comment.trim() });
        }}
      >
        <Field label={t('action.reject.reason')} error={p.error('reject', 'reason')}>
          {(props) => (
            <select {...props} className="field__input" value={reason} onChange={(e) => setReason(e.target.value as RejectReason)}>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {t(`reject.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t('action.reject.comment')}
          hint={t('action.reject.commentHint')}
          error={missing ? t('action.textRequired') : p.error('reject', 'comment')}
        >
          {(props) => (
            <textarea
              {...props}
              className="field__input field__textarea"
              rows={2}
              value={comment}
              onChange={(e) => {
                setComment(e.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        <Submit busy={p.busy('reject')} tone="danger">
          {t('action.reject.submit')}
        </Submit>
      </form>
    </Section>
  );
}

function FindingsAction(p: ActionProps) {
  const { t } = useI18n();
  const [violation, setViolation] = useState(true);
  const [findings, setFindings] = useState('');
  const [missing, setMissing] = useState(false);
  const name = useId();
  return (
    <Section title={t('action.record_findings.title')} testId="action-record_findings">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (findings.trim() === '') return setMissing(true);
          p.run('record_findings', { type: 'record_findings', violation, findings: findings.trim() });
        }}
      >
        <fieldset className="fieldset fieldset--plain">
          <legend className="field__label">{t('action.record_findings.violation')}</legend>
          <label className="checkbox">
            <input type="radio" name={name} checked={violation} onChange={() => setViolation(true)} />
            <span>{t('action.record_findings.yes')}</span>
          </label>
          <label className="checkbox">
            <input type="radio" name={name} checked={!violation} onChange={() => setViolation(false)} />
            <span>{t('action.record_findings.no')}</span>
          </label>
        </fieldset>
        <Field label={t('action.record_findings.findings')} error={missing ? t('action.textRequired') : p.error('record_findings', 'findings')}>
          {(props) => (
            <textarea
              {...props}
              className="field__input field__textarea"
              rows={3}
              value={findings}
              onChange={(e) => {
                setFindings(e.target.value);
                setMissing(false);
              }}
            />
          )}
        </Field>
        <Submit busy={p.busy('record_findings')}>{t('action.record_findings.submit')}</Submit>
      </form>
    </Section>
  );
}

function IssueOrderAction(p: ActionProps) {
  const { t } = useI18n();
  const [due, setDue] = useState(() => isoToCityLocal(new Date(Date.now() + 10 * 86_400_000).toISOString()).slice(0, 16));
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ due?: string; text?: string }>({});
  return (
    <Section title={t('action.issue_order.title')} testId="action-issue_order">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const iso = cityLocalToIso(due);
          const next: { due?: string; text?: string } = {};
          if (!iso) next.due = t('action.issue_order.dueInvalid');
          else if (Date.parse(iso) <= Date.now()) next.due = t('action.issue_order.duePast');
          if (text.trim() === '') next.text = t('action.textRequired');
          setErrors(next);
          if (next.due || next.text || !iso) return;
          p.run('issue_order', { type: 'issue_order', due_at: iso, text: text.trim() });
        }}
      >
        <Field label={t('action.issue_order.due')} hint={t('action.issue_order.dueHint')} error={errors.due ?? p.error('issue_order', 'due_at')}>
          {(props) => (
            <input
              {...props}
              className="field__input"
              type="datetime-local"
              step={1}
              value={due}
              data-testid="order-due"
              onChange={(e) => setDue(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('action.issue_order.text')} error={errors.text ?? p.error('issue_order', 'text')}>
          {(props) => (
            <textarea {...props} className="field__input field__textarea" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
          )}
        </Field>
        <Submit busy={p.busy('issue_order')}>{t('action.issue_order.submit')}</Submit>
      </form>
    </Section>
  );
}

function ComplianceAction(p: ActionProps) {
  const { t } = useI18n();
  return (
    <Section title={t('action.check_compliance.title')} testId="action-check_compliance">
      <p className="muted">{t('action.check_compliance.text')}</p>
      <div className="button-row">
        <Submit busy={p.busy('check_compliance')} onClick={() => p.run('check_compliance', { type: 'check_compliance', complied: true })} testId="complied-yes">
          {t('action.check_compliance.yes')}
        </Submit>
        {p.complaint.order?.complied === false ? null : (
          <Submit
            busy={p.busy('check_compliance')}
            tone="secondary"
            onClick={() => p.run('check_compliance', { type: 'check_compliance', complied: false })}
            testId="complied-no"
          >
            {t('action.check_compliance.no')}
          </Submit>
        )}
      </div>
    </Section>
  );
}

function FineAction(p: ActionProps) {
  const { t } = useI18n();
  const [amount, setAmount] = useState('');
  const [basis, setBasis] = useState<string>(() => t(LEGAL_BASES[0]));
  const [errors, setErrors] = useState<{ amount?: string; basis?: string }>({});
  const listId = useId();
  return (
    <Section title={t('action.record_fine.title')} testId="action-record_fine">
      <form
        className="form form--compact"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const value = Number(amount.replace(/\s/g, ''));
          const next: { amount?: string; basis?: string } = {};
          if (!Number.isInteger(value) || value < 1) next.amount = t('action.record_fine.amountInvalid');
          if (basis.trim() === '') next.basis = t('action.textRequired');
          setErrors(next);
          if (next.amount || next.basis) return;
          p.run('record_fine', { type: 'record_fine', amount_rub: value, legal_basis: basis.trim() });
        }}
      >
        <Field label={t('action.record_fine.amount')} hint={t('action.record_fine.amountHint')} error={errors.amount ?? p.error('record_fine', 'amount_rub')}>
          {(props) => (
            <input {...props} className="field__input" type="text" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} />
          )}
        </Field>
        <Field label={t('action.record_fine.basis')} hint={t('action.record_fine.basisHint')} error={errors.basis ?? p.error('record_fine', 'legal_basis')}>
          {(props) => (
            <>
              <input {...props} className="field__input" type="text" list={listId} value={basis} onChange={(e) => setBasis(e.target.value)} />
              <datalist id={listId}>
                {LEGAL_BASES.map((b) => (
                  <option key={b} value={t(b)} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Submit busy={p.busy('record_fine')}>{t('action.record_fine.submit')}</Submit>
      </form>
    </Section>
  );
}

const TITLE = (kind: ActionKind) => `action.${kind}.title` as MessageKey;

/** The buttons and small forms for what the caller may do now (the complaint's allowed_actions). */
export function ActionPanel({
  complaint,
  onDone,
  onFiles,
}: {
  complaint: Complaint;
  onDone?: (kind: ActionKind) => void;
  /** Files chosen with an action, to upload once the transition has succeeded. */
  onFiles?: (files: File[]) => void;
}) {
  const { t } = useI18n();
  const mutation = useTransition(complaint);
  const [lastKind, setLastKind] = useState<ActionKind | null>(null);
  const allowed = new Set(complaint.allowed_actions);
  const order = complaint.order;

  const p: ActionProps = {
    complaint,
    mutation,
    run: (kind, body, files) => {
      setLastKind(kind);
      // The panel remounts with the new version, so report success from the promise, not a callback.
      mutation.mutateAsync(body).then(
        () => {
          onDone?.(kind);
          if (files && files.length > 0) onFiles?.(files);
        },
        () => undefined,
      );
    },
    error: (kind, ...fields) => (lastKind === kind ? serverFieldError(mutation.error, ...fields) : undefined),
    busy: (kind) => mutation.isPending && lastKind === kind,
  };

  const show = (kind: ActionKind) => allowed.has(kind);
  const sections: ReactNode[] = [];
  if (show('accept')) sections.push(<AcceptAction key="accept" {...p} />);
  if (show('assign_executor'))
    sections.push(
      <TextAction
        key="assign_executor"
        kind="assign_executor"
        field="executor"
        title={t(TITLE('assign_executor'))}
        label={t('action.assign_executor.label')}
        submit={t('action.assign_executor.submit')}
        make={(executor) => ({ type: 'assign_executor', executor })}
        {...p}
      />,
    );
  if (show('report_done'))
    sections.push(
      <TextAction
        key="report_done"
        kind="report_done"
        field="note"
        multiline
        title={t(TITLE('report_done'))}
        label={t('action.report_done.label')}
        submit={t('action.report_done.submit')}
        withFiles
        make={(note) => ({ type: 'report_done', note })}
        {...p}
      />,
    );
  if (show('pause_clock') && !complaint.paused && !order)
    sections.push(
      <TextAction
        key="pause_clock"
        kind="pause_clock"
        field="reason"
        title={t(TITLE('pause_clock'))}
        label={t('action.pause_clock.label')}
        submit={t('action.pause_clock.submit')}
        tone="secondary"
        make={(reason) => ({ type: 'pause_clock', reason })}
        {...p}
      />,
    );
  if (show('resume_clock') && complaint.paused) sections.push(<ResumeAction key="resume_clock" {...p} />);
  if (show('not_our_building'))
    sections.push(
      <TextAction
        key="not_our_building"
        kind="not_our_building"
        field="reason"
        multiline
        title={t(TITLE('not_our_building'))}
        label={t('action.not_our_building.label')}
        submit={t('action.not_our_building.submit')}
        tone="secondary"
        make={(reason) => ({ type: 'not_our_building', reason })}
        {...p}
      />,
    );
  if (show('record_call')) sections.push(<RecordCallAction key="record_call" {...p} />);
  if (show('resident_answer')) sections.push(<ResidentAnswerAction key="resident_answer" {...p} />);
  if (show('record_findings')) sections.push(<FindingsAction key="record_findings" {...p} />);
  if (show('issue_order')) sections.push(<IssueOrderAction key="issue_order" {...p} />);
  if (show('check_compliance') && order && order.complied !== true) sections.push(<ComplianceAction key="check_compliance" {...p} />);
  if (show('record_fine') && order?.complied === false) sections.push(<FineAction key="record_fine" {...p} />);
  if (show('reroute')) sections.push(<RerouteAction key="reroute" {...p} />);
  if (show('send_to_inspection'))
    sections.push(
      <TextAction
        key="send_to_inspection"
        kind="send_to_inspection"
        field="reason"
        multiline
        title={t(TITLE('send_to_inspection'))}
        label={t('action.send_to_inspection.label')}
        submit={t('action.send_to_inspection.submit')}
        tone="secondary"
        make={(reason) => ({ type: 'send_to_inspection', reason })}
        {...p}
      />,
    );
  if (show('reject')) sections.push(<RejectAction key="reject" {...p} />);
  if (show('withdraw')) sections.push(<WithdrawAction key="withdraw" {...p} />);

  if (sections.length === 0) return null;
  const fieldErr = mutation.error && lastKind ? Object.keys((mutation.error as { fieldErrors?: object }).fieldErrors ?? {}).length > 0 : false;
  return (
    <section className="card actions-panel" aria-labelledby="actions-title" data-testid="action-panel">
      <h2 id="actions-title">{t('complaint.actions')}</h2>
      {mutation.isError && !fieldErr && lastKind !== 'record_call' ? (
        <TransitionError error={mutation.error} complaintId={complaint.id} onReloaded={() => mutation.reset()} />
      ) : null}
      <div className="actions-grid">{sections}</div>
    </section>
  );
}
