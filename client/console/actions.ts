import type { AlertActionResult } from '@shared/protocol';
import type { ConsoleI18n } from './i18n';

/** What to tell the officer after an action: a plain sentence, and whether it went through. */
export function actionOutcome(result: AlertActionResult, action: 'ack' | 'resolve', i18n: ConsoleI18n): { ok: boolean; text: string } {
  if (result.ok) return { ok: true, text: i18n.t(action === 'ack' ? 'acknowledgedOk' : 'resolvedOk') };
  const { status, code, message } = result.error;
  if (status === 0) return { ok: false, text: i18n.t('noAnswer') };
  if (code === 'already_acknowledged') {
    const by = /already acknowledged by (.+?) at /.exec(message)?.[1];
    if (by) return { ok: false, text: i18n.t('alreadyAcknowledged', { by }) };
  }
  return { ok: false, text: i18n.t('actionFailed', { m: message }) };
}
