import { useState, type FormEvent } from 'react';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { PageHeading } from '@/components/PageHeading';
import type { PolicyRule, PolicyValues, PolicyVersion } from '@/lib/api/types';
import { serverFieldError } from '@/lib/form-errors';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { usePolicy, useSavePolicy } from '../api/policy';

type Deadline = PolicyValues['verification'];
type Unit = Deadline['unit'];
const UNITS: Unit[] = ['hours', 'working_days', 'calendar_days'];
const DEADLINES = ['verification', 'routing', 'inspection', 'answer_deadline'] as const;
const NUMBERS = ['max_unanswered_calls', 'escalate_at_round', 'scorecard_min_volume'] as const;
const CONDITIONS = ['min_round', 'overdue_for_hours', 'answer_due_within_hours', 'min_unanswered_calls'] as const;
const EFFECTS = ['notify', 'send_to_inspection', 'close_unconfirmed'];
const ROLES = ['dispatcher', 'inspector', 'admin'];

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')));
const opt = (s: string) => (s.trim() === '' ? null : Math.trunc(num(s)));

function DeadlineField({ name, value, onChange, error }: { name: string; value: Deadline; onChange: (d: Deadline) => void; error?: string }) {
  const { t } = useI18n();
  return (
    <Field label={t(`policy.field.${name}` as MessageKey)} error={error}>
      {(props) => (
        <span className="button-row">
          <input {...props} className="field__input" inputMode="numeric" value={String(value.value)} onChange={(e) => onChange({ ...value, value: Math.trunc(num(e.target.value)) || 0 })} />
          <select className="field__input" aria-label={t('policy.unit')} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as Unit })}>
            {UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`policy.unit.${u}` as MessageKey)}
              </option>
            ))}
          </select>
        </span>
      )}
    </Field>
  );
}

function RuleEditor({ index, rule, onChange, onRemove, error }: { index: number; rule: PolicyRule; onChange: (r: PolicyRule) => void; onRemove: () => void; error: (...f: string[]) => string | undefined }) {
  const { t } = useI18n();
  const at = `rules[${index}]`;
  return (
    <fieldset className="card" data-testid="policy-rule">
      <legend>{t('policy.rule', { n: index + 1 })}</legend>
      {error(at) && <p className="field__error" role="alert">{error(at)}</p>}
      <div className="form-grid">
        <Field label={t('policy.rule.code')} error={error(`${at}.code`)}>
          {(props) => <input {...props} className="field__input" value={rule.code} onChange={(e) => onChange({ ...rule, code: e.target.value })} />}
        </Field>
        <Field label={t('policy.rule.statuses')} hint={t('policy.rule.statusesHint')} error={error(`${at}.statuses`)}>
          {(props) => (
            <input
              {...props}
              className="field__input"
              value={(rule.statuses ?? []).join(', ')}
              onChange={(e) => onChange({ ...rule, statuses: e.target.value.split(',').map((s) => s.trim()).filter(Boolean) })}
            />
          )}
        </Field>
        {CONDITIONS.map((c) => (
          <Field key={c} label={t(`policy.rule.${c}` as MessageKey)} error={error(`${at}.${c}`)}>
            {(props) => <input {...props} className="field__input" inputMode="numeric" value={rule[c] == null ? '' : String(rule[c])} onChange={(e) => onChange({ ...rule, [c]: opt(e.target.value) })} />}
          </Field>
        ))}
        <Field label={t('policy.rule.effect')} error={error(`${at}.effect.type`)}>
          {(props) => (
            <select {...props} className="field__input" value={rule.effect.type} onChange={(e) => onChange({ ...rule, effect: { type: e.target.value, role: e.target.value === 'notify' ? (rule.effect.role ?? 'dispatcher') : null } })}>
              {EFFECTS.map((x) => (
                <option key={x} value={x}>
                  {t(`policy.effect.${x}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {rule.effect.type === 'notify' && (
          <Field label={t('policy.rule.role')} error={error(`${at}.effect.role`)}>
            {(props) => (
              <select {...props} className="field__input" value={rule.effect.role ?? ''} onChange={(e) => onChange({ ...rule, effect: { ...rule.effect, role: e.target.value } })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}.name` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <button type="button" className="button button--secondary" onClick={onRemove}>
        {t('policy.rule.remove')}
      </button>
    </fieldset>
  );
}

/** The form starts afresh for each new version (its `key`), so the page keeps the "saved" notice. */
function PolicyForm({ current, onSaved }: { current: PolicyVersion; onSaved: (version: number) => void }) {
  const { t } = useI18n();
  const save = useSavePolicy();
  const [policy, setPolicy] = useState<PolicyValues>(current.policy);
  const [rules, setRules] = useState<PolicyRule[]>(current.rules);
  const [from, setFrom] = useState('');
  const err = (...f: string[]) => serverFieldError(save.error, ...f);
  const fields = [...NUMBERS, 'repeat_round_fraction', 'effective_from', ...DEADLINES.map((d) => `${d}.value`), 'reply_wait.value', 'rules', ...rules.flatMap((_, i) => [`rules[${i}]`, ...['code', 'statuses', ...CONDITIONS, 'effect.type', 'effect.role'].map((f) => `rules[${i}].${f}`)])];
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate(
      { policy, rules, effective_from: from ? new Date(from).toISOString() : null },
      {
        onSuccess: (data) => {
          const newest = data.versions[0]?.version;
          if (newest !== undefined) onSaved(newest);
        },
      },
    );
  }
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="policy-form">
      <FormProblem error={save.error} fields={fields} />
      <div className="form-grid">
        {NUMBERS.map((n) => (
          <Field key={n} label={t(`policy.field.${n}` as MessageKey)} error={err(n)}>
            {(props) => <input {...props} name={n} className="field__input" inputMode="numeric" value={String(policy[n])} onChange={(e) => setPolicy({ ...policy, [n]: Math.trunc(num(e.target.value)) || 0 })} />}
          </Field>
        ))}
        <Field label={t('policy.field.repeat_round_fraction')} error={err('repeat_round_fraction')}>
          {(props) => <input {...props} className="field__input" inputMode="decimal" defaultValue={String(policy.repeat_round_fraction)} onChange={(e) => setPolicy({ ...policy, repeat_round_fraction: num(e.target.value) || 0 })} />}
        </Field>
        {DEADLINES.map((d) => (
          <DeadlineField key={d} name={d} value={policy[d]} error={err(`${d}.value`)} onChange={(v) => setPolicy({ ...policy, [d]: v })} />
        ))}
        <DeadlineField name="reply_wait" value={policy.reply_wait ?? { unit: 'hours', value: 24 }} error={err('reply_wait.value')} onChange={(v) => setPolicy({ ...policy, reply_wait: v })} />
        <Field label={t('policy.effectiveFrom')} hint={t('policy.effectiveFromHint')} error={err('effective_from')}>
          {(props) => <input {...props} type="datetime-local" className="field__input" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
      </div>
      <h2>{t('policy.rules')}</h2>
      {err('rules') && <p className="field__error">{err('rules')}</p>}
      {rules.map((r, i) => (
        <RuleEditor key={i} index={i} rule={r} error={err} onChange={(next) => setRules(rules.map((old, j) => (j === i ? next : old)))} onRemove={() => setRules(rules.filter((_, j) => j !== i))} />
      ))}
      <div className="button-row">
        <button type="button" className="button button--secondary" onClick={() => setRules([...rules, { code: '', statuses: [], overdue_for_hours: 0, effect: { type: 'notify', role: 'dispatcher' } }])}>
          {t('policy.rule.add')}
        </button>
        <button type="submit" className="button" disabled={save.isPending}>
          {t('policy.save')}
        </button>
      </div>
    </form>
  );
}

/** Administrator: the lifecycle policy and escalation rules in force, their versions, and a new version. */
export function PolicyPage() {
  const { t, language } = useI18n();
  const overview = usePolicy();
  const [saved, setSaved] = useState<number | null>(null);
  const title = t('policy.title');
  return (
    <div data-testid="admin-policy">
      <PageHeading title={title}>{title}</PageHeading>
      <p className="lead">{t('policy.lead')}</p>
      {overview.isPending && <p>{t('app.loading')}</p>}
      {overview.data && (
        <>
          <section className="card" aria-labelledby="policy-form-title">
            <h2 id="policy-form-title">{t('policy.current', { version: overview.data.current.version })}</h2>
            {saved !== null && (
              <p className="notice notice--success" role="status" data-testid="policy-saved">
                {t('policy.saved', { version: saved })}
              </p>
            )}
            <PolicyForm key={overview.data.versions[0]?.version} current={overview.data.current} onSaved={setSaved} />
          </section>
          <table className="table" data-testid="policy-versions">
            <caption>{t('policy.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.version')}</th>
                <th scope="col">{t('policy.effectiveFrom')}</th>
                <th scope="col">{t('policy.editor')}</th>
                <th scope="col">{t('policy.savedAt')}</th>
                <th scope="col">{t('policy.state')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.data.versions.map((v) => (
                <tr key={v.version} data-testid="policy-version-row">
                  <td>{v.version}</td>
                  <td>{formatDateTime(v.effective_from, language)}</td>
                  <td>{v.editor_login ?? t('policy.defaults')}</td>
                  <td>{formatDateTime(v.created_at, language)}</td>
                  <td>{v.in_force ? t('policy.inForce') : new Date(v.effective_from) > new Date() ? t('policy.scheduled') : t('policy.superseded')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
