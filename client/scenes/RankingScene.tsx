import { For, Show } from 'solid-js';
import type { RankingRow } from '@shared/protocol';
import { HUE_TIME_ZONE } from '@shared/time';
import { wardByCode } from '@shared/wards';
import type { I18n, StringKey } from '../i18n/wall';
import type { LiveStore } from '../stores/live-store';
import { formatPoints } from '../ui/format';
import { formatRankRange, rankChange, rankingBoard, sortRankingRows } from '../ui/ranking';
import { dateTimeFormat } from '../ui/intl-cache';

const PILLARS: readonly { key: 'governance' | 'safety' | 'environment' | 'service'; label: StringKey }[] = [
  { key: 'governance', label: 'pillarGovernance' },
  { key: 'safety', label: 'pillarSafety' },
  { key: 'environment', label: 'pillarEnvironment' },
  { key: 'service', label: 'pillarService' },
];

/** Two columns of 20 fit a 16:9 wall with rows tall enough to read from 5 m. */
const RANKING_COLUMNS = 2;
const RANKING_ROWS_PER_COLUMN = 20;

/** The columns' heads; a long ranking's say which end of it they show ("20 đứng đầu", "20 cuối bảng") where the name column's head is. */
function Header(props: { i18n: I18n; part: 'top' | 'bottom' | null; count: number }) {
  const t = props.i18n.t;
  return (
    <div class="ranking__row ranking__row--head" role="row">
      <span class="ranking__rank">{t('colRank')}</span>
      <span class="ranking__range">{t('colRange')}</span>
      <span class={`ranking__name${props.part ? ` ranking__part ranking__part--${props.part}` : ''}`}>
        {props.part ? t(props.part === 'top' ? 'rankingTop' : 'rankingBottom', { n: props.count }) : t('colWard')}
      </span>
      <span class="ranking__score">{t('colScore')}</span>
      <For each={PILLARS}>{(p) => <span class="ranking__pillar-head">{t(p.label)}</span>}</For>
      <span class="ranking__766">{t('col766')}</span>
      <span class="ranking__change">{t('colChange')}</span>
    </div>
  );
}

/**
 * The 90 % rank range as a bar on a 1…`ranked` track with a tick at the rank: two wards whose bars
 * overlap are about level, whatever their ranks say, and the eye sees it down a column from 5 m.
 */
function RangeStrip(props: { row: RankingRow; ranked: number }) {
  const share = (place: number) => `${(100 * place) / Math.max(1, props.ranked)}%`;
  return (
    <span class="ranking__strip" aria-hidden="true">
      <Show when={props.row.rankRange}>
        {(range) => (
          <>
            <span class="ranking__strip-range" style={{ left: share(range()[0] - 1), width: share(range()[1] - range()[0] + 1) }} />
            <Show when={props.row.rank}>{(rank) => <span class="ranking__strip-rank" style={{ left: share(rank() - 0.5) }} />}</Show>
          </>
        )}
      </Show>
    </span>
  );
}

function Row(props: { i18n: I18n; row: RankingRow; ranked: number }) {
  const locale = props.i18n.locale;
  const change = () => rankChange(props.row);
  const whole = (v: number | null) => (v === null ? '—' : String(Math.round(v)));
  return (
    <div
      class="ranking__row"
      role="row"
      data-testid="ranking-row"
      data-ward={props.row.ward}
      data-rank={props.row.rank ?? ''}
      data-range={formatRankRange(props.row.rankRange)}
      data-movement={props.row.movement}
    >
      <span class="ranking__rank">{props.row.rank ?? '—'}</span>
      <span class="ranking__range" data-testid="ranking-range">
        <span class="ranking__range-text">{formatRankRange(props.row.rankRange)}</span>
        <RangeStrip row={props.row} ranked={props.ranked} />
      </span>
      <span class="ranking__name">{wardByCode(props.row.ward)?.name ?? props.row.ward}</span>
      <span class="ranking__score">{formatPoints(props.row.score, locale)}</span>
      <For each={PILLARS}>
        {(p) => (
          <span class="ranking__pillar" data-pillar={p.key}>
            <span class="ranking__bar" style={{ '--v': String(Math.min(1, Math.max(0, (props.row[p.key] ?? 0) / 100))) }} aria-hidden="true" />
            <span class="ranking__pillar-num">{whole(props.row[p.key])}</span>
          </span>
        )}
      </For>
      <span class="ranking__766">{props.row.index766.max > 0 ? formatPoints(props.row.index766.total, locale) : '—'}</span>
      <span class={`ranking__change ranking__change--${change().tone}`} data-testid="ranking-change">
        {change().text}
      </span>
    </div>
  );
}

/**
 * The units by the comprehensive index over 7 days, with pillar bars and the change vs the week
 * before: all of them up to 40 (Huế), else the top 20 and the bottom 20 with the middle counted.
 */
export function RankingScene(props: { i18n: I18n; live: LiveStore }) {
  const { i18n } = props;
  const ranking = () => props.live.state.data?.ranking;
  const board = () => rankingBoard(sortRankingRows(ranking()?.rows ?? []), RANKING_ROWS_PER_COLUMN, RANKING_COLUMNS);
  const units = () => ranking()?.rows.length ?? 0;
  // What a long ranking leaves out, in the title's line: the rows keep Huế's size.
  const rest = () => {
    const b = board();
    const parts = [
      b.middle ? i18n.t('rankingMiddle', { from: b.middle.from, to: b.middle.to, n: b.middle.count }) : '',
      b.unranked > 0 ? i18n.t('rankingUnranked', { n: b.unranked }) : '',
    ].filter((t) => t !== '');
    return parts.length > 0 ? parts.join(' · ') : null;
  };
  const ranked = () => (ranking()?.rows ?? []).filter((r) => r.rank !== null).length;
  // en-GB writes dd/mm in both languages (vi-VN would write dd-mm).
  const day = (iso: string) => dateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, day: '2-digit', month: '2-digit' }).format(new Date(iso));
  // The window's `to` is exclusive: the last day shown is the one before it.
  const period = () => {
    const r = ranking();
    return r ? `${i18n.t('rankingWindow')}: ${day(r.from)} – ${day(new Date(Date.parse(r.to) - 1).toISOString())}` : '';
  };
  return (
    <section class="ranking" classList={{ 'ranking--stale': props.live.stale() }} data-testid="ranking-scene">
      <h2 class="scene-title">
        {i18n.t('rankingTitle', { n: units() })}{' '}
        <span class="scene-title__sub">
          {period()} · {i18n.t('rankingChangeNote')}
          <Show when={rest()}>{(text) => <span data-testid="ranking-rest"> · {text()}</span>}</Show>
        </span>
      </h2>
      <Show when={(ranking()?.rows.length ?? 0) > 0} fallback={<div class="scene-empty">{i18n.t('noRanking')}</div>}>
        <div class="ranking__columns" role="table" data-testid="ranking-columns" data-units={units()}>
          <For each={board().columns}>
            {(col) => (
              <div class="ranking__column" role="rowgroup" data-part={col.title ?? 'all'}>
                <Header i18n={i18n} part={col.title} count={col.rows.length} />
                <For each={col.rows}>{(row) => <Row i18n={i18n} row={row} ranked={ranked()} />}</For>
              </div>
            )}
          </For>
        </div>
      </Show>
    </section>
  );
}
