import { Show } from 'solid-js';
import { MAX_NOTE_LENGTH, type Alert } from '@shared/alerts';
import type { DeskState } from './desk-state';

/** Acknowledge and resolve: the buttons, or the note being written for one of them, and how it went. */
export function AlertActions(props: { desk: DeskState; alert: Alert }) {
  const { desk } = props;
  const { i18n } = desk;
  return (
    <div class="actions">
      <Show
        when={desk.mode()}
        fallback={
          <>
            <button class="btn btn--primary" data-testid="ack-button" disabled={!desk.mayAct || desk.replaying() || props.alert.state !== 'open'} onClick={() => desk.startAction('ack')}>
              {i18n.t('acknowledge')} <kbd>a</kbd>
            </button>
            <button class="btn" data-testid="resolve-button" disabled={!desk.mayAct || desk.replaying() || props.alert.state === 'resolved'} onClick={() => desk.startAction('resolve')}>
              {i18n.t('resolve')} <kbd>r</kbd>
            </button>
          </>
        }
      >
        {(m) => (
          <form
            class="actions__form"
            onSubmit={(e) => {
              e.preventDefault();
              void desk.confirm();
            }}
          >
            <input
              ref={(n) => (desk.refs.note = n)}
              class="actions__note"
              data-testid="action-note"
              maxlength={MAX_NOTE_LENGTH}
              placeholder={m() === 'ack' ? i18n.t('notePlaceholderAck') : i18n.t('notePlaceholderResolve')}
              value={desk.note()}
              onInput={(e) => desk.setNote(e.currentTarget.value)}
              disabled={desk.busy()}
            />
            <button type="submit" class="btn btn--primary" data-testid="action-confirm" disabled={desk.busy()}>
              {m() === 'ack' ? i18n.t('acknowledge') : i18n.t('resolve')}
            </button>
            <button type="button" class="btn" onClick={() => desk.cancel()}>
              {i18n.t('cancel')}
            </button>
          </form>
        )}
      </Show>
      <Show when={desk.message()}>
        {(m) => (
          <p class="actions__message" classList={{ 'actions__message--error': !m().ok }} data-testid="action-message" role="status">
            {m().text}
          </p>
        )}
      </Show>
    </div>
  );
}
