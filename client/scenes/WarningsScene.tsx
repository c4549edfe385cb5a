import { For, Show } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { Incident } from '@shared/schemas';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n/wall';
import type { BBox } from '../map/geo';
import { WardMap } from '../map/WardMap';
import { WARNED_WARD_COLOR } from '../map/warning-layers';
import type { ActiveWarning } from '../warnings/active-warnings';
import { expiryText } from '../warnings/WarningBanner';
import '../warnings/warnings.css';
import { certaintyLabel, formatWarningTime, senderOf, SEVERITY_COLORS, SEVERITY_LABELS, URGENCY_LABELS } from '../warnings/warning-text';

export interface WarningsSceneProps {
  i18n: I18n;
  warnings: Accessor<readonly ActiveWarning[]>;
  /** What the map fits to: the warnings' areas over Huế, or null for the whole city. */
  bounds: Accessor<BBox | null>;
  incidents: Accessor<readonly Incident[]>;
}

const NO_VALUES = {};

// Short names: a warning may cover a dozen wards, and "Phường" before each would fill the card.
const wardName = (code: string, i18n: I18n) => {
  const w = wardByCode(code);
  return w ? (i18n.lang === 'vi' ? w.name : w.nameAscii) : code;
};

/**
 * Disaster mode's scene: the map fitted to the warning areas with the affected wards lit and named,
 * beside every warning in force with what CAP says about it.
 */
export function WarningsScene(props: WarningsSceneProps) {
  const { i18n } = props;
  // Short facts sit two to a line; the long ones (period, sender, instruction, wards) take a line each.
  const row = (label: string, value: string, opts: { wide?: boolean; testId?: string } = {}) => (
    <div class="warning-card__row" classList={{ 'warning-card__row--wide': opts.wide ?? false }}>
      <dt>{label}</dt>
      <dd data-testid={opts.testId}>{value}</dd>
    </div>
  );
  return (
    <div class="warnings-scene" data-testid="warnings-scene">
      <div class="wall__map warnings-scene__map">
        {/* No KPI fill here: the warning's stripes and the lit wards are the only colour. */}
        <WardMap
          i18n={i18n}
          testId="warnings-map"
          attribution={false}
          wardValues={() => NO_VALUES}
          reports={() => []}
          incidents={props.incidents}
          warnings={props.warnings}
          fitTo={props.bounds}
        />
        <div class="legend warnings-scene__legend">
          <span class="legend__sev">
            <span class="warnings-legend__hatch" />
            {i18n.t('warningAreaLegend')}
          </span>
          <span class="legend__sev">
            <span class="warnings-legend__ward" style={{ 'border-color': WARNED_WARD_COLOR }} />
            {i18n.t('warningWardsLegend')}
          </span>
        </div>
      </div>
      <aside class="warnings-scene__list" classList={{ 'warnings-scene__list--many': props.warnings().length > 1 }}>
        <h2 class="scene-title">{i18n.t('warningsTitle')}</h2>
        <Show when={props.warnings().length > 0} fallback={<div class="scene-empty">{i18n.t('noWarnings')}</div>}>
          <For each={props.warnings()}>
            {(w) => {
              const colors = SEVERITY_COLORS[w.severity];
              // CAP: without an onset the hazard is on now, and `effective` defaults to `sent`.
              const start = w.warning.onset ?? w.warning.effective ?? w.warning.sent;
              return (
                <article class="warning-card" data-testid="warning-card" data-warning={w.id} style={{ 'border-color': colors.background }}>
                  <header class="warning-card__head" style={{ background: colors.background, color: colors.text }}>
                    <span class="warning-card__event">{w.warning.event}</span>
                    <span class="warning-card__severity">{i18n.label(SEVERITY_LABELS[w.severity])}</span>
                  </header>
                  <Show when={w.warning.headline}>
                    <p class="warning-card__headline">{w.warning.headline}</p>
                  </Show>
                  <dl class="warning-card__facts">
                    {row(i18n.t('warningUrgency'), i18n.label(URGENCY_LABELS[w.warning.urgency]))}
                    {row(i18n.t('warningCertainty'), i18n.label(certaintyLabel(w.warning.certainty)))}
                    {row(i18n.t('warningPeriod'), `${formatWarningTime(start)} – ${w.warning.expires ? formatWarningTime(w.warning.expires) : expiryText(i18n, w)}`, { wide: true })}
                    {row(i18n.t('warningSender'), senderOf(w.warning), { wide: true })}
                    <Show when={w.warning.instruction}>{row(i18n.t('warningInstruction'), w.warning.instruction ?? '', { wide: true })}</Show>
                    {row(i18n.t('warningWards'), w.wards.map((c) => wardName(c, i18n)).join(', '), { wide: true, testId: 'warning-card-wards' })}
                  </dl>
                </article>
              );
            }}
          </For>
        </Show>
      </aside>
    </div>
  );
}
