import { Show } from 'solid-js';
import { AlertActions } from './AlertActions';
import { AlertEvidence } from './AlertEvidence';
import type { DeskState } from './desk-state';
import { formatTime, sourceText, wardName } from './desk-text';

/** The right column: the selected alert, who has handled it so far, the actions and the evidence. */
export function AlertDetail(props: { desk: DeskState }) {
  const { desk } = props;
  const { i18n } = desk;
  return (
    <section class="desk__detail" data-testid="alert-detail">
      <Show when={desk.selected()} fallback={<p class="desk__empty">{i18n.t('selectAlert')}</p>}>
        {(a) => (
          <>
            <div class="detail__head">
              <span class={`detail__sev sev${a().severity}`}>{a().severity}</span>
              <div>
                <h2 class="detail__title" data-testid="detail-title">
                  {i18n.label(a().title)}
                </h2>
                <p class="detail__why">{i18n.label(a().explanation)}</p>
                <p class="detail__meta">
                  {wardName(a().ward, i18n)} · {sourceText(a(), i18n)} · {i18n.t('raisedAt')} {formatTime(a().raisedAt, i18n.locale)}
                  <Show when={a().level > 0}> · {i18n.t('escalated', { n: a().level })}</Show>
                </p>
                <Show when={a().acknowledged}>
                  {(s) => (
                    <p class="detail__step" data-testid="detail-acknowledged">
                      {i18n.t('acknowledgedBy', { by: s().by, at: formatTime(s().at, i18n.locale) })}
                      <Show when={s().note}> — “{s().note}”</Show>
                    </p>
                  )}
                </Show>
                <Show when={a().resolved}>
                  {(s) => (
                    <p class="detail__step">
                      {i18n.t('resolvedBy', { by: s().by, at: formatTime(s().at, i18n.locale) })} — “{s().note}”
                    </p>
                  )}
                </Show>
              </div>
            </div>
            <AlertActions desk={desk} alert={a()} />
            <AlertEvidence desk={desk} alert={a()} />
          </>
        )}
      </Show>
    </section>
  );
}
