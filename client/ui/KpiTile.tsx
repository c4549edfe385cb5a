export interface KpiTileProps {
  /** Used in `data-testid="tile-<name>"`; stable across languages. */
  name: string;
  label: string;
  value: string;
  /** Greys the value out: it is the last one known, not a live one. */
  stale: boolean;
  /** Draws the value in the alarm colour (e.g. late dossiers above zero). */
  alarm?: boolean;
}

export function KpiTile(props: KpiTileProps) {
  return (
    <section class="tile" classList={{ 'tile--stale': props.stale, 'tile--alarm': !!props.alarm }} data-testid={`tile-${props.name}`}>
      <h2 class="tile__label">{props.label}</h2>
      <div class="tile__value" data-testid={`tile-${props.name}-value`}>
        {props.value}
      </div>
    </section>
  );
}
