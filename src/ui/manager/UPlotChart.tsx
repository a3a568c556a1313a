import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** What the chart shows, for screen readers (the figures are also in a table beside it). */
  readonly label: string;
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
  readonly height?: number;
}

/**
 * A uPlot chart sized to its container: made once per options/data, resized (not rebuilt) when the
 * container's width changes (a tablet rotating), destroyed on unmount.
 */
export function UPlotChart({ label, options, data, height = 240 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const plot = new uPlot({ ...options, width: Math.max(280, el.clientWidth), height }, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [options, data, height]);
  return <div ref={ref} className="chart" role="img" aria-label={label} />;
}

/** Bars for a category axis (aging buckets, roll rates), x being 0…n−1. */
export function barSeries(label: string, stroke: string, fill: string): uPlot.Series {
  const bars = uPlot.paths.bars?.({ size: [0.6, 64] });
  const series: uPlot.Series = { label, stroke, fill, width: 1, points: { show: false } };
  if (bars !== undefined) series.paths = bars;
  return series;
}

export function categoryAxis(names: readonly string[]): uPlot.Axis {
  return { values: (_u, splits) => splits.map((i) => names[i] ?? ''), splits: () => names.map((_, i) => i), grid: { show: false } };
}
