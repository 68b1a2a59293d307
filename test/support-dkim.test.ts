// Self-test for DKIM test keys, signing and buildMail, verified by mailauth through the DNS responder.
import { dkimVerify } from 'mailauth';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMail, createDkimKey, type DkimKey, dnsResolver, signMail } from './support/dkim.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';

describe('DKIM test support', () => {
  let dns: DnsResponder;
  let key: DkimKey;

  beforeAll(async () => {
    dns = await startDnsResponder();
    key = createDkimKey('pay.example.test', 's2024');
    dns.setTxt(key.dnsName, key.txt);
  });

  afterAll(async () => {
    await dns?.close();
  });

  const mail = (): string =>
    buildMail({
      from: '支付宝 <notice@pay.example.test>',
      to: 'me@example.org',
      subject: '交易提醒：您有一笔 ¥12.34 的收款到账，请注意查收，这是一个很长的主题用来测试折行',
      text: '付款方：张三\n金额：12.34 元\n',
      html: '<p>金额：<b>12.34</b> 元</p>',
    });

  it('creates a key whose TXT record and name fit DNS', () => {
    expect(key.dnsName).toBe('s2024._domainkey.pay.example.test');
    expect(key.txt).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/);
    expect(key.txt.length).toBeLessThan(500);
    expect(key.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('signs a mail that mailauth verifies as pass for the signing domain', async () => {
    const signed = await signMail(mail(), key);
    expect(signed.toString('utf8')).toMatch(/^DKIM-Signature: /);

    const res = await dkimVerify(signed, { resolver: dnsResolver(dns.server) });
    expect(res.results).toHaveLength(1);
    const [r] = res.results;
    expect(r?.status.result).toBe('pass');
    expect(r?.signingDomain).toBe('pay.example.test');
    // mailauth's typings say `canonicalization` and a boolean `aligned`; at runtime they are
    // `format` and the aligned domain.
    expect((r as unknown as { format: string }).format).toBe('relaxed/relaxed');
    expect(r?.status.aligned as unknown).toBe('pay.example.test');
    expect(res.headerFrom).toEqual(['notice@pay.example.test']);
  });

  it('does not pass a mail whose body was changed after signing', async () => {
    const original = buildMail({
      from: 'a@pay.example.test',
      to: 'b@example.org',
      subject: 'x',
      text: '12.34',
    });
    const forged = buildMail({
      from: 'a@pay.example.test',
      to: 'b@example.org',
      subject: 'x',
      text: '99.99',
    });
    const signed = (await signMail(original, key)).toString('utf8');
    const bodyOf = (m: string): string => m.slice(m.indexOf('\r\n\r\n'));
    const tampered = signed.replace(bodyOf(original), bodyOf(forged));
    expect(tampered).not.toBe(signed);

    const resolver = dnsResolver(dns.server);
    // The untouched copy passes, so only the tampering can explain the other result.
    expect((await dkimVerify(signed, { resolver })).results[0]?.status.result).toBe('pass');
    const res = await dkimVerify(tampered, { resolver });
    expect(res.results[0]?.status.result).not.toBe('pass');
    expect(res.results[0]?.status.result).toBe('neutral');
  });

  it('finds no passing signature on an unsigned mail', async () => {
    const res = await dkimVerify(mail(), { resolver: dnsResolver(dns.server) });
    expect(res.results.some((r) => r.status.result === 'pass')).toBe(false);
    expect(res.results[0]?.status.result).toBe('none');
  });

  it('does not pass when the key is not published', async () => {
    const unpublished = createDkimKey('other.example.test');
    const signed = await signMail(mail(), unpublished);
    const res = await dkimVerify(signed, { resolver: dnsResolver(dns.server) });
    expect(res.results[0]?.status.result).not.toBe('pass');
  });

  it('buildMail produces CRLF mail that mailparser decodes back', async () => {
    const raw = mail();
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).toMatch(/^Subject: =\?utf-8\?B\?/m);

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(
      '交易提醒：您有一笔 ¥12.34 的收款到账，请注意查收，这是一个很长的主题用来测试折行',
    );
    expect(parsed.from?.value[0]).toMatchObject({ name: '支付宝', address: 'notice@pay.example.test' });
    expect(parsed.text).toBe('付款方：张三\n金额：12.34 元\n');
    expect(parsed.html).toBe('<p>金额：<b>12.34</b> 元</p>');
    expect(parsed.messageId).toMatch(/@pay\.example\.test>$/);
  });

  it('buildMail encodes other charsets such as GBK', async () => {
    const raw = buildMail({
      from: 'a@example.test',
      to: 'b@example.org',
      subject: '收款通知',
      text: '金额 5.00 元',
      charset: 'gbk',
    });
    expect(raw).toContain('charset=gbk');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('收款通知');
    expect(parsed.text?.trim()).toBe('金额 5.00 元');
  });
});
