import type { I18n } from '../i18n/wall';
import { formatClock } from './format';

export function WallClock(props: { i18n: I18n; now: number }) {
  const parts = () => formatClock(props.now, props.i18n.locale);
  return (
    <div class="clock" data-testid="clock">
      <div class="clock__time">{parts().time}</div>
      <div class="clock__date">{parts().date}</div>
    </div>
  );
}
