import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { createEffect, onCleanup, onMount } from 'solid-js';

// Only what a bar chart needs; the SVG renderer keeps text crisp on the desk screen.
use([BarChart, GridComponent, SVGRenderer]);

export interface HotspotChartProps {
  observed: number;
  expected: number;
  labels: { observed: string; expected: string };
}

/** Observed vs expected reports in the hotspot's window: the whole argument of a hotspot alert. */
export function HotspotChart(props: HotspotChartProps) {
  let el: HTMLDivElement | undefined;
  onMount(() => {
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'svg' });
    createEffect(() => {
      chart.setOption({
        animation: false,
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: 'value', axisLabel: { color: '#a9bdd4', fontSize: 14 }, splitLine: { lineStyle: { color: '#1f3552' } } },
        yAxis: { type: 'category', data: [props.labels.expected, props.labels.observed], axisLabel: { color: '#f2f6fb', fontSize: 16 } },
        series: [
          {
            type: 'bar',
            data: [
              { value: Math.round(props.expected * 10) / 10, itemStyle: { color: '#6d8fb3' } },
              { value: props.observed, itemStyle: { color: '#ff6b3b' } },
            ],
            label: { show: true, position: 'right', color: '#f2f6fb', fontSize: 16 },
            barWidth: '55%',
          },
        ],
      });
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    onCleanup(() => {
      resize.disconnect();
      chart.dispose();
    });
  });
  return <div class="hotspot-chart" data-testid="hotspot-chart" ref={(n) => (el = n)} />;
}
