import { render } from 'solid-js/web';
import { ConsolePage } from './ConsolePage';
import { langFromSearch } from '../i18n/make-translator';
import { makeConsoleI18n } from './i18n';

/** Mounts the duty console (/console) into `root`. */
export function mountConsole(root: HTMLElement): void {
  const i18n = makeConsoleI18n(langFromSearch(window.location.search));
  document.documentElement.lang = i18n.lang;
  render(() => <ConsolePage i18n={i18n} />, root);
}
