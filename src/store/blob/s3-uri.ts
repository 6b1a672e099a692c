import { invalidArgument } from '../../errors/index.js';

/** Bucket and key prefix of an `s3://bucket/prefix` URI. */
export interface S3Location {
  bucket: string;
  /** Without leading or trailing slash; '' for the bucket root. */
  prefix: string;
}

// Bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending
// with a letter or digit (S3 User Guide, "Bucket naming rules").
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** Splits `s3://bucket/some/prefix` into bucket and prefix; INVALID_ARGUMENT if malformed. */
export function parseS3Uri(uri: string): S3Location {
  const match = S3_URI.exec(uri);
  if (!match?.[1])
    throw invalidArgument(`invalid S3 URI ${JSON.stringify(uri)}: expected s3://bucket/prefix`);
  return { bucket: match[1], prefix: normalizePrefix(match[2] ?? '') };
}

/** Strips leading and trailing slashes from a key prefix. */
export function normalizePrefix(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** The canonical URI of a location: `s3://bucket` or `s3://bucket/prefix`. */
export function formatS3Uri({ bucket, prefix }: S3Location): string {
  return prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`;
}
