import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Field } from '@/components/Field';
import { FormProblem } from '@/components/FormProblem';
import { Loading } from '@/components/Loading';
import { PageHeading } from '@/components/PageHeading';
import { NO_ITEMS } from '@/lib/api/keyset';
import type { AdminBuilding, OpenComplaints } from '@/lib/api/types';
import { localiseReportError, serverFieldError } from '@/lib/form-errors';
import { useDebounced } from '@/lib/hooks/useDebounced';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import {
  useAdminBuildings,
  useChangeManagement,
  useCreateBuilding,
  useImportBuildings,
  useManagementHistory,
  useOrganisationPages,
  useUpdateBuilding,
} from '../api/registries';
import { AdminList, RowButton } from './AdminList';
import { SaveButtons, SavedNotice } from './RegistryForm';

const FIELDS = ['address', 'district', 'fias_id', 'latitude', 'longitude', 'company_id'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { address: '', district: '', fias_id: '', latitude: '', longitude: '', company_id: '' };
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
const num = (v: string) => (v.trim() === '' ? null : Number(v.replace(',', '.')));

function useCompanies() {
  return useOrganisationPages('management_company').data?.items ?? NO_ITEMS;
}

function BuildingForm({ editing, onDone }: { editing: AdminBuilding | null; onDone: () => void }) {
  const { t } = useI18n();
  const companies = useCompanies();
  const create = useCreateBuilding();
  const update = useUpdateBuilding();
  const mutation = editing ? update : create;
  const [v, setV] = useState<Values>(
    editing
      ? {
          address: editing.address,
          district: editing.district,
          fias_id: editing.fias_id ?? '',
          latitude: editing.latitude?.toString() ?? '',
          longitude: editing.longitude?.toString() ?? '',
          company_id: editing.company?.id ?? '',
        }
      : EMPTY,
  );
  const [saved, setSaved] = useState<string | null>(null);
  const set = (f: keyof Values, value: string) => setV((old) => ({ ...old, [f]: value }));
  const err = (f: keyof Values) => serverFieldError(mutation.error, f);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const common = { address: v.address.trim(), district: v.district.trim(), fias_id: orNull(v.fias_id), latitude: num(v.latitude), longitude: num(v.longitude) };
    const done = (b: AdminBuilding) => {
      setSaved(b.address);
      if (!editing) setV(EMPTY);
      onDone();
    };
    if (editing) update.mutate({ id: editing.id, body: common }, { onSuccess: done });
    else create.mutate({ ...common, company_id: orNull(v.company_id) }, { onSuccess: done });
  }
  return (
    <form className="form" noValidate onSubmit={onSubmit} data-testid="building-form">
      <FormProblem error={mutation.error} fields={FIELDS} />
      <SavedNotice name={saved} />
      <div className="form-grid">
        <Field label={t('complaint.address')} error={err('address')}>
          {(props) => <input {...props} name="address" className="field__input" value={v.address} onChange={(e) => set('address', e.target.value)} />}
        </Field>
        <Field label={t('registry.district')} error={err('district')}>
          {(props) => <input {...props} name="district" className="field__input" value={v.district} onChange={(e) => set('district', e.target.value)} />}
        </Field>
        <Field label={t('registry.fias')} error={err('fias_id')}>
          {(props) => <input {...props} className="field__input" value={v.fias_id} onChange={(e) => set('fias_id', e.target.value)} />}
        </Field>
        <Field label={t('registry.latitude')} error={err('latitude')}>
          {(props) => <input {...props} name="latitude" inputMode="decimal" className="field__input" value={v.latitude} onChange={(e) => set('latitude', e.target.value)} />}
        </Field>
        <Field label={t('registry.longitude')} error={err('longitude')}>
          {(props) => <input {...props} inputMode="decimal" className="field__input" value={v.longitude} onChange={(e) => set('longitude', e.target.value)} />}
        </Field>
        {editing ? null : (
          <Field label={t('complaint.company')} error={err('company_id')}>
            {(props) => (
              <select {...props} className="field__input" value={v.company_id} onChange={(e) => set('company_id', e.target.value)}>
                <option value="">{t('registry.noCompany')}</option>
                {companies.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <SaveButtons editing={editing !== null} pending={mutation.isPending} onCancel={onDone} />
    </form>
  );
}

function Management({ building }: { building: AdminBuilding }) {
  const { t, language } = useI18n();
  const history = useManagementHistory(building.id);
  const change = useChangeManagement(building.id);
  const companies = useCompanies();
  const [companyId, setCompanyId] = useState('');
  const [openComplaints, setOpenComplaints] = useState<OpenComplaints>('move');
  return (
    <section className="card" aria-labelledby="mgmt-title" data-testid="management">
      <h2 id="mgmt-title">{t('registry.management', { address: building.address })}</h2>
      <p className="muted">{t('registry.managementNote')}</p>
      {history.isPending ? <Loading /> : null}
      {history.isError ? <ErrorNotice error={history.error} /> : null}
      {history.data ? (
        history.data.length === 0 ? (
          <p>{t('registry.noHistory')}</p>
        ) : (
          <ol className="plain-list" data-testid="management-history">
            {history.data.map((p) => (
              <li key={p.since}>
                <strong>{p.company.name}</strong> · {formatDateTime(p.since, language)} — {p.until ? formatDateTime(p.until, language) : t('registry.now')}
              </li>
            ))}
          </ol>
        )
      ) : null}
      <form
        className="form form--compact"
        onSubmit={(event) => {
          event.preventDefault();
          if (companyId) change.mutate({ companyId, openComplaints });
        }}
      >
        {change.isError ? <ErrorNotice error={change.error} /> : null}
        {change.data ? (
          <p className="notice notice--success" role="status" data-testid="management-moved">
            {t('admin.management.moved', { n: change.data.moved_complaints })}
          </p>
        ) : null}
        <Field label={t('registry.newCompany')}>
          {(props) => (
            <select {...props} className="field__input" value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
              <option value="">{t('admin.orgChoose')}</option>
              {companies
                .filter((c) => c.id !== building.company?.id)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <fieldset className="fieldset" data-testid="management-open-complaints">
          <legend>{t('admin.management.openComplaints')}</legend>
          {(['move', 'keep'] as const).map((choice) => (
            <label key={choice} className="checkbox">
              <input type="radio" name="open-complaints" value={choice} checked={openComplaints === choice} onChange={() => setOpenComplaints(choice)} />
              <span>{t(`admin.management.openComplaints.${choice}`)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button--secondary" disabled={!companyId || change.isPending}>
          {t('registry.changeCompany')}
        </button>
      </form>
    </section>
  );
}

function ImportCsv() {
  const { t } = useI18n();
  const importer = useImportBuildings();
  const [file, setFile] = useState<File | null>(null);
  return (
    <section className="card" aria-labelledby="import-title" data-testid="import">
      <h2 id="import-title">{t('registry.import')}</h2>
      <p className="muted">{t('registry.importHint')}</p>
      <form
        className="form form--compact"
        onSubmit={(event) => {
          event.preventDefault();
          if (file) importer.mutate(file);
        }}
      >
        <div className="field">
          <label htmlFor="csv-file" className="field__label">
            {t('registry.csvFile')}
          </label>
          <input id="csv-file" type="file" accept=".csv,text/csv" className="field__file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="csv-input" />
        </div>
        <button type="submit" className="button button--secondary" disabled={!file || importer.isPending} data-testid="csv-import">
          {t('registry.importSubmit')}
        </button>
      </form>
      {importer.isError ? <ErrorNotice error={importer.error} /> : null}
      {importer.data ? (
        <div className="notice notice--success" role="status" data-testid="import-report">
          <p className="notice__title">{t('registry.imported', { count: importer.data.imported })}</p>
          {importer.data.rejected.length > 0 ? (
            <>
              <p>{t('registry.rejected', { count: importer.data.rejected.length })}</p>
              <ul data-testid="import-rejected">
                {importer.data.rejected.map((r) => (
                  <li key={r.line}>
                    {t('registry.line', { line: r.line })}: {r.errors.map(localiseReportError).join('; ')}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Administrator: the buildings registry with search, company filter, CSV import, management history. */
export function BuildingsPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [companyId, setCompanyId] = useState('');
  const [editing, setEditing] = useState<AdminBuilding | null>(null);
  const debounced = useDebounced(q.trim(), 300);
  const pages = useAdminBuildings(debounced, companyId);
  const companies = useCompanies();
  const items = pages.data?.items ?? NO_ITEMS;
  const title = t('registry.buildings');
  return (
    <div data-testid="admin-buildings">
      <PageHeading title={title}>{title}</PageHeading>
      <div className="registry-grid">
        <section className="card" aria-labelledby="b-form-title">
          <h2 id="b-form-title">{editing ? t('registry.editing', { name: editing.address }) : t('registry.newBuilding')}</h2>
          <BuildingForm key={editing?.id ?? 'new'} editing={editing} onDone={() => setEditing(null)} />
        </section>
        <ImportCsv />
      </div>
      {editing ? <Management key={editing.id} building={editing} /> : null}
      <AdminList
        id="b-list-title"
        title={title}
        list={pages}
        items={items}
        rowKey={(b) => b.id}
        tableTestId="building-table"
        empty={t('registry.nothing')}
        pages={pages}
        toolbar={
          <div className="toolbar registry-filters">
            <Field label={t('registry.search')}>
              {(props) => <input {...props} type="search" className="field__input" value={q} onChange={(e) => setQ(e.target.value)} data-testid="building-search" />}
            </Field>
            <Field label={t('complaint.company')}>
              {(props) => (
                <select {...props} className="field__input" value={companyId} onChange={(e) => setCompanyId(e.target.value)}>
                  <option value="">{t('registry.allCompanies')}</option>
                  {companies.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        }
        columns={[
          { key: 'address', header: t('complaint.address'), cell: (b) => b.address },
          { key: 'district', header: t('registry.district'), cell: (b) => b.district },
          { key: 'company', header: t('complaint.company'), cell: (b) => b.company?.name ?? '—' },
          {
            key: 'actions',
            header: t('registry.actions'),
            hiddenHeader: true,
            cell: (b) => <RowButton label={t('registry.edit')} name={b.address} onClick={() => setEditing(b)} />,
          },
        ]}
      />
    </div>
  );
}
