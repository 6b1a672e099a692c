import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';

/** S3's limit for a single CopyObject request (5 GiB); larger objects need UploadPartCopy. */
export const MAX_COPY_OBJECT_SIZE = 5 * 1024 ** 3;
/** S3 allows at most 10,000 parts in one multipart upload. */
const MAX_PARTS = 10_000;
const DEFAULT_COPY_PART_SIZE = 512 * 1024 ** 2;

/** One UploadPartCopy request: a part number and an inclusive byte range of the source. */
export interface CopyPart {
  partNumber: number;
  first: number;
  last: number;
}

/**
 * Splits `size` bytes into parts of `partSize` (grown if needed to stay within 10,000 parts),
 * covering [0, size) exactly with inclusive ranges as `x-amz-copy-source-range` expects.
 */
export function planCopyParts(size: number, partSize = DEFAULT_COPY_PART_SIZE): CopyPart[] {
  const step = Math.max(partSize, Math.ceil(size / MAX_PARTS));
  const parts: CopyPart[] = [];
  for (let first = 0; first < size; first += step) {
    parts.push({ partNumber: parts.length + 1, first, last: Math.min(first + step, size) - 1 });
  }
  return parts;
}

function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Server-side copy of `from` to `to` in one bucket: CopyObject up to 5 GiB, UploadPartCopy
 * above that (S3 API reference, "UploadPartCopy"); an unfinished multipart copy is aborted.
 */
export async function copyObject(
  client: S3Client,
  bucket: string,
  from: string,
  to: string,
  size: number,
  maxSingleCopy = MAX_COPY_OBJECT_SIZE,
): Promise<void> {
  const source = copySource(bucket, from);
  if (size <= maxSingleCopy) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: source }));
    return;
  }
  const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to }));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error(`S3 returned no UploadId for a multipart copy to ${to}`);
  try {
    const etags: { PartNumber: number; ETag: string | undefined }[] = [];
    for (const part of planCopyParts(size)) {
      const copied = await client.send(
        new UploadPartCopyCommand({
          Bucket: bucket,
          Key: to,
          UploadId: uploadId,
          PartNumber: part.partNumber,
          CopySource: source,
          CopySourceRange: `bytes=${part.first}-${part.last}`,
        }),
      );
      etags.push({ PartNumber: part.partNumber, ETag: copied.CopyPartResult?.ETag });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: to,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}
