import { createSignal, Show } from 'solid-js';
import type { SessionInfo, SignInError } from './session';
import { signIn } from './session';

export interface LoginTexts {
  title: string;
  name: string;
  password: string;
  signIn: string;
  signingIn: string;
  error: (e: SignInError) => string;
}

/** Name and password → POST /api/v1/session; errors said plainly under the form. */
export function LoginForm(props: { texts: LoginTexts; onSignedIn: (s: SessionInfo) => void }) {
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
      setError(props.texts.error(r.error));
    }
  };

  return (
    <form class="login" data-testid="login-form" onSubmit={(e) => void submit(e)}>
      <h1 class="login__title">{props.texts.title}</h1>
      <label class="login__field">
        <span>{props.texts.name}</span>
        <input name="name" autocomplete="username" required value={name()} onInput={(e) => setName(e.currentTarget.value)} autofocus />
      </label>
      <label class="login__field">
        <span>{props.texts.password}</span>
        <input name="password" type="password" autocomplete="current-password" required value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <button type="submit" class="btn btn--primary" disabled={busy()}>
        {busy() ? props.texts.signingIn : props.texts.signIn}
      </button>
      <Show when={error()}>
        <p class="login__error" role="alert" data-testid="login-error">
          {error()}
        </p>
      </Show>
    </form>
  );
}
