//! A refusal said in words: the server's status and reason (DAV precondition or Agora's
//! own reason), "signed out", or "no connection".
import { ApiError } from '../api';
import { t } from '../i18n';
import { DavError } from '../manage';

export function refusal(e: unknown): string {
  if (e instanceof DavError) return t('manage.refused', { status: e.status, reason: e.reason || String(e.status) });
  if (e instanceof ApiError && e.status === 401) return t('manage.signedOut');
  if (e instanceof ApiError) return t('manage.refused', { status: e.status, reason: e.code });
  return t('manage.network');
}
