import type { I18n } from '../i18n/wall';

/** Simulated data must never pass for real on a leader's wall. */
export function DemoBanner(props: { i18n: I18n }) {
  return (
    <div class="demo-banner" data-testid="demo-banner" role="note">
      {props.i18n.lang === 'vi' ? 'DỮ LIỆU MÔ PHỎNG / DEMO DATA' : 'DEMO DATA / DỮ LIỆU MÔ PHỎNG'}
    </div>
  );
}
