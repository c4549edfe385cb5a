import { For, Show } from 'solid-js';
import type { Accessor } from 'solid-js';
import type { OperatingPicture } from '@shared/operating-picture';
import type { Incident } from '@shared/schemas';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n/wall';
import type { BBox } from '../map/geo';
import { WardMap } from '../map/WardMap';
import { WARNED_WARD_COLOR } from '../map/warning-layers';
import { wardFillMax } from '../map/ward-fill';
import type { WardFillOptions } from '../map/ward-fill';
import { formatCount } from '../ui/format';
import type { ActiveWarning } from '../warnings/active-warnings';
import { expiryText } from '../warnings/WarningBanner';
import { OperatingPicturePanel } from '../warnings/OperatingPicturePanel';
import '../warnings/warnings.css';
import { certaintyLabel, formatWarningTime, senderOf, SEVERITY_COLORS, SEVERITY_LABELS, URGENCY_LABELS } from '../warnings/warning-text';

export interface WarningsSceneProps {
  i18n: I18n;
  warnings: Accessor<readonly ActiveWarning[]>;
  /** What the map fits to: the warnings' areas over Huế, or null for the whole city. */
  bounds: Accessor<BBox | null>;
  incidents: Accessor<readonly Incident[]>;
  /** The common operating picture while a situation is open or a warning in force; null for none. @default none */
  cop?: Accessor<OperatingPicture | null>;
}

/**
 * The affected units' fill on the warnings map, by flood reports in the last 3 hours: a water blue
 * apart from the KPI map's, the warning's orange hatch and the yellow outline. A unit with none is
 * still lit (the lowest step); the rest of the city stays dark.
 */
export const COP_FILL_STEPS = ['#0f5561', '#137a86', '#1a9fab', '#3cc3cc', '#86e6e8'] as const;
const COP_FILL: WardFillOptions = { zeroIsValue: true, steps: COP_FILL_STEPS };

// Short names: a warning may cover a dozen wards, and "Phường" before each would fill the card.
const wardName = (code: string, i18n: I18n) => {
  const w = wardByCode(code);
  return w ? (i18n.lang === 'vi' ? w.name : w.nameAscii) : code;
};

/**
 * Disaster mode's scene: the map fitted to the warning areas with the affected wards lit and named,
 * beside every warning in force with what CAP says about it. While there is a common operating
 * picture (a situation open, or a warning in force), the map lights every affected unit by its flood
 * reports and the picture's table takes the column, the warnings shortened below it.
 */
export function WarningsScene(props: WarningsSceneProps) {
  const { i18n } = props;
  const cop = () => props.cop?.() ?? null;
  const copValues = (): Record<string, number | null> => Object.fromEntries((cop()?.units ?? []).map((u) => [u.ward, u.reports3h]));
  const litWards = () => (cop()?.units ?? []).map((u) => u.ward);
  // Short facts sit two to a line; the long ones (period, sender, instruction, wards) take a line each.
  const row = (label: string, value: string, opts: { wide?: boolean; testId?: string } = {}) => (
    <div class="warning-card__row" classList={{ 'warning-card__row--wide': opts.wide ?? false }}>
      <dt>{label}</dt>
      <dd data-testid={opts.testId}>{value}</dd>
    </div>
  );
  return (
    <div class="warnings-scene" classList={{ 'warnings-scene--cop': cop() !== null }} data-testid="warnings-scene">
      <div class="wall__map warnings-scene__map">
        {/* No KPI fill here: the warning's stripes and the affected units, lit by their flood reports, are the only colour. */}
        <WardMap
          i18n={i18n}
          testId="warnings-map"
          attribution={false}
          wardValues={copValues}
          fillOptions={() => COP_FILL}
          reports={() => []}
          incidents={props.incidents}
          warnings={props.warnings}
          litWards={litWards}
          fitTo={props.bounds}
        />
        <div class="legend warnings-scene__legend">
          <Show when={cop()}>
            <div class="warnings-legend__fill" data-testid="cop-legend">
              <span class="legend__title legend__title--fill">{i18n.t('copLegendFill')}</span>
              <span class="legend__scale">
                <span class="legend__end">0</span>
                <For each={[...COP_FILL_STEPS]}>{(c) => <span class="legend__swatch" style={{ background: c }} />}</For>
                <span class="legend__end">{formatCount(wardFillMax(copValues(), COP_FILL), i18n.locale)}</span>
              </span>
            </div>
          </Show>
          {/* A situation alone has no warning area to explain. */}
          <Show when={props.warnings().length > 0}>
            <span class="legend__sev">
              <span class="warnings-legend__hatch" />
              {i18n.t('warningAreaLegend')}
            </span>
          </Show>
          <span class="legend__sev">
            <span class="warnings-legend__ward" style={{ 'border-color': WARNED_WARD_COLOR }} />
            {i18n.t('warningWardsLegend')}
          </span>
        </div>
      </div>
      <aside class="warnings-scene__list" classList={{ 'warnings-scene__list--many': props.warnings().length > 1, 'warnings-scene__list--cop': cop() !== null }}>
        <Show when={cop()}>{(c) => <OperatingPicturePanel i18n={i18n} cop={c} />}</Show>
        {/* Beside the picture the banner and each card's head say what is in force. */}
        <Show when={cop() === null}>
          <h2 class="scene-title">{i18n.t('warningsTitle')}</h2>
        </Show>
        <Show when={props.warnings().length > 0} fallback={<Show when={cop() === null}><div class="scene-empty">{i18n.t('noWarnings')}</div></Show>}>
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
                  {/* Beside the picture a card keeps its period and what to do: the banner says the rest, the table names the units. */}
                  <Show when={cop() === null}>
                    <Show when={w.warning.headline}>
                      <p class="warning-card__headline">{w.warning.headline}</p>
                    </Show>
                  </Show>
                  <dl class="warning-card__facts">
                    <Show when={cop() === null}>
                      {row(i18n.t('warningUrgency'), i18n.label(URGENCY_LABELS[w.warning.urgency]))}
                      {row(i18n.t('warningCertainty'), i18n.label(certaintyLabel(w.warning.certainty)))}
                    </Show>
                    {row(i18n.t('warningPeriod'), `${formatWarningTime(start)} – ${w.warning.expires ? formatWarningTime(w.warning.expires) : expiryText(i18n, w)}`, { wide: true })}
                    <Show when={cop() === null}>{row(i18n.t('warningSender'), senderOf(w.warning), { wide: true })}</Show>
                    <Show when={w.warning.instruction}>{row(i18n.t('warningInstruction'), w.warning.instruction ?? '', { wide: true })}</Show>
                    <Show when={cop() === null}>{row(i18n.t('warningWards'), w.wards.map((c) => wardName(c, i18n)).join(', '), { wide: true, testId: 'warning-card-wards' })}</Show>
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
