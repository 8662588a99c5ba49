import { verifySignature, SIGNATURE_TOLERANCE_SECONDS } from '../../nodes/HomeSchoolBridgeTrigger/signature';
import { signatureHeader } from '../../server/webhooks/signature';

describe('trigger signature check against the service’s signer', () => {
  const secret = 'f'.repeat(64);
  const body = JSON.stringify({ event: 'submission.created', data: { _id: 'x', studentName: '张伟' } });
  const now = 1_800_000_000;

  it('accepts what the service signs', () => {
    expect(verifySignature(secret, signatureHeader(secret, body, now), body, now)).toBe(true);
  });

  it('rejects another secret, a changed body, a malformed header or a missing one', () => {
    expect(verifySignature('e'.repeat(64), signatureHeader(secret, body, now), body, now)).toBe(false);
    expect(verifySignature(secret, signatureHeader(secret, body, now), body.replace('张伟', '李娜'), now)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, now)).toBe(false);
    expect(verifySignature(secret, undefined, body, now)).toBe(false);
  });

  it('rejects a replay outside the timestamp window and accepts one inside it', () => {
    const old = signatureHeader(secret, body, now - SIGNATURE_TOLERANCE_SECONDS - 1);
    expect(verifySignature(secret, old, body, now)).toBe(false);
    expect(verifySignature(secret, signatureHeader(secret, body, now - SIGNATURE_TOLERANCE_SECONDS), body, now)).toBe(true);
  });
});
