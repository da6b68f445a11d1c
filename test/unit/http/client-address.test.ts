import functions from '@azure/functions';
import { describe, expect, it } from 'vitest';

import { clientAddress } from '../../../shared/http/client-address.js';

const requestWith = (headers: Record<string, string>) =>
  new functions.HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/auth/login', headers });

describe('clientAddress', () => {
  it('takes the first hop of x-forwarded-for and drops ports', () => {
    expect(clientAddress(requestWith({ 'x-forwarded-for': '203.0.113.9:50312, 10.0.0.4' }))).toBe(
      '203.0.113.9',
    );
    expect(clientAddress(requestWith({ 'x-forwarded-for': '[2001:DB8::1]:443' }))).toBe(
      '2001:db8::1',
    );
    expect(clientAddress(requestWith({ 'x-forwarded-for': '2001:db8::2' }))).toBe('2001:db8::2');
  });

  it("prefers Front Door's socket address, which the caller cannot set", () => {
    const headers = {
      'x-forwarded-for': '198.51.100.1, 203.0.113.9',
      'x-azure-socketip': '203.0.113.9',
    };
    expect(clientAddress(requestWith(headers))).toBe('203.0.113.9');
  });

  it('answers "unknown" without the header', () => {
    expect(clientAddress(requestWith({}))).toBe('unknown');
  });
});
