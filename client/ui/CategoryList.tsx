import { For } from 'solid-js';
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { ReportCategory } from '@shared/categories';
import type { I18n } from '../i18n';
import { formatCount } from './format';

export interface CategoryListProps {
  i18n: I18n;
  counts: Record<ReportCategory, number> | undefined;
  stale: boolean;
}

/** Reports of the last 24 h per category, busiest first, with a bar scaled to the busiest. */
export function CategoryList(props: CategoryListProps) {
  const rows = () => {
    const counts = props.counts;
    const list = REPORT_CATEGORIES.map((c) => ({ category: c, count: counts?.[c] ?? 0 }));
    return list.sort((a, b) => b.count - a.count);
  };
  const max = () => Math.max(1, ...rows().map((r) => r.count));
  return (
    <section class="categories" classList={{ 'categories--stale': props.stale }} data-testid="categories">
      <h2 class="panel-title">{props.i18n.t('categories24h')}</h2>
      <ul class="categories__list">
        <For each={rows()}>
          {(row) => (
            <li class="categories__row" data-category={row.category}>
              <span class="categories__name">{props.i18n.label(REPORT_CATEGORY_LABELS[row.category])}</span>
              <span class="categories__bar" style={{ '--share': String(row.count / max()) }} aria-hidden="true" />
              <span class="categories__count">{formatCount(row.count, props.i18n.locale)}</span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
