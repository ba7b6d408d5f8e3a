/** A small SVG bar chart for time series (no chart library: the console must work offline and stay small). */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ChartPoint {
  label: string;
  value: number;
}

/** Room one x-axis label needs, in pixels. */
const LABEL_ROOM = 64;

export function BarChart({ title, points, color = 'var(--accent)', height = 160 }: { title: string; points: ChartPoint[]; color?: string; height?: number }) {
  // Drawn at the figure's real width, so text is not stretched and labels are spaced for the space there is.
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = figure.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.round(entry.contentRect.width);
      if (next > 0) setWidth(Math.max(160, next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const pad = { top: 10, right: 8, bottom: 22, left: 40 };
  const max = niceCeiling(Math.max(...points.map((p) => p.value), 0));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = points.length > 0 ? innerW / points.length : innerW;
  const bar = Math.max(1, step * 0.7);
  const labelEvery = Math.max(1, Math.ceil(points.length / Math.max(1, Math.floor(innerW / LABEL_ROOM))));
  const ticks = [0, max / 2, max];
  const total = points.reduce((sum, p) => sum + p.value, 0);
  return (
    <figure class="chart" ref={figure}>
      <figcaption>
        {title} <strong>{format(total)}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} style={{ height: `${height}px` }} role="img" aria-label={`${title}: ${points.map((p) => `${p.label} ${p.value}`).join(', ')}`}>
        {ticks.map((tick) => {
          const y = pad.top + innerH - (tick / max) * innerH;
          return (
            <g key={tick}>
              <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} class="chart-grid" />
              <text x={pad.left - 4} y={y + 4} text-anchor="end" class="chart-tick">
                {format(tick)}
              </text>
            </g>
          );
        })}
        {points.map((p, i) => {
          // A small value still shows as a sliver, so "some" never looks like "none".
          const h = p.value > 0 ? Math.max(2, (p.value / max) * innerH) : 0;
          const x = pad.left + i * step + (step - bar) / 2;
          return (
            <g key={i}>
              {h > 0 ? (
                <rect x={x} y={pad.top + innerH - h} width={bar} height={h} fill={color} rx={1} class="chart-bar">
                  <title>{`${p.label}: ${p.value}`}</title>
                </rect>
              ) : null}
              {i % labelEvery === 0 ? (
                <text x={x + bar / 2} y={height - 6} text-anchor="middle" class="chart-tick">
                  {p.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** The axis top: a round number at or above the largest value whose half (the middle tick) is whole too. */
function niceCeiling(value: number): number {
  if (value <= 10) return Math.max(2, Math.ceil(value / 2) * 2);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= value) ?? value;
}

function format(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
