import { describe, expect, it } from 'vitest';
import type { MultipartPlan, PostPlan } from '../api/client';
import { completeMultipartXml, declaredType, UploadPlans, uploadRequest } from './plans';

const post: PostPlan = {
  fileId: '1'.repeat(32),
  method: 'POST',
  url: 'http://s3/bucket',
  fields: { key: 'k', policy: 'p', 'x-amz-meta-owner': 'o', 'x-amz-meta-name': 'n', 'x-amz-meta-size': '3' },
  expiresAt: '2026-11-29T12:10:00Z',
};
const multipart: MultipartPlan = {
  fileId: '2'.repeat(32),
  method: 'MULTIPART',
  uploadId: 'u',
  partSize: 5 * 1024 * 1024,
  parts: [1, 2, 3].map((partNumber) => ({ partNumber, url: `http://s3/part${partNumber}`, size: 5 * 1024 * 1024 })),
  completeUrl: 'http://s3/complete',
  abortUrl: 'http://s3/abort',
  expiresAt: '2026-11-29T18:00:00Z',
};

describe('choosing POST or multipart', () => {
  it('follows the plan the API chose, file by file', () => {
    const plans = new UploadPlans();
    const small = new Blob(['abc']);
    const large = new Blob([new Uint8Array(11 * 1024 * 1024)]);
    plans.set('small', small, post);
    plans.set('large', large, multipart);
    expect(plans.usesMultipart('small')).toBe(false);
    expect(plans.usesMultipart('large')).toBe(true);
    expect(plans.partSize(large)).toBe(5 * 1024 * 1024);
    expect(plans.partUrl('large', 2)).toBe('http://s3/part2');
    expect(() => plans.partUrl('small', 1)).toThrow();
  });

  it("fails the file with the API's refusal, in words", () => {
    const plans = new UploadPlans();
    plans.refuse('x', new Blob(['a']), new Error('The file name is too long.'));
    expect(plans.usesMultipart('x')).toBe(false);
    expect(() => plans.plan('x')).toThrow('The file name is too long.');
  });

  it('keeps a multipart plan under way, so a retry resumes the same upload with the parts S3 has', () => {
    const plans = new UploadPlans();
    plans.set('large', new Blob(['x']), multipart);
    expect(plans.needsPlan('large')).toBe(false);
    plans.recordPart('large', { PartNumber: 1, ETag: '"e1"' });
    expect(plans.needsPlan('large')).toBe(false);
    expect(plans.uploadedParts('large')).toEqual([{ PartNumber: 1, ETag: '"e1"' }]);
    plans.set('small', new Blob(['y']), post);
    expect(plans.needsPlan('small')).toBe(true);
  });
});

describe('cancelling', () => {
  it('gives the abort URL of a multipart upload once, and none for a POST', () => {
    const plans = new UploadPlans();
    plans.set('large', new Blob(['x']), multipart);
    plans.set('small', new Blob(['y']), post);
    expect(plans.takeAbortUrl('large')).toBe('http://s3/abort');
    expect(plans.takeAbortUrl('large')).toBeUndefined();
    expect(plans.takeAbortUrl('small')).toBeUndefined();
  });
});

describe('the upload request', () => {
  it('declares a bare media type, or the generic binary type', () => {
    expect(declaredType('text/plain;charset=utf-8')).toBe('text/plain');
    expect(declaredType('')).toBe('application/octet-stream');
    expect(declaredType(undefined)).toBe('application/octet-stream');
    expect(uploadRequest({ name: 'a.txt', size: 3, type: 'text/plain' })).toEqual({
      name: 'a.txt',
      size: 3,
      contentType: 'text/plain',
    });
  });
});

describe('completeMultipartXml', () => {
  it('lists every part in order with its ETag', () => {
    expect(
      completeMultipartXml([
        { PartNumber: 2, ETag: '"b"' },
        { PartNumber: 1, ETag: '"a"' },
      ]),
    ).toBe(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>"b"</ETag></Part>' +
        '</CompleteMultipartUpload>',
    );
  });
});
