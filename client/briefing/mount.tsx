import { render } from 'solid-js/web';

/** Mounts the weekly briefing (/briefing) into `root`. */
export function mountBriefing(root: HTMLElement): void {
  render(() => <div>briefing</div>, root);
}
