import type { I18n } from '../i18n/wall';
import { formatClock } from './format';

/** The wall's clock, in Huế time; replaying, the replayed time (`data-at` holds it to the second, for tests and tools). */
export function WallClock(props: { i18n: I18n; now: number; replay?: boolean }) {
  const parts = () => formatClock(props.now, props.i18n.locale);
  return (
    <div class="clock" classList={{ 'clock--replay': !!props.replay }} data-testid="clock" data-at={new Date(Math.floor(props.now / 1000) * 1000).toISOString()}>
      <div class="clock__time">{parts().time}</div>
      <div class="clock__date">{parts().date}</div>
    </div>
  );
}
