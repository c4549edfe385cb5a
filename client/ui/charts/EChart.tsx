import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { WallChartOption } from './chart-options';

// Only what the wall draws (bars on a grid, a legend, canvas): the full echarts build is ~1 MB.
use([BarChart, GridComponent, LegendComponent, CanvasRenderer]);

export interface EChartProps {
  option: () => WallChartOption;
  testId: string;
  class?: string;
}

/** One ECharts instance for the life of this component; options are replaced as data arrives. */
export function EChart(props: EChartProps) {
  let el: HTMLDivElement | undefined;
  onMount(() => {
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'canvas' });
    // notMerge: each option is complete, and a category that vanished must vanish from the chart.
    createEffect(() => chart.setOption(props.option(), { notMerge: true }));
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    onCleanup(() => {
      ro.disconnect();
      chart.dispose();
    });
  });
  return (
    <div
      class={`echart ${props.class ?? ''}`}
      data-testid={props.testId}
      ref={(node) => {
        el = node;
      }}
    />
  );
}
