import { onCleanup } from 'solid-js';
import type { DeskState } from './desk-state';

/**
 * The desk's keyboard, for as long as the desk is on screen: j/k or ↓/↑ move in the queue, a and r
 * open the note to acknowledge or resolve, / jumps to the ward filter, Esc cancels. Letters typed
 * into a field are the officer's text, not shortcuts.
 */
export function createDeskKeys(desk: DeskState): void {
  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
    if (e.key === 'Escape') {
      desk.cancel();
      (document.activeElement as HTMLElement | null)?.blur();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      const next = desk.move(step);
      if (next) desk.refs.queue?.querySelector(`[data-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'a') {
      e.preventDefault();
      desk.startAction('ack');
    } else if (e.key === 'r') {
      e.preventDefault();
      desk.startAction('resolve');
    } else if (e.key === '/') {
      e.preventDefault();
      desk.refs.wardFilter?.focus();
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));
}
