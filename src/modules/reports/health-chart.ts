// The health report's picture: a PNG of the last days — payments credited, in review and missed (bars) and
// the median arrival → credit latency (a line) — drawn in pure JavaScript (pureimage), no native binaries.
import { PassThrough } from 'node:stream';
import * as PImage from 'pureimage';

export interface DayFigures {
  /** The local calendar day, `2026-11-20`. */
  day: string;
  credited: number;
  inReview: number;
  missed: number;
  /** Median seconds from arrival to automatic credit that day; null when nothing was credited automatically. */
  latencySeconds: number | null;
}

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
const MARGIN = { left: 40, right: 40, top: 30, bottom: 40 };
/** The caption names these colours; the picture itself has no text (pureimage would need a font file). */
export const CHART_COLOURS = {
  credited: '#2e9e4f',
  inReview: '#e0a526',
  missed: '#d64541',
  latency: '#2f6fd6',
};

export async function renderHealthChart(days: readonly DayFigures[]): Promise<Buffer> {
  const image = PImage.make(CHART_WIDTH, CHART_HEIGHT);
  const ctx = image.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, CHART_WIDTH, CHART_HEIGHT);
  const plot = {
    x: MARGIN.left,
    y: MARGIN.top,
    width: CHART_WIDTH - MARGIN.left - MARGIN.right,
    height: CHART_HEIGHT - MARGIN.top - MARGIN.bottom,
  };
  const baseline = plot.y + plot.height;
  ctx.fillStyle = '#9a9a9a';
  ctx.fillRect(plot.x, baseline, plot.width, 2);
  ctx.fillRect(plot.x, plot.y, 2, plot.height);
  const most = Math.max(1, ...days.flatMap((d) => [d.credited, d.inReview, d.missed]));
  const slowest = Math.max(1, ...days.map((d) => d.latencySeconds ?? 0));
  const group = plot.width / Math.max(1, days.length);
  const bar = group / 5;
  const series = ['credited', 'inReview', 'missed'] as const;
  days.forEach((d, i) => {
    series.forEach((name, s) => {
      const height = Math.round((d[name] / most) * plot.height);
      ctx.fillStyle = CHART_COLOURS[name];
      if (height > 0) ctx.fillRect(plot.x + i * group + bar * (s + 1), baseline - height, bar - 2, height);
    });
  });
  const points = days.flatMap((d, i) =>
    d.latencySeconds === null
      ? []
      : [{ x: plot.x + i * group + group / 2, y: baseline - (d.latencySeconds / slowest) * plot.height }],
  );
  ctx.strokeStyle = CHART_COLOURS.latency;
  ctx.fillStyle = CHART_COLOURS.latency;
  ctx.lineWidth = 3;
  if (points.length > 1) {
    ctx.beginPath();
    const [start, ...rest] = points;
    if (start) ctx.moveTo(start.x, start.y);
    for (const p of rest) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
  for (const p of points) ctx.fillRect(p.x - 4, p.y - 4, 8, 8);
  return encode(image);
}

async function encode(image: ReturnType<typeof PImage.make>): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await PImage.encodePNGToStream(image, stream);
  return Buffer.concat(chunks);
}
