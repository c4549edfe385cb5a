import { render } from 'solid-js/web';
import { langOf } from '../console/i18n';
import { BriefingApp } from './BriefingApp';
import { makeBriefingI18n } from './i18n';
import { parseParams } from './tour';

/** Mounts the weekly briefing (/briefing) into `root`. */
export function mountBriefing(root: HTMLElement): void {
  const i18n = makeBriefingI18n(langOf(window.location.search));
  document.documentElement.lang = i18n.lang;
  const params = parseParams(window.location.search, Date.now());
  render(() => <BriefingApp i18n={i18n} params={params} />, root);
}
