// The caption of the health report's chart, per language: the picture has no text, the caption is its legend.
import type { DayFigures } from '../reports/health-chart.ts';
import type { Language } from './customer-texts.ts';

const total = (days: readonly DayFigures[], name: 'credited' | 'inReview' | 'missed') =>
  days.reduce((sum, d) => sum + d[name], 0);

export function healthChartCaption(language: Language, days: readonly DayFigures[]): string {
  const [first, last] = [days[0]?.day ?? '', days.at(-1)?.day ?? ''];
  const [credited, inReview, missed] = [
    total(days, 'credited'),
    total(days, 'inReview'),
    total(days, 'missed'),
  ];
  return language === 'en'
    ? `📊 ${first} — ${last}, per day: 🟩 credited (${credited}) 🟨 in review (${inReview}) 🟥 missed, found by statements (${missed}); 🔵 line: median arrival → credit latency`
    : `📊 ${first} — ${last} 每天：🟩 已入账（${credited}）🟨 待审核（${inReview}）🟥 漏收，对账单发现（${missed}）；🔵 折线：到账→入账延迟中位数`;
}
