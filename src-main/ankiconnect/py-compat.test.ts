import { describe, expect, it } from 'vitest';
import {
  pyFloatRepr,
  pyJsonDecodeError,
  pyMissingArgs,
  pyRepr,
  pyRequestSchemaError,
  pyStr,
  pyTypeName,
  pyUtf8DecodeError,
} from './py-compat';

// Expected texts were produced by CPython (json, bytes.decode) and jsonschema 4.2x; the two
// trailing-comma cases use CPython 3.13's wording (Anki 25.x bundles 3.13; older Pythons
// said "Expecting value" / "Expecting property name enclosed in double quotes" there).

describe('pyJsonDecodeError', () => {
  it.each([
    ["", "Expecting value: line 1 column 1 (char 0)"],
    [" ", "Expecting value: line 1 column 2 (char 1)"],
    ["\n", "Expecting value: line 2 column 1 (char 1)"],
    ["{1: 2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
    ["[1,]", "Illegal trailing comma before end of array: line 1 column 3 (char 2)"],
    ["{\"a\":1,}", "Illegal trailing comma before end of object: line 1 column 7 (char 6)"],
    ["{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ["[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ["\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"],
    ["1 2", "Extra data: line 1 column 3 (char 2)"],
    ["\"\u0001\"", "Invalid control character at: line 1 column 2 (char 1)"],
    ["\"\\x\"", "Invalid \\escape: line 1 column 2 (char 1)"],
    ["\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"],
    ["\"\\u12345\"", null],
    ["\"\\u1234", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"],
    ["{\"a\":", "Expecting value: line 1 column 6 (char 5)"],
    ["{\"a\"", "Expecting ':' delimiter: line 1 column 5 (char 4)"],
    ["{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
    ["[", "Expecting value: line 1 column 2 (char 1)"],
    ["-", "Expecting value: line 1 column 1 (char 0)"],
    ["-a", "Expecting value: line 1 column 1 (char 0)"],
    ["01", "Extra data: line 1 column 2 (char 1)"],
    ["1.", "Extra data: line 1 column 2 (char 1)"],
    ["1e", "Extra data: line 1 column 2 (char 1)"],
    ["{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"],
    ["nul", "Expecting value: line 1 column 1 (char 0)"],
    ["tru", "Expecting value: line 1 column 1 (char 0)"],
    ["[1,\n  2,\n  x]", "Expecting value: line 3 column 3 (char 11)"],
    ["\u00e9\n\u00e9 x", "Expecting value: line 1 column 1 (char 0)"],
    ["{\"\ud83d\ude00\": 1} x", "Extra data: line 1 column 10 (char 9)"],
    ["{\"a\":\"b\"}}", "Extra data: line 1 column 10 (char 9)"],
    ["  [ ] ]", "Extra data: line 1 column 7 (char 6)"],
    ["{\"a\":[1,{\"b\":}]}", "Expecting value: line 1 column 14 (char 13)"],
    ["NaN", null],
    ["[NaN, Infinity, -Infinity]", null],
    ["-Infinity x", "Extra data: line 1 column 11 (char 10)"],
    ["\"\\ud800\"", null],
    ["{\"a\":1 \"b\":2}", "Expecting ',' delimiter: line 1 column 8 (char 7)"],
    ["[1,,2]", "Expecting value: line 1 column 4 (char 3)"],
    ["{,}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
    ["[,]", "Expecting value: line 1 column 2 (char 1)"],
    ["{\"a\":1,,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"],
    ["\t\r\n", "Expecting value: line 2 column 1 (char 3)"],
    ["\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"],
    ["{\"x\": \"\\\"}", "Unterminated string starting at: line 1 column 7 (char 6)"],
    [",en}[", "Expecting value: line 1 column 1 (char 0)"],
  ] as [string, string | null][])('%j', (text, expected) => {
    expect(pyJsonDecodeError(text)).toBe(expected);
  });

  it('survives very deep nesting', () => {
    expect(pyJsonDecodeError('['.repeat(200_000))).toBe('Expecting value: line 1 column 200001 (char 200000)');
    expect(pyJsonDecodeError('['.repeat(100_000) + ']'.repeat(100_000))).toBeNull();
  });
});

describe('pyUtf8DecodeError', () => {
  it.each([
    [[231, 140], "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"],
    [[231], "'utf-8' codec can't decode byte 0xe7 in position 0: unexpected end of data"],
    [[231, 65], "'utf-8' codec can't decode byte 0xe7 in position 0: invalid continuation byte"],
    [[231, 140, 65], "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"],
    [[128], "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"],
    [[192, 128], "'utf-8' codec can't decode byte 0xc0 in position 0: invalid start byte"],
    [[237, 160, 128], "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte"],
    [[240, 143], "'utf-8' codec can't decode byte 0xf0 in position 0: invalid continuation byte"],
    [[240, 144], "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"],
    [[244, 144, 128, 128], "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"],
    [[245], "'utf-8' codec can't decode byte 0xf5 in position 0: invalid start byte"],
    [[97, 98, 255], "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte"],
    [[240, 144, 128], "'utf-8' codec can't decode bytes in position 0-2: unexpected end of data"],
    [[240, 144, 128, 65], "'utf-8' codec can't decode bytes in position 0-2: invalid continuation byte"],
    [[224, 159, 128], "'utf-8' codec can't decode byte 0xe0 in position 0: invalid continuation byte"],
    [[224, 160], "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"],
    [[123, 34, 97, 34, 58, 32, 34, 195, 34, 125], "'utf-8' codec can't decode byte 0xc3 in position 7: invalid continuation byte"],
  ] as [number[], string][])('%j', (bytes, expected) => {
    expect(pyUtf8DecodeError(new Uint8Array(bytes))).toBe(expected);
  });

  it('accepts valid UTF-8', () => {
    expect(pyUtf8DecodeError(new TextEncoder().encode('héllo 日本 😀'))).toBeNull();
  });
});

describe('pyRequestSchemaError (first line of jsonschema.validate)', () => {
  it.each([
    [1.2, "1.2 is not of type 'object'"],
    [[], "[] is not of type 'object'"],
    ["x", "'x' is not of type 'object'"],
    [null, "None is not of type 'object'"],
    [true, "True is not of type 'object'"],
    [{}, "'action' is a required property"],
    [{"action": 1}, "1 is not of type 'string'"],
    [{"action": ""}, "'' should be non-empty"],
    [{"action": "x", "params": null}, "None is not of type 'object'"],
    [{"action": "x", "version": "6"}, "'6' is not of type 'integer'"],
    [{"action": "", "version": "6"}, "'6' is not of type 'integer'"],
    [{"action": 1, "params": null}, "None is not of type 'object'"],
    [{"params": null}, "'action' is a required property"],
    [{"action": "x", "version": true}, "True is not of type 'integer'"],
    [{"action": "x", "version": 6.5}, "6.5 is not of type 'integer'"],
    [{"action": "x", "version": 6.0}, null],
    [{"action": ["a", {"b": null}]}, "['a', {'b': None}] is not of type 'string'"],
  ] as [unknown, string | null][])('%j', (value, expected) => {
    expect(pyRequestSchemaError(value)).toBe(expected);
  });
});

describe('repr and friends', () => {
  it('renders floats like Python', () => {
    expect(pyFloatRepr(1.2)).toBe('1.2');
    expect(pyFloatRepr(1e100)).toBe('1e+100');
    expect(pyFloatRepr(1e-7)).toBe('1e-07');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1e15)).toBe('1000000000000000.0');
    expect(pyFloatRepr(-2.5e-5)).toBe('-2.5e-05');
  });

  it('renders values like repr() and str()', () => {
    expect(pyRepr({ a: [1, null, true, 'x'] })).toBe("{'a': [1, None, True, 'x']}");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('tab\there\u0000\u00a0')).toBe("'tab\\there\\x00\\xa0'");
    expect(pyStr('plain')).toBe('plain');
    expect(pyStr(12)).toBe('12');
    expect(pyRepr('x'.repeat(10_000)).length).toBeLessThan(600);
  });

  it('names types like Python', () => {
    expect([null, true, 1, 1.5, 's', [], {}].map(pyTypeName)).toEqual(['NoneType', 'bool', 'int', 'float', 'str', 'list', 'dict']);
  });

  it('words missing-argument errors like CPython', () => {
    expect(pyMissingArgs('x', ['a'])).toBe("AnkiConnect.x() missing 1 required positional argument: 'a'");
    expect(pyMissingArgs('x', ['a', 'b', 'c'])).toBe("AnkiConnect.x() missing 3 required positional arguments: 'a', 'b', and 'c'");
  });
});
