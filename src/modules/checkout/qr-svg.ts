// The payee's QR codes as inline SVG (no image request, nothing external), rendered once per code.
import QRCode from 'qrcode';
import { type SafeHtml, trustedMarkup } from './safe-html.ts';

export function createQrSvgs() {
  const rendered = new Map<string, Promise<SafeHtml>>();
  return (content: string): Promise<SafeHtml> => {
    let svg = rendered.get(content);
    if (!svg) {
      svg = QRCode.toString(content, { type: 'svg', margin: 4, errorCorrectionLevel: 'M' }).then(
        trustedMarkup,
      );
      rendered.set(content, svg);
    }
    return svg;
  };
}
