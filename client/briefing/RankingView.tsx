import { For } from 'solid-js';
import type { BriefingRankingRow } from '@shared/briefing';
import { wardByCode } from '@shared/wards';
import { formatRankRange, rankChange } from '../ui/ranking';
import type { BriefingI18n } from './i18n';
import { formatValue } from './kpi-rows';
import { recoveryText } from './tour';

/** The ranking table: one row per ward with its pillars, rank change, 766 points and what recovers points. */
export function RankingView(props: { rows: readonly BriefingRankingRow[]; i18n: BriefingI18n; title: string; testId?: string }) {
  const { i18n } = props;
  const n = (v: number | null) => formatValue(v, 'points', i18n.locale);
  const change = (row: BriefingRankingRow) => rankChange({ rank: row.index.rank, previousRank: row.previousRank, movement: row.movement });
  return (
    <section class="page page--ranking" data-testid={props.testId ?? 'page-ranking'}>
      <h2 class="page__title">{props.title}</h2>
      <table class="bf-ranking">
        <thead>
          <tr>
            <th>{i18n.t('rank')}</th>
            <th>{i18n.t('rankChange')}</th>
            <th class="left">{i18n.t('ward')}</th>
            <th>{i18n.t('score')}</th>
            <th>{i18n.t('governance')}</th>
            <th>{i18n.t('safety')}</th>
            <th>{i18n.t('environment')}</th>
            <th>{i18n.t('service')}</th>
            <th>{i18n.t('points766')}</th>
            <th class="left">{i18n.t('recovers')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr data-ward={row.ward}>
                <td class="num strong">
                  {row.index.rank ?? '—'}
                  {/* The 90 % rank range, small: wards whose ranges overlap are about level. */}
                  <span class="rank-range" data-testid="rank-range">
                    {formatRankRange(row.rankRange)}
                  </span>
                </td>
                <td class={`num change--${change(row).tone}`}>{change(row).text}</td>
                <td class="left strong">{i18n.lang === 'vi' ? row.name : (wardByCode(row.ward)?.nameAscii ?? row.name)}</td>
                <td class="num strong">{n(row.index.score)}</td>
                <td class="num">{n(row.index.governance)}</td>
                <td class="num">{n(row.index.safety)}</td>
                <td class="num">{n(row.index.environment)}</td>
                <td class="num">{n(row.index.service)}</td>
                <td class="num">
                  {n(row.index766.total)}/{formatValue(row.index766.max, 'count', i18n.locale)}
                </td>
                <td class="left hint">
                  <span class="hint__text">{row.recovery ? recoveryText(row.recovery, i18n.t, i18n.locale) : '—'}</span>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}
