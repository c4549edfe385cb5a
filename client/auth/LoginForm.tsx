import { createSignal, Show } from 'solid-js';
import type { Lang } from '@shared/labels';
import { makeAuthI18n, signInErrorText } from './i18n';
import type { SessionInfo, SignInError } from './session';
import { signIn } from './session';

export interface LoginFormProps {
  lang: Lang;
  /** What signing in opens, e.g. "Sign in to the duty console". */
  title: string;
  /** How a failure is worded. @default a plain sentence per failure (signInErrorText) */
  errorText?: (e: SignInError) => string;
  onSignedIn: (s: SessionInfo) => void;
}

/** Name and password → POST /api/v1/session; errors said plainly under the form. */
export function LoginForm(props: LoginFormProps) {
  const i18n = makeAuthI18n(props.lang);
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(null);
    const r = await signIn(name().trim(), password());
    setBusy(false);
    if (r.ok) props.onSignedIn(r.session);
    else {
      setPassword('');
      setError(props.errorText ? props.errorText(r.error) : signInErrorText(r.error, i18n));
    }
  };

  return (
    <form class="login" data-testid="login-form" onSubmit={(e) => void submit(e)}>
      <h1 class="login__title">{props.title}</h1>
      <label class="login__field">
        <span>{i18n.t('name')}</span>
        <input name="name" autocomplete="username" required value={name()} onInput={(e) => setName(e.currentTarget.value)} autofocus />
      </label>
      <label class="login__field">
        <span>{i18n.t('password')}</span>
        <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="btn btn--primary" disabled={busy()}>
        {busy() ? i18n.t('signingIn') : i18n.t('signIn')}
      </button>
      <Show when={error()}>
        <p class="login__error" role="alert" data-testid="login-error">
          {error()}
        </p>
      </Show>
    </form>
  );
}
