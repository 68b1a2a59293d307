// A template literal tag for the checkout page's HTML: every interpolated value is escaped unless it is
// markup this tag (or the QR renderer) made, so nothing a shop sent can open an element or an attribute.
import { escapeHtmlAttribute } from '../../shared/html.ts';

export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtmlAttribute(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, i) => {
    markup += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** Markup from a trusted renderer (the QR code's SVG, built from the operator's configuration). */
export const trustedMarkup = (markup: string) => new SafeHtml(markup);
