// Texts for the admins in Chinese (the default: they run a Chinese payment account), composed of the
// review cards, the commands and their answers, and the reports and alarms. The English catalogue
// (admin-texts-en.ts) has the same shape; admin-language.ts picks one.
import { zhCommandTexts } from './admin-command-texts.ts';
import { zhReportTexts } from './admin-report-texts.ts';
import { zhReviewTexts } from './admin-review-texts.ts';
import { zhWebTexts } from './admin-web-texts.ts';

export type {
  AdminDecision,
  HealthFacts,
  PeriodFigures,
  ReportFacts,
  ReviewCardFacts,
} from './admin-text-facts.ts';

/** Texts for the admins, in Chinese. */
export const zhAdminTexts = { ...zhReviewTexts, ...zhCommandTexts, ...zhReportTexts, ...zhWebTexts };

export type AdminTexts = typeof zhAdminTexts;
