// The webhook's pure parts: the sign against a vector made by openssl, and the body shapes SmsForwarder sends.
import { describe, expect, it } from 'vitest';
import { readForwarderRequest } from '../src/modules/ingestion/forwarder/forwarder-request.ts';
import { forwarderSign, signMatches } from '../src/modules/ingestion/forwarder/forwarder-sign.ts';
import { defaultFormPost, JSON_TEMPLATE, jsonTemplatePost, kotlinSign } from './support/sms-forwarder.ts';

const SECRET = 'sms-forwarder-secret-for-tests';
// printf '1700000000123\nsms-forwarder-secret-for-tests' | openssl dgst -sha256 -hmac '<secret>' -binary | base64
const VECTOR = { timestamp: '1700000000123', base64: '2v16TtDGwwHzpijYMd/IB/hiFOyOi7c8dR+bknbLr/Q=' };

describe('the forwarder sign', () => {
  it('is the URL-encoded base64 of HMAC-SHA256(secret, "timestamp\\nsecret"), as the test client makes it', () => {
    const urlEncoded = '2v16TtDGwwHzpijYMd%2FIB%2FhiFOyOi7c8dR%2BbknbLr%2FQ%3D';
    expect(forwarderSign(SECRET, VECTOR.timestamp)).toBe(urlEncoded);
    expect(kotlinSign(SECRET, Number(VECTOR.timestamp))).toBe(urlEncoded);
  });

  it('matches only the exact text: neither the bare base64 nor a prefix passes', () => {
    const sign = forwarderSign(SECRET, VECTOR.timestamp);
    expect(signMatches(sign, sign)).toBe(true);
    expect(signMatches(VECTOR.base64, sign)).toBe(false);
    expect(signMatches(sign.slice(0, -3), sign)).toBe(false);
  });
});

describe('reading a webhook body', () => {
  const fields = {
    from: 'com.tencent.mm',
    content: '微信支付收款0.01元\n+ & = %',
    timestamp: 1_700_000_000_123,
  };
  const sign = kotlinSign(SECRET, fields.timestamp);

  it('reads the default form, its sign one form decoding away from the wire', () => {
    const request = readForwarderRequest(Buffer.from(defaultFormPost({ ...fields, sign }).body));
    expect(request).toEqual({ ...fields, timestamp: '1700000000123', sign, shape: 'form' });
  });

  it('reads the JSON template, with a number or a string timestamp', () => {
    const body = jsonTemplatePost(JSON_TEMPLATE, { ...fields, sign }).body;
    expect(readForwarderRequest(Buffer.from(body))).toMatchObject({
      content: fields.content,
      sign,
      shape: 'json',
    });
    const numeric = body.replace('"1700000000123"', '1700000000123');
    expect(readForwarderRequest(Buffer.from(numeric))?.timestamp).toBe('1700000000123');
  });

  it('refuses a repeated field, a missing one, a bad timestamp and bytes that are not UTF-8', () => {
    const form = defaultFormPost({ ...fields, sign }).body;
    for (const body of [
      `${form}&content=again`,
      form.replace(/&sign=[^&]*/, ''),
      form.replace('timestamp=1700000000123', 'timestamp=17e11'),
      '{"from":"com.tencent.mm","content":"x","timestamp":1.5,"sign":"s"}',
      '{"from":["com.tencent.mm"],"content":"x","timestamp":"1700000000123","sign":"s"}',
    ])
      expect(readForwarderRequest(Buffer.from(body))).toBeNull();
    expect(readForwarderRequest(Buffer.from([0x66, 0x72, 0xff, 0xfe]))).toBeNull();
  });
});
