import { render } from 'solid-js/web';
import { langFromSearch } from '../i18n/make-translator';
import { BriefingApp } from './BriefingApp';
import { makeBriefingI18n } from './i18n';
import { parseParams } from './tour';

/** Mounts the weekly briefing (/briefing) into `root`. */
export function mountBriefing(root: HTMLElement): void {
  const i18n = makeBriefingI18n(langFromSearch(window.location.search));
  document.documentElement.lang = i18n.lang;
  const params = parseParams(window.location.search, Date.now());
  render(() => <BriefingApp i18n={i18n} params={params} />, root);
}
