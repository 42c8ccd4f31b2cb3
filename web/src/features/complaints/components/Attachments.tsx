import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorNotice';
import { Loading } from '@/components/Loading';
import type { Attachment } from '@/lib/api/types';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { formatDateTime } from '@/lib/time';
import { ATTACHMENT_TYPES, checkFile, MAX_ATTACHMENT_BYTES, attachmentBlobQuery, useAttachmentBlob, useAttachments, useUploadAttachments } from '../api/attachments';

// One object URL per downloaded blob, kept while the page lives (a revoke on unmount would break
// the same image shown again from the query cache).
const objectUrls = new WeakMap<Blob, string>();
function objectUrl(blob: Blob): string {
  let url = objectUrls.get(blob);
  if (!url) {
    url = URL.createObjectURL(blob);
    objectUrls.set(blob, url);
  }
  return url;
}

export function formatBytes(size: number, language: string): string {
  const kb = size / 1024;
  const number = kb < 1024 ? kb : kb / 1024;
  const text = new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(number);
  return `${text} ${kb < 1024 ? 'KB' : 'MB'}`;
}

function Thumbnail({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const blob = useAttachmentBlob(attachment);
  const url = blob.data ? objectUrl(blob.data) : null;
  if (blob.isError) return <span className="thumb thumb--empty">{t('attachments.noPreview')}</span>;
  if (!url) return <span className="thumb thumb--empty" aria-hidden="true" />;
  return (
    <a href={url} target="_blank" rel="noreferrer" className="thumb" data-testid="attachment-thumb-link">
      <img src={url} alt={t('attachments.photoAlt', { name: attachment.filename })} data-testid="attachment-thumb" />
    </a>
  );
}

function DownloadButton({ attachment }: { attachment: Attachment }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const blob = await queryClient.fetchQuery(attachmentBlobQuery(attachment));
      const link = document.createElement('a');
      link.href = objectUrl(blob);
      link.download = attachment.filename;
      document.body.append(link);
      link.click();
      link.remove();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="button button--small" onClick={() => void download()} disabled={busy} data-testid="attachment-download">
        {t('attachments.download')}
        <span className="visually-hidden"> {attachment.filename}</span>
      </button>
      {error ? <ErrorNotice error={error} /> : null}
    </>
  );
}

/** The file input with the client-side checks (type, 10 MiB); reports the chosen files. */
export function FilePicker({ files, onChange, label, testId }: { files: File[]; onChange: (files: File[]) => void; label: string; testId: string }) {
  const { t } = useI18n();
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  function onPick(event: ChangeEvent<HTMLInputElement>) {
    const picked = [...(event.target.files ?? [])];
    const bad = picked.map((f) => [f, checkFile(f)] as const).filter(([, p]) => p !== null);
    setProblem(bad.length > 0 ? bad.map(([f, p]) => t(`attachments.${p}` as MessageKey, { name: f.name, max: 10 })).join(' ') : null);
    onChange(picked.filter((f) => checkFile(f) === null));
  }
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <p className="field__hint" id={`${id}-hint`}>
        {t('attachments.hint', { max: 10 })}
      </p>
      {problem ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {problem}
        </p>
      ) : null}
      <input
        id={id}
        type="file"
        multiple
        accept={ATTACHMENT_TYPES.join(',')}
        className="field__file"
        aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ''}`}
        onChange={onPick}
        data-testid={testId}
        data-max-bytes={MAX_ATTACHMENT_BYTES}
      />
      {files.length > 0 ? <p className="muted">{t('attachments.chosen', { count: files.length })}</p> : null}
    </div>
  );
}

/** The complaint's photos and documents: thumbnails for images, downloads for PDFs, and an upload form. */
export function Attachments({ complaintId, canUpload }: { complaintId: string; canUpload: boolean }) {
  const { t, language } = useI18n();
  const list = useAttachments(complaintId);
  const upload = useUploadAttachments(complaintId);
  const [files, setFiles] = useState<File[]>([]);
  const [pickerKey, setPickerKey] = useState(0);

  return (
    <section className="card" aria-labelledby="attachments-title" data-testid="attachments">
      <h2 id="attachments-title">{t('attachments.title')}</h2>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.length === 0 ? <p className="muted">{t('attachments.empty')}</p> : null}
      {list.data && list.data.length > 0 ? (
        <ul className="attachments" data-testid="attachment-list">
          {list.data.map((a) => (
            <li key={a.id} className="attachment" data-testid="attachment" data-kind={a.kind}>
              {a.content_type.startsWith('image/') ? <Thumbnail attachment={a} /> : <span className="thumb thumb--doc" aria-hidden="true">PDF</span>}
              <div className="attachment__body">
                <p className="attachment__name">{a.filename}</p>
                <p className="muted">
                  {t(`attachments.kind.${a.kind}` as MessageKey)} · {formatBytes(a.size_bytes, language)} · {formatDateTime(a.created_at, language)}
                </p>
                <DownloadButton attachment={a} />
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {canUpload ? (
        <form
          className="form form--compact"
          onSubmit={(event) => {
            event.preventDefault();
            if (files.length === 0) return;
            upload.mutate(
              { files },
              {
                onSuccess: () => {
                  setFiles([]);
                  setPickerKey((k) => k + 1);
                },
              },
            );
          }}
        >
          <FilePicker key={pickerKey} files={files} onChange={setFiles} label={t('attachments.add')} testId="attachment-input" />
          {upload.isError ? <ErrorNotice error={upload.error} /> : null}
          {upload.isSuccess ? (
            <p className="notice notice--success" role="status">
              {t('attachments.uploaded', { count: upload.data.length })}
            </p>
          ) : null}
          <button type="submit" className="button button--secondary" disabled={upload.isPending || files.length === 0} data-testid="attachment-upload">
            {upload.isPending ? <span className="button__spinner" aria-hidden="true" /> : null}
            {t('attachments.upload')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
