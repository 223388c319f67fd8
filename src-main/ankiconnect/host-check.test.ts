import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createHostCheck, isLoopbackHost, normalizeHost } from './host-check';

describe('host check', () => {
  it('normalizes Host header values', () => {
    expect(normalizeHost('LocalHost:8765')).toBe('localhost');
    expect(normalizeHost('[::1]:8765')).toBe('::1');
    expect(normalizeHost('[0:0:0:0:0:0:0:1]')).toBe('::1');
    expect(normalizeHost('example.com.')).toBe('example.com');
    expect(normalizeHost('::1')).toBe('::1');
  });

  it('knows loopback names', () => {
    for (const h of ['localhost', 'foo.localhost', '127.0.0.1', '127.1.2.3:80', '[::1]', '[::ffff:127.0.0.1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['evil.com', 'localhost.evil.com', '10.0.0.1', '[::2]', '0.0.0.0']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('accepts loopback, the bind address and extra names', () => {
    const check = createHostCheck({ bindAddresses: ['127.0.0.1', '192.168.1.5'], allowedHosts: ['desk.lan'] });
    expect(check('localhost:8765')).toBe(true);
    expect(check('192.168.1.5:8765')).toBe(true);
    expect(check('desk.lan:8765')).toBe(true);
    expect(check(undefined)).toBe(true);
    expect(check('192.168.1.6:8765')).toBe(false);
    expect(check('attacker.example:8765')).toBe(false);
  });

  it('accepts IP literals and the machine name when bound to every interface', () => {
    const check = createHostCheck({ bindAddresses: ['0.0.0.0'] });
    expect(check('10.1.2.3:8765')).toBe(true);
    expect(check(`${hostname()}:8765`)).toBe(true);
    expect(check('attacker.example')).toBe(false);
  });
});
