import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { LoginForm } from '../auth/LoginForm';
import type { SessionInfo } from '../auth/session';
import { currentSession, SIGNED_IN_HINT_KEY, signOut } from '../auth/session';
import { ConsoleDesk } from './ConsoleDesk';
import type { ConsoleI18n } from './i18n';
import './console.css';

/** /console: sign in, then the duty desk. Nothing of the desk exists before a session does. */
export function ConsolePage(props: { i18n: ConsoleI18n }) {
  const { i18n } = props;
  const [session, setSession] = createSignal<SessionInfo | null>(null);
  const [checked, setChecked] = createSignal(false);
  const [ended, setEnded] = createSignal(false);
  document.title = i18n.t('title');

  onMount(() => {
    // A reload keeps the session the cookie holds.
    void currentSession().then((s) => {
      if (s && !session()) setSession(s);
      setChecked(true);
    });
  });

  // The server ended the session (expiry, or signed out elsewhere): back to the form, saying why.
  const sessionEnded = () => {
    sessionStorage.removeItem(SIGNED_IN_HINT_KEY);
    setSession(null);
    setEnded(true);
    setChecked(true);
  };
  const signedIn = (s: SessionInfo) => {
    setEnded(false);
    setSession(s);
  };

  const out = async () => {
    const s = session();
    setSession(null);
    await signOut(s?.token);
  };

  return (
    <div class="console" lang={i18n.lang}>
      <Switch>
        <Match when={session()}>
          {(s) => <ConsoleDesk i18n={i18n} session={s()} onSignOut={() => void out()} onSessionEnded={sessionEnded} />}
        </Match>
        <Match when={checked()}>
          <div class="console__login">
            <Show when={ended()}>
              <p class="console__ended" role="status" data-testid="session-ended">
                {i18n.t('sessionEnded')}
              </p>
            </Show>
            <LoginForm lang={i18n.lang} title={i18n.t('signInTitle')} onSignedIn={signedIn} />
          </div>
        </Match>
      </Switch>
    </div>
  );
}
