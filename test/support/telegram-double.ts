// Telegram Bot API test double: a real HTTP server on 127.0.0.1 that the real telegraf client talks
// to (JSON, urlencoded and multipart bodies, long polling with offsets), so tests drive the bot as a
// user would and observe every message, photo upload, edit and callback answer it produced.
// It mimics the Bot API's observable rules (HTML parse errors, length limits, "message is not
// modified", edits dropping the keyboard) so bugs that only show up against Telegram show up here.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookPush } from './telegram-webhook-push.ts';

export type SentMethod =
  | 'sendMessage'
  | 'sendPhoto'
  | 'sendDocument'
  | 'editMessageText'
  | 'editMessageCaption'
  | 'editMessageReplyMarkup';

export interface SentPhoto {
  /** Uploaded bytes; empty when the bot sent a URL or a file_id this double never issued. */
  bytes: Buffer;
  filename?: string;
  contentType?: string;
  /** The file_id / URL string when the photo was not uploaded in this request. */
  reference?: string;
}

export interface SentMessage {
  /** message_id of the message sent or edited. */
  id: number;
  chatId: number;
  method: SentMethod;
  text?: string;
  caption?: string;
  parseMode?: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests poke into keyboards freely.
  replyMarkup?: any;
  photo?: SentPhoto;
  /** A document the bot uploaded (sendDocument). */
  document?: SentPhoto;
  editsMessageId?: number;
  /** Date.now() when the request was received. */
  at: number;
}

export interface TelegramUser {
  id: number;
  firstName?: string;
  languageCode?: string;
  username?: string;
}

export interface BotCommand {
  command: string;
  description: string;
}

/** A BotCommandScope as the bot sent it (`{ type: 'default' }` when it sent none). */
export type CommandScope = { type: string; chat_id?: number | string; user_id?: number };

/** One setMyCommands call, in the order received. */
export interface CommandMenuCall {
  scope: CommandScope;
  languageCode: string;
  commands: BotCommand[];
}

export type Failure =
  | { status: 429; retryAfter: number }
  | { status: number; description?: string }
  /** A raw, non-JSON answer (an HTML error page from a proxy in front of the Bot API). */
  | { status: number; rawBody: string };

export interface TelegramDouble {
  apiRoot: string;
  token: string;
  botUser: { id: number; username: string };
  sendText(from: TelegramUser, text: string): number;
  /**
   * A user sends a file (a document message). The bot fetches it as from Telegram: getFile gives a
   * file_path, then GET {apiRoot}/file/bot<token>/<file_path>.
   */
  sendDocument(
    from: TelegramUser,
    file: { bytes: Buffer; fileName: string; mimeType?: string; caption?: string },
  ): number;
  /** How many times a user's file was downloaded, by file name. */
  downloads: Map<string, number>;
  pressButton(from: TelegramUser, message: SentMessage, data: string): number;
  /** A callback query with any data on any bot message: what a forged or replayed press looks like. */
  injectCallback(from: TelegramUser, message: SentMessage, data: string): number;
  sent: SentMessage[];
  waitFor(predicate: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>;
  callbackAnswers: Array<{ callbackQueryId: string; text?: string; showAlert?: boolean }>;
  deletedMessages: Array<{ chatId: number; messageId: number }>;
  calls: Array<{ method: string; at: number; status: number }>;
  /** Every setMyCommands call accepted. */
  commandMenuCalls: CommandMenuCall[];
  /** The menu now registered for a scope and language code ('' = every language), as getMyCommands answers. */
  commandMenu(scope: CommandScope, languageCode?: string): BotCommand[];
  /** With a webhook set: each update's delivery attempts, by the HTTP status answered (0: none). */
  webhookAttempts: Map<number, number[]>;
  /** With a webhook set: delivers a pushed update once more (Telegram redelivers when in doubt). */
  pushUpdateAgain(updateId: number): void;
  /** When getUpdates first handed the update to the bot (ms since the epoch); undefined before that. */
  handedOutAt(updateId: number): number | undefined;
  failNext(method: string, count: number, failure: Failure): void;
  close(): Promise<void>;
}

type Params = Record<string, unknown>;
type ApiMessage = Record<string, unknown> & { message_id: number; chat: { id: number; type: string } };
interface Entity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

/** A Bot API error: becomes `{ ok:false, error_code, description }` with that HTTP status. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}
const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export async function startTelegramDouble(options: { token?: string } = {}): Promise<TelegramDouble> {
  const token = options.token ?? '123456:TEST-double-token';
  const botUser = { id: Number(token.split(':')[0]) || 123456, username: 'mailpay_test_bot' };

  const sent: SentMessage[] = [];
  const callbackAnswers: TelegramDouble['callbackAnswers'] = [];
  const deletedMessages: TelegramDouble['deletedMessages'] = [];
  const calls: TelegramDouble['calls'] = [];
  const failures = new Map<string, Failure[]>();
  const commandMenuCalls: CommandMenuCall[] = [];
  // Telegram keeps one list per (scope, language code); setMyCommands replaces it, deleteMyCommands drops it.
  const menus = new Map<string, BotCommand[]>();
  const menuKey = (scope: CommandScope, languageCode = '') =>
    JSON.stringify([scope.type, String(scope.chat_id ?? ''), String(scope.user_id ?? ''), languageCode]);

  const webhook = createWebhookPush();
  // Updates not yet confirmed by an offset; the real API keeps them until confirmed.
  const updates: Array<{ update_id: number } & Params> = [];
  let nextUpdateId = 1;
  // At most one held getUpdates, as in the real API (a newer one ends the older with 409).
  let held: { finish: (result: unknown[] | ApiError) => void } | undefined;

  const chats = new Map<number, { lastId: number; messages: Map<number, ApiMessage> }>();
  const files = new Map<string, SentPhoto>();
  // Files users sent, by file_id and by the file_path getFile hands out (as the Bot API's file storage).
  const userFiles = new Map<string, { bytes: Buffer; fileName: string; filePath: string }>();
  const filesByPath = new Map<string, { bytes: Buffer; fileName: string }>();
  const downloads = new Map<string, number>();
  const issuedQueries = new Set<string>();
  let nextQueryId = 1;
  let nextFileId = 1;

  const waiters = new Set<{ predicate: (m: SentMessage) => boolean; resolve: (m: SentMessage) => void }>();
  const stopWaiters = new Set<(err: Error) => void>();

  const chatOf = (chatId: number) => {
    let chat = chats.get(chatId);
    if (!chat) {
      chat = { lastId: 0, messages: new Map() };
      chats.set(chatId, chat);
    }
    return chat;
  };

  const userJson = (u: TelegramUser) => ({
    id: u.id,
    is_bot: false,
    first_name: u.firstName ?? 'Test',
    ...(u.username ? { username: u.username } : {}),
    ...(u.languageCode ? { language_code: u.languageCode } : {}),
  });
  const chatJson = (chatId: number, u?: TelegramUser) =>
    chatId > 0
      ? {
          id: chatId,
          type: 'private',
          first_name: u?.firstName ?? 'Test',
          ...(u?.username ? { username: u.username } : {}),
        }
      : { id: chatId, type: 'supergroup', title: 'Test group' };
  const now = () => Math.floor(Date.now() / 1000);

  function enqueue(update: Params): number {
    const update_id = nextUpdateId++;
    // With a webhook set, Telegram pushes the update instead of keeping it for getUpdates.
    if (webhook.push({ update_id, ...update })) return update_id;
    updates.push({ update_id, ...update });
    if (held) held.finish(updates.slice(0, 100));
    return update_id;
  }

  function record(m: SentMessage): void {
    sent.push(m);
    for (const w of waiters) {
      if (w.predicate(m)) {
        waiters.delete(w);
        w.resolve(m);
      }
    }
  }

  function sendText(from: TelegramUser, text: string): number {
    const chat = chatOf(from.id);
    const message_id = ++chat.lastId;
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    const message: ApiMessage = {
      message_id,
      from: userJson(from),
      chat: chatJson(from.id, from),
      date: now(),
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    };
    chat.messages.set(message_id, message);
    return enqueue({ message });
  }

  function sendDocument(
    from: TelegramUser,
    file: { bytes: Buffer; fileName: string; mimeType?: string; caption?: string },
  ): number {
    const chat = chatOf(from.id);
    const message_id = ++chat.lastId;
    const fileId = `doc-${nextFileId++}`;
    const filePath = `documents/file_${nextFileId}${/\.[A-Za-z0-9]+$/.exec(file.fileName)?.[0] ?? ''}`;
    userFiles.set(fileId, { bytes: file.bytes, fileName: file.fileName, filePath });
    const message: ApiMessage = {
      message_id,
      from: userJson(from),
      chat: chatJson(from.id, from),
      date: now(),
      document: {
        file_id: fileId,
        file_unique_id: `u${fileId}`,
        file_name: file.fileName,
        ...(file.mimeType ? { mime_type: file.mimeType } : {}),
        file_size: file.bytes.length,
      },
      ...(file.caption ? { caption: file.caption } : {}),
    };
    chat.messages.set(message_id, message);
    return enqueue({ message });
  }

  /** getFile: the Bot API refuses files over 20 MB to bots ("file is too big"). */
  async function getFile(params: Params): Promise<unknown> {
    const id = str(params.file_id) ?? '';
    const file = userFiles.get(id);
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > 20 * 1024 * 1024) throw badRequest('file is too big');
    filesByPath.set(file.filePath, file);
    return { file_id: id, file_unique_id: `u${id}`, file_size: file.bytes.length, file_path: file.filePath };
  }

  function pressButton(from: TelegramUser, message: SentMessage, data: string): number {
    const current = chats.get(message.chatId)?.messages.get(message.id);
    if (!current)
      throw new Error(`pressButton: message ${message.id} in chat ${message.chatId} does not exist`);
    const keyboard = (current.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })
      ?.inline_keyboard;
    if (!keyboard?.flat().some((b) => b.callback_data === data)) {
      // A user can only press buttons that are on screen; a test doing otherwise is a test bug.
      throw new Error(
        `pressButton: message ${message.id} has no button with callback_data ${JSON.stringify(data)}; keyboard: ${JSON.stringify(keyboard ?? null)}`,
      );
    }
    return enqueueCallback(from, current, message.chatId, data);
  }

  /** A press of a button on `current` (a message of chat `chatId`), as Telegram delivers it. */
  function enqueueCallback(from: TelegramUser, current: ApiMessage, chatId: number, data: string): number {
    const id = String(1_000_000 + nextQueryId++);
    issuedQueries.add(id);
    return enqueue({
      callback_query: { id, from: userJson(from), message: current, chat_instance: `ci${chatId}`, data },
    });
  }

  function injectCallback(from: TelegramUser, message: SentMessage, data: string): number {
    const current = chats.get(message.chatId)?.messages.get(message.id);
    if (!current)
      throw new Error(`injectCallback: message ${message.id} in chat ${message.chatId} does not exist`);
    return enqueueCallback(from, current, message.chatId, data);
  }

  function waitFor(predicate: (m: SentMessage) => boolean, timeoutMs = 10_000): Promise<SentMessage> {
    const past = sent.find(predicate);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        waiters.delete(waiter);
        stopWaiters.delete(fail);
        reject(err);
      };
      const waiter = {
        predicate,
        resolve: (m: SentMessage) => {
          clearTimeout(timer);
          stopWaiters.delete(fail);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        const list = sent.map((m) => `  ${describe(m)}`).join('\n') || '  (nothing)';
        fail(new Error(`waitFor: no matching message within ${timeoutMs} ms. The bot sent:\n${list}`));
      }, timeoutMs);
      waiters.add(waiter);
      stopWaiters.add(fail);
    });
  }

  function failNext(method: string, count: number, failure: Failure): void {
    const queue = failures.get(method.toLowerCase()) ?? [];
    for (let i = 0; i < count; i++) queue.push(failure);
    failures.set(method.toLowerCase(), queue);
  }

  // --- Bot API methods -------------------------------------------------------------------------

  function botMessage(chatId: number, fields: Params): ApiMessage {
    const chat = chatOf(chatId);
    const message: ApiMessage = {
      message_id: ++chat.lastId,
      from: { id: botUser.id, is_bot: true, first_name: 'MailPay Test', username: botUser.username },
      chat: chatJson(chatId),
      date: now(),
      ...fields,
    };
    chat.messages.set(message.message_id, message);
    return message;
  }

  function editable(params: Params): { chatId: number; message: ApiMessage } {
    if (params.inline_message_id !== undefined)
      throw badRequest('inline messages are not supported by the double');
    const chatId = requireChat(params);
    const messageId = num(params.message_id);
    const message = chats.get(chatId)?.messages.get(messageId ?? -1);
    if (!message) throw badRequest('message to edit not found');
    if ((message.from as { id: number }).id !== botUser.id) throw badRequest("message can't be edited");
    return { chatId, message };
  }

  const handedOut = new Map<number, number>();
  function handOut<T extends { update_id: number }>(batch: T[]): T[] {
    const now = Date.now();
    for (const update of batch) if (!handedOut.has(update.update_id)) handedOut.set(update.update_id, now);
    return batch;
  }

  async function getUpdates(params: Params, res: ServerResponse): Promise<unknown> {
    if (webhook.active()) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = num(params.offset) ?? 0;
    const limit = Math.min(Math.max(num(params.limit) ?? 100, 1), 100);
    const timeout = Math.max(num(params.timeout) ?? 0, 0);
    // A positive offset confirms everything before it; a negative one means "the last -offset".
    if (offset > 0) {
      while (updates.length > 0 && (updates[0]?.update_id ?? 0) < offset) updates.shift();
    }
    const pending = () => handOut((offset < 0 ? updates.slice(offset) : updates).slice(0, limit));
    if (pending().length > 0 || timeout === 0 || closing) return pending();

    held?.finish(
      new ApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    return await new Promise((resolve, reject) => {
      const entry = {
        finish: (result: unknown[] | ApiError) => {
          clearTimeout(timer);
          res.off('close', onClose);
          if (held === entry) held = undefined;
          if (result instanceof ApiError) reject(result);
          else resolve(result.length > 0 ? pending() : result);
        },
      };
      // The client aborted (telegraf's stop()): forget the request so it gets no updates.
      const onClose = () => {
        clearTimeout(timer);
        if (held === entry) held = undefined;
      };
      const timer = setTimeout(() => entry.finish([]), timeout * 1000);
      res.on('close', onClose);
      held = entry;
    });
  }

  async function sendMessage(params: Params): Promise<unknown> {
    const chatId = requireChat(params);
    const text = formatted(params.text, params.parse_mode, 4096, 'message is too long');
    if (text.text.trim() === '') throw badRequest('message text is empty');
    const replyMarkup = markup(params.reply_markup);
    const message = botMessage(chatId, {
      text: text.text,
      ...(text.entities.length ? { entities: text.entities } : {}),
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    });
    record({
      id: message.message_id,
      chatId,
      method: 'sendMessage',
      text: str(params.text),
      parseMode: str(params.parse_mode),
      replyMarkup,
      at: Date.now(),
    });
    return message;
  }

  async function sendPhoto(params: Params): Promise<unknown> {
    const chatId = requireChat(params);
    const photo = await photoOf(params.photo, params);
    const caption = formatted(params.caption ?? '', params.parse_mode, 1024, 'message caption is too long');
    const replyMarkup = markup(params.reply_markup);
    const fileId = `photo-${nextFileId++}`;
    files.set(fileId, photo);
    const size = pngSize(photo.bytes);
    const message = botMessage(chatId, {
      photo: [{ file_id: fileId, file_unique_id: `u${fileId}`, file_size: photo.bytes.length, ...size }],
      ...(caption.text ? { caption: caption.text } : {}),
      ...(caption.entities.length ? { caption_entities: caption.entities } : {}),
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    });
    record({
      id: message.message_id,
      chatId,
      method: 'sendPhoto',
      caption: str(params.caption),
      parseMode: str(params.parse_mode),
      replyMarkup,
      photo,
      at: Date.now(),
    });
    return message;
  }

  async function sendDocumentMethod(params: Params): Promise<unknown> {
    const chatId = requireChat(params);
    if (!(params.document instanceof File)) throw badRequest('there is no document in the request');
    const document = await photoOf(params.document, params);
    const caption = formatted(params.caption ?? '', params.parse_mode, 1024, 'message caption is too long');
    const fileId = `document-${nextFileId++}`;
    files.set(fileId, document);
    const message = botMessage(chatId, {
      document: {
        file_id: fileId,
        file_unique_id: `u${fileId}`,
        file_name: document.filename,
        file_size: document.bytes.length,
      },
      ...(caption.text ? { caption: caption.text } : {}),
    });
    record({
      id: message.message_id,
      chatId,
      method: 'sendDocument',
      caption: str(params.caption),
      document,
      at: Date.now(),
    });
    return message;
  }

  async function photoOf(value: unknown, params: Params): Promise<SentPhoto> {
    if (value instanceof File) {
      const bytes = Buffer.from(await value.arrayBuffer());
      return { bytes, filename: value.name || undefined, contentType: value.type || undefined };
    }
    if (typeof value === 'string' && value.startsWith('attach://'))
      return photoOf(params[value.slice(9)], {});
    if (typeof value === 'string' && value !== '') {
      const known = files.get(value);
      return known ? { ...known, reference: value } : { bytes: Buffer.alloc(0), reference: value };
    }
    throw badRequest('there is no photo in the request');
  }

  async function editMessageText(params: Params): Promise<unknown> {
    const { chatId, message } = editable(params);
    if (typeof message.text !== 'string') throw badRequest('there is no text in the message to edit');
    const text = formatted(params.text, params.parse_mode, 4096, 'message is too long');
    if (text.text.trim() === '') throw badRequest('message text is empty');
    // Like Telegram, an edit without reply_markup removes the inline keyboard.
    const replyMarkup = markup(params.reply_markup);
    unchangedGuard(message, { text: text.text, entities: text.entities }, replyMarkup);
    message.text = text.text;
    setOptional(message, 'entities', text.entities.length ? text.entities : undefined);
    setOptional(message, 'reply_markup', replyMarkup);
    message.edit_date = now();
    record(
      edit('editMessageText', chatId, message, {
        text: str(params.text),
        parseMode: str(params.parse_mode),
        replyMarkup,
      }),
    );
    return message;
  }

  async function editMessageCaption(params: Params): Promise<unknown> {
    const { chatId, message } = editable(params);
    if (!Array.isArray(message.photo)) throw badRequest('there is no caption in the message to edit');
    const caption = formatted(params.caption ?? '', params.parse_mode, 1024, 'message caption is too long');
    const replyMarkup = markup(params.reply_markup);
    unchangedGuard(
      message,
      { caption: caption.text || undefined, caption_entities: caption.entities },
      replyMarkup,
    );
    setOptional(message, 'caption', caption.text || undefined);
    setOptional(message, 'caption_entities', caption.entities.length ? caption.entities : undefined);
    setOptional(message, 'reply_markup', replyMarkup);
    message.edit_date = now();
    record(
      edit('editMessageCaption', chatId, message, {
        caption: str(params.caption),
        parseMode: str(params.parse_mode),
        replyMarkup,
      }),
    );
    return message;
  }

  async function editMessageReplyMarkup(params: Params): Promise<unknown> {
    const { chatId, message } = editable(params);
    const replyMarkup = markup(params.reply_markup);
    unchangedGuard(message, {}, replyMarkup);
    setOptional(message, 'reply_markup', replyMarkup);
    message.edit_date = now();
    record(edit('editMessageReplyMarkup', chatId, message, { replyMarkup }));
    return message;
  }

  function edit(
    method: SentMethod,
    chatId: number,
    message: ApiMessage,
    fields: Partial<SentMessage>,
  ): SentMessage {
    const m: SentMessage = {
      id: message.message_id,
      chatId,
      method,
      editsMessageId: message.message_id,
      at: Date.now(),
    };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (m as unknown as Params)[k] = v;
    return m;
  }

  async function answerCallbackQuery(params: Params): Promise<unknown> {
    const id = str(params.callback_query_id) ?? '';
    if (!issuedQueries.delete(id)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    callbackAnswers.push({
      callbackQueryId: id,
      ...(params.text !== undefined ? { text: str(params.text) } : {}),
      ...(params.show_alert !== undefined ? { showAlert: bool(params.show_alert) } : {}),
    });
    return true;
  }

  async function deleteMessage(params: Params): Promise<unknown> {
    const chatId = requireChat(params);
    const messageId = num(params.message_id) ?? -1;
    if (!chats.get(chatId)?.messages.delete(messageId)) throw badRequest('message to delete not found');
    deletedMessages.push({ chatId, messageId });
    return true;
  }

  const methods: Record<string, (params: Params, res: ServerResponse) => Promise<unknown>> = {
    getme: async () => ({
      id: botUser.id,
      is_bot: true,
      first_name: 'MailPay Test',
      username: botUser.username,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    setwebhook: async (p) => {
      const url = str(p.url) ?? '';
      if (!/^https:\/\//.test(url))
        throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = str(p.secret_token);
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
        throw badRequest('secret token contains unallowed characters');
      }
      webhook.set(url, secret);
      return true;
    },
    deletewebhook: async () => {
      webhook.clear();
      return true;
    },
    getwebhookinfo: async () => ({
      url: webhook.url(),
      has_custom_certificate: false,
      pending_update_count: updates.length,
    }),
    setmycommands: async (p) => {
      const commands = botCommands(json(p.commands));
      const scope = commandScope(json(p.scope));
      const languageCode = languageCodeOf(p.language_code);
      menus.set(menuKey(scope, languageCode), commands);
      commandMenuCalls.push({ scope, languageCode, commands });
      return true;
    },
    getmycommands: async (p) =>
      menus.get(menuKey(commandScope(json(p.scope)), languageCodeOf(p.language_code))) ?? [],
    deletemycommands: async (p) => {
      menus.delete(menuKey(commandScope(json(p.scope)), languageCodeOf(p.language_code)));
      return true;
    },
    sendchataction: async () => true,
    getupdates: getUpdates,
    sendmessage: sendMessage,
    sendphoto: sendPhoto,
    senddocument: sendDocumentMethod,
    getfile: getFile,
    editmessagetext: editMessageText,
    editmessagecaption: editMessageCaption,
    editmessagereplymarkup: editMessageReplyMarkup,
    answercallbackquery: answerCallbackQuery,
    deletemessage: deleteMessage,
  };

  // --- HTTP ------------------------------------------------------------------------------------

  let closing = false;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`);
      reply(res, e.status, {
        ok: false,
        error_code: e.status,
        description: e.message,
        ...(e.parameters ? { parameters: e.parameters } : {}),
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    if (url.pathname.startsWith('/file/')) return serveFile(url, res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const method = match?.[2] ?? url.pathname;
    const entry = { method, at: Date.now(), status: 200 };
    calls.push(entry);
    const fail = (e: ApiError) => {
      entry.status = e.status;
      throw e;
    };
    if (!match) return fail(new ApiError(404, 'Not Found'));
    if (match[1] !== token) return fail(new ApiError(401, 'Unauthorized'));
    const impl = methods[method.toLowerCase()];
    if (!impl) return fail(new ApiError(404, 'Not Found: method not found'));

    const params = await readParams(req, url);
    const injected = failures.get(method.toLowerCase())?.shift();
    if (injected) {
      if ('rawBody' in injected) {
        entry.status = injected.status;
        res.writeHead(injected.status, { 'content-type': 'text/html' }).end(injected.rawBody);
        return;
      }
      if ('retryAfter' in injected) {
        return fail(
          new ApiError(429, `Too Many Requests: retry after ${injected.retryAfter}`, {
            retry_after: injected.retryAfter,
          }),
        );
      }
      const description = injected.description ?? STATUS_TEXT[injected.status] ?? 'Error';
      return fail(new ApiError(injected.status, description));
    }
    try {
      const result = await impl(params, res);
      reply(res, 200, { ok: true, result });
    } catch (err) {
      if (err instanceof ApiError) fail(err);
      throw err;
    }
  }

  /** GET /file/bot<token>/<file_path>: a file getFile handed out a path for, as the Bot API serves it. */
  function serveFile(url: URL, res: ServerResponse): void {
    const match = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    calls.push({ method: 'file', at: Date.now(), status: 200 });
    const file =
      match && match[1] === token ? filesByPath.get(decodeURIComponent(match[2] ?? '')) : undefined;
    if (!file) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"ok":false,"error_code":404,"description":"Not Found"}');
      return;
    }
    downloads.set(file.fileName, (downloads.get(file.fileName) ?? 0) + 1);
    res
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length })
      .end(file.bytes);
  }

  function reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, STATUS_TEXT[status], {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    webhook.close();
    held?.finish([]);
    for (const stop of [...stopWaiters]) stop(new Error('waitFor: the Telegram double was closed'));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Give the just-answered polls a moment to flush, then cut whatever keep-alive is left.
      setTimeout(() => server.closeAllConnections(), 100).unref();
    });
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botUser,
    sendText,
    sendDocument,
    downloads,
    pressButton,
    injectCallback,
    sent,
    waitFor,
    callbackAnswers,
    deletedMessages,
    calls,
    handedOutAt: (updateId) => handedOut.get(updateId),
    webhookAttempts: webhook.attempts,
    pushUpdateAgain: webhook.pushAgain,
    commandMenuCalls,
    commandMenu: (scope, languageCode = '') => menus.get(menuKey(scope, languageCode)) ?? [],
    failNext,
    close,
  };
}

// --- request parsing ---------------------------------------------------------------------------

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (body.length === 0) return params;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      return { ...params, ...(JSON.parse(body.toString('utf8')) as Params) };
    } catch {
      throw badRequest('invalid JSON in request body');
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form) params[key] = value;
    return params;
  }
  throw badRequest(`unsupported content-type ${type}`);
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const bool = (v: unknown): boolean => v === true || v === 'true';
const json = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw badRequest(`can't parse JSON ${v.slice(0, 40)}`);
  }
};

/** setMyCommands' list, checked as Telegram does: 1–100 commands, names [a-z0-9_]{1,32}, descriptions 1–256. */
function botCommands(value: unknown): BotCommand[] {
  if (!Array.isArray(value) || value.length > 100)
    throw badRequest('commands must be an array of at most 100');
  return value.map((entry) => {
    const { command, description } = (entry ?? {}) as { command?: unknown; description?: unknown };
    if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command))
      throw badRequest('BOT_COMMAND_INVALID');
    if (typeof description !== 'string' || description.trim() === '' || description.length > 256)
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    return { command, description };
  });
}

const SCOPE_TYPES = [
  'default',
  'all_private_chats',
  'all_group_chats',
  'all_chat_administrators',
  'chat',
  'chat_administrators',
  'chat_member',
];

function commandScope(value: unknown): CommandScope {
  if (value === undefined || value === null || value === '') return { type: 'default' };
  const scope = value as CommandScope;
  if (!SCOPE_TYPES.includes(scope.type)) throw badRequest('wrong scope type');
  if (scope.type.startsWith('chat') && (scope.chat_id === undefined || scope.chat_id === ''))
    throw badRequest('chat_id is empty');
  return scope.chat_id === undefined
    ? { type: scope.type }
    : { type: scope.type, chat_id: Number(scope.chat_id) };
}

function languageCodeOf(value: unknown): string {
  const code = str(value) ?? '';
  if (code !== '' && !/^[a-z]{2}$/.test(code)) throw badRequest('LANG_CODE_INVALID');
  return code;
}

function requireChat(params: Params): number {
  if (params.chat_id === undefined || params.chat_id === '') throw badRequest('chat_id is empty');
  const id = num(params.chat_id);
  if (id === undefined) throw badRequest('chat not found');
  return id;
}

// biome-ignore lint/suspicious/noExplicitAny: mirrors SentMessage.replyMarkup.
function markup(raw: unknown): any {
  const value = json(raw);
  if (value === undefined || value === null || value === '') return undefined;
  const keyboard = (value as { inline_keyboard?: unknown }).inline_keyboard;
  if (keyboard !== undefined) {
    if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray)) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    for (const button of keyboard.flat() as Array<{ text?: unknown; callback_data?: unknown }>) {
      if (typeof button.text !== 'string' || button.text === '')
        throw badRequest('text buttons are unallowed in the inline keyboard');
      if (typeof button.callback_data === 'string') {
        const size = Buffer.byteLength(button.callback_data);
        if (size < 1 || size > 64) throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
  return value;
}

function unchangedGuard(message: ApiMessage, fields: Params, replyMarkup: unknown): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const entitiesKey = Object.keys(fields).find((k) => k.endsWith('entities'));
  const unchanged =
    Object.entries(fields).every(([k, v]) =>
      k === entitiesKey ? same(message[k] ?? [], v) : same(message[k], v),
    ) && same(message.reply_markup, replyMarkup);
  if (unchanged) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
}

function setOptional(target: Params, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function describe(m: SentMessage): string {
  const body = m.text ?? m.caption ?? '';
  const photo = m.photo
    ? ` photo(${m.photo.bytes.length} bytes${m.photo.reference ? ` ${m.photo.reference}` : ''})`
    : '';
  const keyboard = m.replyMarkup ? ` markup=${JSON.stringify(m.replyMarkup)}` : '';
  return `#${m.id} chat ${m.chatId} ${m.method}${photo}: ${JSON.stringify(body)}${keyboard}`;
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  const isPng =
    bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR';
  return isPng ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : { width: 0, height: 0 };
}

// --- parse_mode: HTML -----------------------------------------------------------------------------

const HTML_ENTITY_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Applies parse_mode like Telegram does: HTML is parsed (unsupported or unbalanced tags are the
 * same 400 "can't parse entities" the real API gives); limits count the visible text.
 * MarkdownV2/Markdown are passed through unparsed.
 */
function formatted(
  raw: unknown,
  parseMode: unknown,
  limit: number,
  tooLong: string,
): { text: string; entities: Entity[] } {
  const source = str(raw) ?? '';
  const result =
    String(parseMode).toLowerCase() === 'html' ? parseHtml(source) : { text: source, entities: [] };
  if (result.text.length > limit) throw badRequest(tooLong);
  return result;
}

export function parseHtml(source: string): { text: string; entities: Entity[] } {
  const cannot = (what: string, at: number) =>
    badRequest(`can't parse entities: ${what} at byte offset ${Buffer.byteLength(source.slice(0, at))}`);
  let text = '';
  const entities: Entity[] = [];
  const open: Array<{ tag: string; offset: number; url?: string }> = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '<') {
      const tag = /^<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*>/.exec(
        source.slice(i),
      );
      if (!tag)
        throw cannot(`unsupported start tag "${/^<\/?([\w-]*)/.exec(source.slice(i))?.[1] ?? ''}"`, i);
      const [whole, closing, rawName = '', attrs = ''] = tag;
      const name = rawName.toLowerCase();
      if (!(name in HTML_ENTITY_TYPES))
        throw cannot(`unsupported ${closing ? 'end' : 'start'} tag "${name}"`, i);
      if (closing) {
        const top = open.pop();
        if (!top || top.tag !== name) {
          const at = Buffer.byteLength(source.slice(0, i));
          throw badRequest(
            `can't parse entities: unmatched end tag at byte offset ${at}, expected "</${top?.tag ?? ''}>", found "</${name}>"`,
          );
        }
        const type = top.tag === 'a' && top.url === undefined ? undefined : HTML_ENTITY_TYPES[top.tag];
        if (type && text.length > top.offset) {
          entities.push({
            type,
            offset: top.offset,
            length: text.length - top.offset,
            ...(top.url ? { url: top.url } : {}),
          });
        }
      } else {
        const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
        if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/i.test(attrs))
          throw cannot('unsupported start tag "span"', i);
        open.push({
          tag: name,
          offset: text.length,
          url: href ? (href[1] ?? href[2] ?? href[3]) : undefined,
        });
      }
      i += whole.length;
    } else if (ch === '&') {
      const entity = /^&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/i.exec(source.slice(i));
      const name = entity?.[1] ?? '';
      const decoded = name.startsWith('#x')
        ? String.fromCodePoint(Number.parseInt(name.slice(2), 16))
        : name.startsWith('#')
          ? String.fromCodePoint(Number(name.slice(1)))
          : NAMED_ENTITIES[name.toLowerCase()];
      // Telegram keeps an '&' that does not start a known entity as a literal character.
      if (entity && decoded !== undefined) {
        text += decoded;
        i += entity[0].length;
      } else {
        text += ch;
        i++;
      }
    } else {
      text += ch;
      i++;
    }
  }
  const unclosed = open.pop();
  if (unclosed)
    throw badRequest(`can't parse entities: can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };
}
