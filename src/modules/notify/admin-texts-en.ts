// Texts for the admins in English: the same catalogue as the Chinese one (admin-texts.ts), key for key;
// each part is typed by its Chinese counterpart, so a missing English text does not compile.
import { enCommandTexts } from './admin-command-texts-en.ts';
import { enReportTexts } from './admin-report-texts-en.ts';
import { enReviewTexts } from './admin-review-texts-en.ts';
import type { AdminTexts } from './admin-texts.ts';
import { enWebTexts } from './admin-web-texts-en.ts';

export const enAdminTexts: AdminTexts = {
  ...enReviewTexts,
  ...enCommandTexts,
  ...enReportTexts,
  ...enWebTexts,
};
