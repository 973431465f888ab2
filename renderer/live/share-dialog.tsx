/**
 * The facilitator's "Share with the room" dialog: pick the network interface, allow comments or not,
 * start and stop; shows the participants' address as text and as a QR code, how many follow, and the
 * comments with a hide/show switch each (a command, so it can be undone).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShareAddress } from '../../shared/contract/host-api';
import { useHost, useReportingCall } from '../app/host-context';
import { Modal } from '../app/modal';
import { useLiveStore } from './live-store';

export function ShareDialog({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const host = useHost();
  const run = useReportingCall();
  const sharing = useLiveStore((state) => state.sharing);
  const comments = useLiveStore((state) => state.comments);
  const [addresses, setAddresses] = useState<ShareAddress[]>([]);
  const [address, setAddress] = useState('127.0.0.1');
  const [allowComments, setAllowComments] = useState(true);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void run(() => host.listShareAddresses({})).then((list) => list && setAddresses(list));
  }, [host, run]);

  const start = async () => {
    setBusy(true);
    const status = await run(() => host.startSharing({ address, allowComments }));
    setBusy(false);
    if (status) useLiveStore.getState().setSharing(status);
  };
  const stop = async () => {
    setBusy(true);
    const status = await run(() => host.stopSharing({}));
    setBusy(false);
    if (status) useLiveStore.getState().setSharing(status);
  };
  const setHidden = (fid: number, hidden: boolean) => void run(() => host.runCommand({ command: { type: 'comment.setHidden', fid, hidden } }));

  const active = sharing?.active ?? false;
  return (
    <Modal title={t('share.title')} onClose={onClose} wide testId="share-dialog">
      {!active ? (
        <div className="share-setup">
          <p>{t('share.intro')}</p>
          <label className="field">
            <span className="field-label">{t('share.address')}</span>
            <select value={address} onChange={(event) => setAddress(event.target.value)} data-testid="share-address">
              {addresses.map((entry) => (
                <option key={entry.address} value={entry.address}>
                  {entry.loopback ? t('share.loopback', { address: entry.address }) : `${entry.address} (${entry.interfaceName})`}
                </option>
              ))}
            </select>
          </label>
          <label className="checkbox-field">
            <input type="checkbox" checked={allowComments} onChange={(event) => setAllowComments(event.target.checked)} data-testid="share-allow-comments" />
            {t('share.allowComments')}
          </label>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void start()} data-testid="share-start">
            {t('share.start')}
          </button>
        </div>
      ) : (
        <div className="share-active">
          <div className="share-address-block">
            {sharing?.qrSvg && <img className="share-qr" alt={t('share.qrAlt')} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(sharing.qrSvg)}`} data-testid="share-qr" />}
            <div>
              <p className="field-label">{t('share.participantAddress')}</p>
              <p className="share-url" data-testid="share-url">
                {sharing?.url}
              </p>
              <p data-testid="share-participants">{t('share.participants', { count: sharing?.participants ?? 0 })}</p>
              <p className="field-hint">{sharing?.allowComments ? t('share.commentsOn') : t('share.commentsOff')}</p>
              <button type="button" className="button" disabled={busy} onClick={() => void stop()} data-testid="share-stop">
                {t('share.stop')}
              </button>
            </div>
          </div>
        </div>
      )}
      <h3 className="share-comments-title">{t('share.comments', { count: comments.length })}</h3>
      {comments.length === 0 ? (
        <p className="field-hint">{t('share.noComments')}</p>
      ) : (
        <ol className="share-comments" data-testid="share-comments">
          {comments.map((comment) => (
            <li key={comment.fid} className={comment.hidden ? 'share-comment share-comment--hidden' : 'share-comment'}>
              <span className="share-comment-text">{comment.text}</span>
              <span className="share-comment-meta">
                {comment.author || t('share.anonymous')} · {new Date(comment.createdAt).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' })}
              </span>
              <button type="button" className="button" onClick={() => setHidden(comment.fid, !comment.hidden)} data-testid="share-comment-toggle">
                {comment.hidden ? t('share.show') : t('share.hide')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </Modal>
  );
}
