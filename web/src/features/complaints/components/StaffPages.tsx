import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Field } from '@/components/Field';
import { PageHeading } from '@/components/PageHeading';
import { CLOCK_KINDS, CLOCK_STATES, STATUSES, type ComplaintQuery, type ComplaintSort } from '@/lib/api/types';
import { useI18n } from '@/lib/i18n';
import { cityLocalToIso } from '@/lib/time';
import { useBuildingSearch, useCategories } from '../api/queries';
import { CompanyPicker } from '@/components/CompanyPicker';
import { ComplaintList } from './ComplaintList';

type CompanyView = 'work' | 'verification' | 'all';
const COMPANY_VIEWS: Record<CompanyView, string | undefined> = {
  work: 'registered,in_progress',
  verification: 'awaiting_verification',
  all: undefined,
};

/** The management company's queue: overdue and urgent first, deadlines counting down. */
export function CompanyQueue() {
  const { t } = useI18n();
  const [view, setView] = useState<CompanyView>('work');
  const status = COMPANY_VIEWS[view];
  return (
    <div data-testid="company-queue">
      <PageHeading title={t('company.title')}>{t('company.title')}</PageHeading>
      <p className="lead">{t('company.lead')}</p>
      <div className="toolbar">
        <Field label={t('company.view')}>
          {(props) => (
            <select {...props} className="field__input" value={view} onChange={(e) => setView(e.target.value as CompanyView)}>
              <option value="work">{t('company.view.work')}</option>
              <option value="verification">{t('company.view.verification')}</option>
              <option value="all">{t('company.view.all')}</option>
            </select>
          )}
        </Field>
      </div>
      <ComplaintList
        query={{ sort: 'due_soon', limit: 20, ...(status ? { status } : {}) }}
        label={t('company.title')}
        empty={t('company.empty')}
        live
      />
    </div>
  );
}

type FilterKey = 'status' | 'company_id' | 'category_id' | 'district' | 'overdue' | 'min_round' | 'from' | 'to' | 'q' | 'sort' | 'clock' | 'clock_state';

/** The city dispatcher's control board: every complaint, filters kept in the address bar. */
export function DispatcherBoard() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  // Open on wide screens, or when a filter is set; folded away on a phone.
  const [filtersOpen, setFiltersOpen] = useState(
    () => [...params.keys()].some((k) => k !== 'q') || (typeof window.matchMedia === 'function' && window.matchMedia('(min-width: 48rem)').matches),
  );
  const categories = useCategories();
  const companyId = params.get('company_id');
  const buildings = useBuildingSearch('', 50);

  const districts = useMemo(
    () => [...new Set((buildings.data ?? []).map((b) => b.district))].sort((a, b) => a.localeCompare(b)),
    [buildings.data],
  );

  const query: ComplaintQuery = { limit: 20, sort: (params.get('sort') as ComplaintSort | null) ?? 'due_soon' };
  const status = params.get('status');
  if (status) query.status = status === 'open' ? 'registered,needs_routing,in_progress,awaiting_verification,under_inspection' : status;
  for (const key of ['company_id', 'category_id', 'district', 'q'] as const) {
    const v = params.get(key);
    if (v) query[key] = v;
  }
  if (params.get('overdue') === 'true') query.overdue = true;
  if (params.get('min_round')) query.min_round = Number(params.get('min_round'));
  const clock = CLOCK_KINDS.find((k) => k === params.get('clock'));
  const clockState = CLOCK_STATES.find((s) => s === params.get('clock_state'));
  if (clock) query.clock = clock;
  if (clockState) query.clock_state = clockState;
  const from = params.get('from');
  const to = params.get('to');
  if (from) query.from = cityLocalToIso(`${from}T00:00`) ?? undefined;
  if (to) query.to = cityLocalToIso(`${to}T00:00`) ? new Date(Date.parse(cityLocalToIso(`${to}T00:00`)!) + 86_400_000).toISOString() : undefined;

  function set(key: FilterKey, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }
  function onSearch(event: FormEvent) {
    event.preventDefault();
    set('q', q.trim());
  }

  return (
    <div data-testid="dispatcher-board">
      <PageHeading title={t('board.title')}>{t('board.title')}</PageHeading>
      <p className="actions">
        <Link className="button button--secondary" to="/dispatcher/verification">
          {t('verify.title')}
        </Link>
      </p>
      <form className="search" role="search" onSubmit={onSearch}>
        <Field label={t('board.q')} hint={t('board.qHint')}>
          {(props) => <input {...props} className="field__input" type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <button type="submit" className="button button--primary">
          {t('board.find')}
        </button>
      </form>
      <details className="filters" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary>{t('board.filters')}</summary>
        <div className="filters__grid">
          <Field label={t('board.status')}>
            {(props) => (
              <select {...props} className="field__input" value={status ?? ''} onChange={(e) => set('status', e.target.value)}>
                <option value="">{t('board.any')}</option>
                <option value="open">{t('board.open')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <CompanyPicker
            label={t('complaint.company')}
            testId="board-company"
            value={companyId ? { id: companyId, name: params.get('company_name') ?? companyId } : null}
            onChange={(company) => {
              const next = new URLSearchParams(params);
              if (company) {
                next.set('company_id', company.id);
                next.set('company_name', company.name);
              } else {
                next.delete('company_id');
                next.delete('company_name');
              }
              setParams(next, { replace: true });
            }}
          />
          <Field label={t('complaint.category')}>
            {(props) => (
              <select {...props} className="field__input" value={params.get('category_id') ?? ''} onChange={(e) => set('category_id', e.target.value)}>
                <option value="">{t('board.any')}</option>
                {(categories.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {language === 'ru' ? c.name_ru : c.name_en}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('board.district')}>
            {(props) => (
              <select {...props} className="field__input" value={params.get('district') ?? ''} onChange={(e) => set('district', e.target.value)}>
                <option value="">{t('board.any')}</option>
                {districts.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('board.from')}>
            {(props) => <input {...props} className="field__input" type="date" value={from ?? ''} onChange={(e) => set('from', e.target.value)} />}
          </Field>
          <Field label={t('board.to')}>
            {(props) => <input {...props} className="field__input" type="date" value={to ?? ''} onChange={(e) => set('to', e.target.value)} />}
          </Field>
          <Field label={t('board.clock')}>
            {(props) => (
              <select {...props} className="field__input" data-testid="board-clock" value={clock ?? ''} onChange={(e) => set('clock', e.target.value)}>
                <option value="">{t('board.any')}</option>
                {CLOCK_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`clock.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('board.clockState')}>
            {(props) => (
              <select {...props} className="field__input" data-testid="board-clock-state" value={clockState ?? ''} onChange={(e) => set('clock_state', e.target.value)}>
                <option value="">{t('board.any')}</option>
                {CLOCK_STATES.map((s) => (
                  <option key={s} value={s}>
                    {t(`clockState.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('board.sort')}>
            {(props) => (
              <select {...props} className="field__input" value={query.sort} onChange={(e) => set('sort', e.target.value)}>
                <option value="due_soon">{t('sort.due_soon')}</option>
                <option value="newest">{t('sort.newest')}</option>
                <option value="oldest">{t('sort.oldest')}</option>
              </select>
            )}
          </Field>
          <div className="filters__checks">
            <label className="checkbox">
              <input type="checkbox" checked={params.get('overdue') === 'true'} onChange={(e) => set('overdue', e.target.checked ? 'true' : '')} />
              <span>{t('board.overdue')}</span>
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={params.get('min_round') === '2'} onChange={(e) => set('min_round', e.target.checked ? '2' : '')} />
              <span>{t('board.repeat')}</span>
            </label>
          </div>
        </div>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setQ('');
            setParams(new URLSearchParams(), { replace: true });
          }}
        >
          {t('board.reset')}
        </button>
      </details>
      <ComplaintList query={query} label={t('board.title')} empty={t('board.empty')} showCompany testId="board-list" live />
    </div>
  );
}

/** The housing inspection: complaints under inspection, and orders being carried out. */
export function InspectorQueue() {
  const { t } = useI18n();
  return (
    <div data-testid="inspector-queue">
      <PageHeading title={t('inspector.title')}>{t('inspector.title')}</PageHeading>
      <p className="lead">{t('inspector.lead')}</p>
      <section aria-labelledby="insp-now">
        <h2 id="insp-now">{t('inspector.under')}</h2>
        <ComplaintList query={{ status: 'under_inspection', sort: 'due_soon', limit: 20 }} label={t('inspector.under')} empty={t('inspector.underEmpty')} showCompany />
      </section>
      <section aria-labelledby="insp-orders">
        <h2 id="insp-orders">{t('inspector.orders')}</h2>
        <ComplaintList
          query={{ status: 'in_progress,awaiting_verification', sort: 'due_soon', limit: 100 }}
          filter={(c) => c.order !== null && c.order !== undefined}
          label={t('inspector.orders')}
          empty={t('inspector.ordersEmpty')}
          showCompany
        />
      </section>
    </div>
  );
}
