import { describe, expect, it } from 'vitest';
import { emptyCardData, parseCardData, serializeCardData, validateCustomData } from './card-data';

describe('cards.data', () => {
  it('writes compact f32 values like Anki (data.rs compact_floats)', () => {
    const data = {
      ...emptyCardData(),
      memoryState: { stability: 123.45678, difficulty: 1.234567 },
      desiredRetention: 0.987654,
      decay: 0.123456,
    };
    expect(serializeCardData(data)).toBe('{"s":123.4568,"d":1.235,"dr":0.99,"decay":0.123}');
  });

  it('orders keys pos, s, d, dr, decay, lrt, cd and keeps integral floats as x.0', () => {
    const data = {
      originalPosition: 12,
      memoryState: { stability: 8.2956, difficulty: 1 },
      desiredRetention: 0.9,
      decay: 0.1542,
      lastReviewTime: 1_700_000_000,
      customData: '{"v":1}',
    };
    expect(serializeCardData(data)).toBe(
      '{"pos":12,"s":8.2956,"d":1.0,"dr":0.9,"decay":0.154,"lrt":1700000000,"cd":"{\\"v\\":1}"}',
    );
    expect(parseCardData(serializeCardData(data))).toMatchObject({
      originalPosition: 12,
      lastReviewTime: 1_700_000_000,
      customData: '{"v":1}',
    });
  });

  it('ignores invalid values one by one, and invalid JSON entirely', () => {
    expect(parseCardData('')).toEqual(emptyCardData());
    expect(parseCardData('not json')).toEqual(emptyCardData());
    const d = parseCardData('{"pos":-3,"s":2.5,"dr":"x","lrt":5,"extra":1}');
    expect(d.originalPosition).toBeNull();
    expect(d.memoryState).toBeNull(); // s without d
    expect(d.desiredRetention).toBeNull();
    expect(d.lastReviewTime).toBe(5);
    expect(serializeCardData(emptyCardData())).toBe('{}');
  });

  it('validates custom data like Anki', () => {
    expect(validateCustomData('')).toBeNull();
    expect(validateCustomData('{}')).toBeNull();
    expect(validateCustomData('{"foo": 5}')).toBeNull();
    expect(validateCustomData('["foo"]')).not.toBeNull();
    expect(validateCustomData('{"日": 5}')).toBeNull();
    expect(validateCustomData('{"日本語": 5}')).not.toBeNull();
    expect(validateCustomData(`{"foo": "${'x'.repeat(100)}"}`)).not.toBeNull();
  });
});
