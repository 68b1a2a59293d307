// Downloads a file a user sent, as the Bot API serves it (getFile's file_path under /file/bot<token>/),
// reading at most `maxBytes`: Telegram's stated size is checked before, the bytes themselves while reading.
import type { Telegram } from 'telegraf';

export async function downloadFile(
  telegram: Telegram,
  fileId: string,
  maxBytes: number,
): Promise<Buffer | 'too_large'> {
  const link = await telegram.getFileLink(fileId);
  const response = await fetch(link, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok || !response.body) throw new Error(`file download failed: HTTP ${response.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      return 'too_large';
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
